// Fits the judgement model on the corpus's DEV split only. Hyper-parameters (the sentence heads' ridge
// penalty, each dimension's ridge penalty, the weight of the pooled embedding) and the score thresholds are
// chosen by cross-validation grouped by story family within dev: every variant of a story is held out
// together, so a fold never scores a retelling of a story it was fit on. The test split is not read here at
// all: answers whose split is not dev are dropped before anything is embedded.
import { createHash } from 'node:crypto';
import { SCORE_DIMENSIONS, type ScoreDimension } from '../../core/types.js';
import {
  AGENCIES,
  SPECIFICITIES,
  STAR_ROLES,
  type Corpus,
  type CorpusAnswer,
} from '../../eval/corpus/schema.js';
import { exactAgreement, quadraticWeightedKappa, withinOneAgreement } from '../../eval/metrics.js';
import type { SentenceEmbedder } from './embedder.js';
import { analyseAnswer, answerFeatures, type AnswerAnalysis } from './features.js';
import {
  DEFAULT_CUTS,
  answerInput,
  applyCuts,
  fitCuts,
  fitRidge,
  fitStandardiser,
  gram,
  oneHot,
  predictRidge,
  roundWeights,
  sentenceInput,
  sentenceRoles,
  solveRidge,
  standardise,
  type JudgementWeights,
  type SentenceHeads,
} from './model.js';

export interface TrainOptions {
  folds?: number;
  sentenceAlphas?: number[];
  alphas?: number[];
  pooledScales?: number[];
  log?: (line: string) => void;
  now?: () => Date;
}

export interface TrainResult {
  weights: JudgementWeights;
  /** Every answer id whose text was read (embedded) during training: dev ids only. */
  answerIds: Set<string>;
  /** The chosen configuration's out-of-fold dev predictions (before cutting), per dimension. */
  outOfFold: Record<ScoreDimension, number[]>;
}

const DEFAULTS = {
  folds: 6,
  sentenceAlphas: [3, 10, 30, 100],
  alphas: [1, 3, 10, 30, 100],
  pooledScales: [0, 0.05, 0.15],
};

/** A family's fold: families ordered by a hash of their name, dealt round-robin (deterministic). */
export function foldsOf(families: readonly string[], k: number): Map<string, number> {
  const order = [...new Set(families)].sort((a, b) => {
    const ha = createHash('sha256').update(`fold:${a}`).digest('hex');
    const hb = createHash('sha256').update(`fold:${b}`).digest('hex');
    return ha < hb ? -1 : ha > hb ? 1 : 0;
  });
  return new Map(order.map((f, i) => [f, i % k]));
}

interface SentenceRow {
  answer: number;
  x: number[];
  star: number;
  agency: number;
  specificity: number;
}

function fitHeads(rows: readonly SentenceRow[], alpha: number): SentenceHeads {
  const standardiser = fitStandardiser(rows.map((r) => r.x));
  const x = rows.map((r) => standardise(standardiser, r.x));
  const g = (ys: number[][]) => solveRidge(gram(x, ys), alpha);
  return {
    standardiser,
    star: g(rows.map((r) => oneHot(r.star, STAR_ROLES.length))),
    agency: g(rows.map((r) => oneHot(r.agency, AGENCIES.length))),
    specificity: g(rows.map((r) => oneHot(r.specificity, SPECIFICITIES.length))),
  };
}

const argmax = (xs: readonly number[]) => xs.indexOf(Math.max(...xs));

function featuresWith(heads: SentenceHeads, analyses: readonly AnswerAnalysis[]) {
  return analyses.map((a) =>
    answerFeatures(
      a,
      a.sentences.map((s) => sentenceRoles(heads, s.embedding, s.explicit)),
    ),
  );
}

