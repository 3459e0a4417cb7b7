// The judgement model: ridge regressions in plain TypeScript, deterministic (closed form, no random start),
// with every weight in one JSON document (weights.json). Two stages:
// 1. sentence heads: from a sentence's MiniLM embedding and explicit features, one-vs-rest ridge scores for
//    its STAR role, its agency and its specificity (trained on the corpus's labelled dev sentences);
// 2. per dimension, a ridge regression from the answer features (features.ts) and, scaled, the pooled
//    sentence embedding to a real score, cut into 1–5 at thresholds fit on out-of-fold dev predictions.
import { SCORE_DIMENSIONS, type ScoreDimension, type Scores } from '../../core/types.js';
import type { SentenceRoles } from './features.js';

export interface Standardiser {
  mean: number[];
  std: number[];
}

export interface Ridge {
  /** weights[k][j]: output k, input j (inputs standardised). */
  weights: number[][];
  bias: number[];
}

export interface SentenceHeads {
  standardiser: Standardiser;
  star: Ridge;
  agency: Ridge;
  specificity: Ridge;
}

export interface DimensionModel {
  ridge: Ridge;
  /** Trees over the standardised answer features (not the pooled embedding), added to the ridge. */
  boost: Boost;
  /** Four increasing thresholds: score = 1 + the number of thresholds the prediction passes. */
  cuts: number[];
}

export interface JudgementWeights {
  format: 'interview-helper-judgement@1';
  embedder: string;
  trainedAt: string;
  /** The hyper-parameters chosen by grouped cross-validation on dev. */
  params: {
    boostRounds: Record<ScoreDimension, number>;
    pairWeight: number;
    withinOneWeight: number;
    /** Weight of dev pair accuracy in the thresholds alone (absent in weights trained before it). */
    cutPairWeight?: number;
    /** Weight of the dev minimal pairs' difference rows in each dimension's ridge (0: none). */
    pairRows: Record<ScoreDimension, number>;
    sentenceAlpha: { star: number; agency: number; specificity: number };
    /** Weight of the explicit sentence features in the heads (absent in weights trained before it: 1). */
    explicitScale?: number;
    alpha: Record<ScoreDimension, number>;
    pooledScale: number;
  };
  sentence: SentenceHeads;
  answer: { standardiser: Standardiser; dimensions: Record<ScoreDimension, DimensionModel> };
  /** Answer and sentence ids the model was fit on (dev only), and the dev-CV metrics. */
  trainedOn: { answers: number; sentences: number; families: number; split: 'dev' };
  cv: Record<ScoreDimension, { qwk: number; withinOne: number; exact: number; pairAccuracy: number }>;
}

// ---- linear algebra ----------------------------------------------------------------------------------------

export function fitStandardiser(rows: readonly (readonly number[])[]): Standardiser {
  const d = rows[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) std[j]! += (r[j]! - mean[j]!) ** 2 / rows.length;
  return { mean, std: std.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

export const standardise = (s: Standardiser, row: readonly number[]): number[] =>
  row.map((v, j) => (v - s.mean[j]!) / s.std[j]!);

/** Solves (A) x = B for symmetric positive definite A (Cholesky), B with several columns. */
function choleskySolve(a: Float64Array, d: number, b: Float64Array, k: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let p = 0; p < j; p++) s -= l[i * d + p]! * l[j * d + p]!;
      l[i * d + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * d + j]!;
    }
  }
  const x = new Float64Array(d * k);
  for (let c = 0; c < k; c++) {
    const y = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = b[i * k + c]!;
      for (let p = 0; p < i; p++) s -= l[i * d + p]! * y[p]!;
      y[i] = s / l[i * d + i]!;
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let p = i + 1; p < d; p++) s -= l[p * d + i]! * x[p * k + c]!;
      x[i * k + c] = s / l[i * d + i]!;
    }
  }
  return x;
}

/** The Gram matrix XᵀX and XᵀY of centred inputs and targets, shared by every alpha. */
export interface Gram {
  d: number;
  k: number;
  xtx: Float64Array;
  xty: Float64Array;
  xMean: number[];
  yMean: number[];
}

export function gram(x: readonly (readonly number[])[], y: readonly (readonly number[])[]): Gram {
  const n = x.length;
  const d = x[0]?.length ?? 0;
  const k = y[0]?.length ?? 0;
  const xMean = new Array<number>(d).fill(0);
  const yMean = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) xMean[j]! += x[i]![j]! / n;
    for (let c = 0; c < k; c++) yMean[c]! += y[i]![c]! / n;
  }
  const xtx = new Float64Array(d * d);
  const xty = new Float64Array(d * k);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = x[i]![j]! - xMean[j]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      for (let b = a; b < d; b++) xtx[a * d + b]! += ra * row[b]!;
      for (let c = 0; c < k; c++) xty[a * k + c]! += ra * (y[i]![c]! - yMean[c]!);
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) xtx[a * d + b] = xtx[b * d + a]!;
  return { d, k, xtx, xty, xMean, yMean };
}

/**
 * One output of a Gram with minimal-pair difference rows added: weight × Σ (x_better − x_worse)(…)ᵀ and
 * weight × Σ (x_better − x_worse) × gap, where gap is how many levels the labels put between the two. A pair
 * is the same story with one thing changed (its result removed, tangents added…), so its difference row
 * says what that one change is worth, which absolute labels over varied stories say only faintly. The rows
 * are differences, so centring and the intercept are untouched.
 */
export function withDifferenceRows(
  g: Gram,
  output: number,
  differences: readonly { better: readonly number[]; worse: readonly number[]; gap: number }[],
  weight: number,
): Gram {
  const xtx = Float64Array.from(g.xtx);
  const xty = Float64Array.from({ length: g.d }, (_, a) => g.xty[a * g.k + output]!);
  if (weight > 0) {
    const row = new Float64Array(g.d);
    for (const { better, worse, gap } of differences) {
      for (let j = 0; j < g.d; j++) row[j] = better[j]! - worse[j]!;
      for (let a = 0; a < g.d; a++) {
        const ra = row[a]!;
        if (ra === 0) continue;
        for (let b = 0; b < g.d; b++) xtx[a * g.d + b]! += weight * ra * row[b]!;
        xty[a]! += weight * ra * gap;
      }
    }
  }
  return { d: g.d, k: 1, xtx, xty, xMean: g.xMean, yMean: [g.yMean[output]!] };
}

/**
 * A one-output Gram with some inputs left out: their rows and columns zeroed, so the ridge gives them weight
 * exactly 0 (the penalty alone holds them). A dimension that must not read an input (fit to the question
 * is relevance's alone) is fit this way, and served without knowing it.
 */
export function withoutInputs(g: Gram, excluded: readonly number[]): Gram {
  if (!excluded.length) return g;
  const xtx = Float64Array.from(g.xtx);
  const xty = Float64Array.from(g.xty);
  for (const j of excluded) {
    for (let i = 0; i < g.d; i++) xtx[j * g.d + i] = xtx[i * g.d + j] = 0;
    for (let c = 0; c < g.k; c++) xty[j * g.k + c] = 0;
  }
  return { ...g, xtx, xty };
}

export function solveRidge(g: Gram, alpha: number): Ridge {
  const a = Float64Array.from(g.xtx);
  for (let i = 0; i < g.d; i++) a[i * g.d + i]! += alpha;
  const w = choleskySolve(a, g.d, g.xty, g.k);
  const weights = Array.from({ length: g.k }, (_, c) =>
    Array.from({ length: g.d }, (_, j) => w[j * g.k + c]!),
  );
  const bias = weights.map((wc, c) => g.yMean[c]! - wc.reduce((s, v, j) => s + v * g.xMean[j]!, 0));
  return { weights, bias };
}

export const fitRidge = (
  x: readonly (readonly number[])[],
  y: readonly (readonly number[])[],
  alpha: number,
): Ridge => solveRidge(gram(x, y), alpha);

export const predictRidge = (r: Ridge, row: readonly number[]): number[] =>
  r.weights.map((w, c) => w.reduce((s, v, j) => s + v * row[j]!, r.bias[c]!));

export const oneHot = (index: number, classes: number): number[] =>
  Array.from({ length: classes }, (_, c) => (c === index ? 1 : 0));

/** Ridge class scores as a distribution: clipped to [0, 1] and normalised (uniform when all are 0). */
export function toDistribution(scores: readonly number[]): number[] {
  const clipped = scores.map((s) => Math.min(1, Math.max(0, s)));
  const total = clipped.reduce((a, b) => a + b, 0);
  return total > 0 ? clipped.map((c) => c / total) : clipped.map(() => 1 / clipped.length);
}

// ---- scores ------------------------------------------------------------------------------------------------

export const DEFAULT_CUTS = [1.5, 2.5, 3.5, 4.5];

export const applyCuts = (value: number, cuts: readonly number[]): number =>
  1 + cuts.filter((c) => value >= c).length;

/** The sentence-head input: the embedding then the explicit features. */
export const sentenceInput = (embedding: readonly number[], explicit: readonly number[]): number[] => [
  ...embedding,
  ...explicit,
];

/** The answer-model input: standardised features, then the pooled embedding times pooledScale. */
export const answerInput = (
  s: Standardiser,
  features: readonly number[],
  pooled: readonly number[],
  pooledScale: number,
): number[] =>
  pooledScale > 0
    ? [...standardise(s, features), ...pooled.map((v) => v * pooledScale)]
    : standardise(s, features);