export async function trainJudgement(
  corpus: Pick<Corpus, 'answers' | 'sentences'>,
  embedder: SentenceEmbedder,
  options: TrainOptions = {},
): Promise<TrainResult> {
  const o = { ...DEFAULTS, ...options };
  const log = options.log ?? (() => {});
  const dev: CorpusAnswer[] = corpus.answers.filter((a) => a.split === 'dev');
  const index = new Map(dev.map((a, i) => [a.id, i]));
  const answerIds = new Set<string>();

  log(`embedding ${dev.length} dev answers…`);
  const analyses: AnswerAnalysis[] = [];
  for (const a of dev) {
    answerIds.add(a.id);
    analyses.push(await analyseAnswer(a, embedder));
  }

  const rows: SentenceRow[] = [];
  for (const s of corpus.sentences) {
    const i = index.get(s.answerId);
    const sentence = i === undefined ? undefined : analyses[i]!.sentences[s.index];
    if (i === undefined || !sentence) continue;
    rows.push({
      answer: i,
      x: sentenceInput(sentence.embedding, sentence.explicit),
      star: STAR_ROLES.indexOf(s.star),
      agency: AGENCIES.indexOf(s.agency),
      specificity: SPECIFICITIES.indexOf(s.specificity),
    });
  }

  const fold = foldsOf(
    dev.map((a) => a.family),
    o.folds,
  );
  const foldOf = dev.map((a) => fold.get(a.family)!);
  const labels = (d: ScoreDimension) => dev.map((a) => a.labels[d]);

  // 1. The sentence heads' penalty: grouped CV accuracy over the three heads.
  let sentenceAlpha = o.sentenceAlphas[0]!;
  let bestAccuracy = -1;
  for (const alpha of o.sentenceAlphas) {
    let hits = 0;
    for (let f = 0; f < o.folds; f++) {
      const heads = fitHeads(
        rows.filter((r) => foldOf[r.answer] !== f),
        alpha,
      );
      for (const r of rows.filter((x) => foldOf[x.answer] === f)) {
        const x = standardise(heads.standardiser, r.x);
        hits += argmax(predictRidge(heads.star, x)) === r.star ? 1 : 0;
        hits += argmax(predictRidge(heads.agency, x)) === r.agency ? 1 : 0;
        hits += argmax(predictRidge(heads.specificity, x)) === r.specificity ? 1 : 0;
      }
    }
    const accuracy = hits / (3 * rows.length);
    log(`  sentence heads alpha ${alpha}: grouped-CV accuracy ${(accuracy * 100).toFixed(1)}%`);
    if (accuracy > bestAccuracy + 1e-9) [bestAccuracy, sentenceAlpha] = [accuracy, alpha];
  }

  // 2. Out-of-fold answer predictions for every (pooled scale, alpha), heads refit within each fold.
  const oof = new Map<string, Record<ScoreDimension, number[]>>();
  const key = (scale: number, alpha: number) => `${scale}/${alpha}`;
  for (const scale of o.pooledScales)
    for (const alpha of o.alphas)
      oof.set(
        key(scale, alpha),
        Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, new Array<number>(dev.length).fill(0)])) as Record<
          ScoreDimension,
          number[]
        >,
      );
  for (let f = 0; f < o.folds; f++) {
    const heads = fitHeads(
      rows.filter((r) => foldOf[r.answer] !== f),
      sentenceAlpha,
    );
    const feats = featuresWith(heads, analyses);
    const train = dev.map((_, i) => i).filter((i) => foldOf[i] !== f);
    const held = dev.map((_, i) => i).filter((i) => foldOf[i] === f);
    const standardiser = fitStandardiser(train.map((i) => feats[i]!.features));
    for (const scale of o.pooledScales) {
      const x = feats.map((ft) => answerInput(standardiser, ft.features, ft.pooled, scale));
      const g = gram(
        train.map((i) => x[i]!),
        train.map((i) => SCORE_DIMENSIONS.map((d) => dev[i]!.labels[d])),
      );
      for (const alpha of o.alphas) {
        const ridge = solveRidge(g, alpha);
        const out = oof.get(key(scale, alpha))!;
        for (const i of held) {
          const p = predictRidge(ridge, x[i]!);
          SCORE_DIMENSIONS.forEach((d, c) => (out[d][i] = p[c]!));
        }
      }
    }
  }

  // 3. Choose: one pooled scale for all dimensions (the mean kappa), then each dimension's alpha.
  const kappaOf = (pred: readonly number[], d: ScoreDimension) =>
    quadraticWeightedKappa(
      labels(d),
      pred.map((p) => applyCuts(p, DEFAULT_CUTS)),
    );
  let pooledScale = o.pooledScales[0]!;
  let bestMean = -Infinity;
  for (const scale of o.pooledScales) {
    const mean =
      SCORE_DIMENSIONS.reduce(
        (s, d) => s + Math.max(...o.alphas.map((alpha) => kappaOf(oof.get(key(scale, alpha))![d], d))),
        0,
      ) / SCORE_DIMENSIONS.length;
    log(`  pooled-embedding scale ${scale}: mean grouped-CV kappa ${mean.toFixed(3)}`);
    if (mean > bestMean + 1e-9) [bestMean, pooledScale] = [mean, scale];
  }
  const alpha = {} as Record<ScoreDimension, number>;
  const outOfFold = {} as Record<ScoreDimension, number[]>;
  const cuts = {} as Record<ScoreDimension, number[]>;
  const cv = {} as JudgementWeights['cv'];
  for (const d of SCORE_DIMENSIONS) {
    let best = -Infinity;
    for (const a of o.alphas) {
      const k = kappaOf(oof.get(key(pooledScale, a))![d], d);
      if (k > best + 1e-9) [best, alpha[d]] = [k, a];
    }
    outOfFold[d] = oof.get(key(pooledScale, alpha[d]))![d];
    cuts[d] = fitCuts(outOfFold[d], labels(d));
    const given = outOfFold[d].map((p) => applyCuts(p, cuts[d]));
    cv[d] = {
      qwk: quadraticWeightedKappa(labels(d), given),
      withinOne: withinOneAgreement(labels(d), given),
      exact: exactAgreement(labels(d), given),
    };
  }

  // 4. The final model on all of dev.
  const heads = fitHeads(rows, sentenceAlpha);
  const feats = featuresWith(heads, analyses);
  const standardiser = fitStandardiser(feats.map((f) => f.features));
  const x = feats.map((f) => answerInput(standardiser, f.features, f.pooled, pooledScale));
  const dimensions = Object.fromEntries(
    SCORE_DIMENSIONS.map((d) => [
      d,
      {
        ridge: fitRidge(
          x,
          dev.map((a) => [a.labels[d]]),
          alpha[d],
        ),
        cuts: cuts[d],
      },
    ]),
  ) as JudgementWeights['answer']['dimensions'];

  const weights = roundWeights<JudgementWeights>({
    format: 'interview-helper-judgement@1',
    embedder: embedder.id,
    trainedAt: (options.now ?? (() => new Date()))().toISOString(),
    params: { sentenceAlpha, alpha, pooledScale },
    sentence: heads,
    answer: { standardiser, dimensions },
    trainedOn: {
      answers: dev.length,
      sentences: rows.length,
      families: new Set(dev.map((a) => a.family)).size,
      split: 'dev',
    },
    cv,
  });
  return { weights, answerIds, outOfFold };
}