export function sentenceRoles(heads: SentenceHeads, embedding: number[], explicit: number[]): SentenceRoles {
  // Explicit features are only ever appended: heads trained before the last ones read those they know.
  const known = heads.standardiser.mean.length - embedding.length;
  const x = standardise(heads.standardiser, sentenceInput(embedding, explicit.slice(0, known)));
  return {
    star: toDistribution(predictRidge(heads.star, x)),
    agency: toDistribution(predictRidge(heads.agency, x)),
    specificity: toDistribution(predictRidge(heads.specificity, x)),
  };
}

export function scoresOf(w: JudgementWeights, features: number[], pooled: number[]): Scores {
  // Features are only ever appended: weights trained before the last ones were added (an older registry
  // version, the eval's previous baseline) read the ones they were trained on.
  const known = features.slice(0, w.answer.standardiser.mean.length);
  const x = answerInput(w.answer.standardiser, known, pooled, w.params.pooledScale);
  return Object.fromEntries(
    SCORE_DIMENSIONS.map((d) => {
      const m = w.answer.dimensions[d];
      const features = x.slice(0, w.answer.standardiser.mean.length);
      return [d, applyCuts(predictRidge(m.ridge, x)[0]! + predictBoost(m.boost, features), m.cuts)];
    }),
  ) as Scores;
}

/** Rounds the weights for a compact, stable JSON file (6 significant digits is far below the noise). */
export function roundWeights<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v)),
  ) as T;
}

// ---- boosted trees on the ridge's residuals ------------------------------------------------------------------

/** A regression tree: a leaf's value, or a split on one standardised answer feature. */
export type Tree = number | { feature: number; threshold: number; left: Tree; right: Tree };

export interface Boost {
  rate: number;
  trees: Tree[];
}

const MIN_LEAF = 8;

function fitTree(
  x: readonly (readonly number[])[],
  target: readonly number[],
  /** Per feature, the rows ordered by that feature (ties by row index): sorted once per fit. */
  orders: readonly number[][],
  inNode: Uint8Array,
  depth: number,
): Tree {
  let count = 0;
  let total = 0;
  for (let i = 0; i < inNode.length; i++) if (inNode[i]) [count, total] = [count + 1, total + target[i]!];
  const mean = count ? total / count : 0;
  if (depth === 0 || count < 2 * MIN_LEAF) return mean;
  let best: { gain: number; feature: number; threshold: number } | undefined;
  orders.forEach((order, j) => {
    let left = 0;
    let nl = 0;
    let prev = -1;
    for (const i of order) {
      if (!inNode[i]) continue;
      if (prev >= 0 && nl >= MIN_LEAF && count - nl >= MIN_LEAF && x[i]![j]! !== x[prev]![j]!) {
        const gain = (left * left) / nl + ((total - left) * (total - left)) / (count - nl);
        if (!best || gain > best.gain + 1e-12)
          best = { gain, feature: j, threshold: (x[prev]![j]! + x[i]![j]!) / 2 };
      }
      left += target[i]!;
      nl++;
      prev = i;
    }
  });
  if (!best) return mean;
  const { feature, threshold } = best;
  const side = (below: boolean) => inNode.map((m, i) => (m && x[i]![feature]! < threshold === below ? 1 : 0));
  return {
    feature,
    threshold,
    left: fitTree(x, target, orders, side(true), depth - 1),
    right: fitTree(x, target, orders, side(false), depth - 1),
  };
}

export const predictTree = (t: Tree, row: readonly number[]): number =>
  typeof t === 'number' ? t : predictTree(row[t.feature]! < t.threshold ? t.left : t.right, row);

export const predictBoost = (b: Boost, row: readonly number[], rounds = b.trees.length): number =>
  b.trees.slice(0, rounds).reduce<number>((s, t) => s + b.rate * predictTree(t, row), 0);

/**
 * Gradient boosting of depth-2 trees on what the ridge leaves (squared loss): captures the thresholds a
 * linear model cannot ("no result at all → impact 1"). Deterministic: exhaustive splits, ties to the first.
 */
export function fitBoost(
  x: readonly (readonly number[])[],
  residual: readonly number[],
  rounds: number,
  rate = 0.1,
  depth = 2,
  /** Inputs no tree may split on. */
  excluded: readonly number[] = [],
): Boost {
  const r = [...residual];
  const all = new Uint8Array(x.length).fill(1);
  // An excluded input has no rows to order, so no split on it is ever found.
  const orders = (x[0] ?? []).map((_, j) =>
    excluded.includes(j) ? [] : x.map((_, i) => i).sort((a, b) => x[a]![j]! - x[b]![j]! || a - b),
  );
  const trees: Tree[] = [];
  for (let k = 0; k < rounds; k++) {
    const tree = fitTree(x, r, orders, all, depth);
    trees.push(tree);
    for (let i = 0; i < r.length; i++) r[i]! -= rate * predictTree(tree, x[i]!);
  }
  return { rate, trees };
}
