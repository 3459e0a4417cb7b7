// Agreement between a judge's 1–5 scores and the labels: quadratic weighted kappa, exact and within-one
// agreement, and minimal-pair ordering accuracy.

const LEVELS = 5;

/**
 * Cohen's kappa with quadratic weights over the levels 1..5: 1 is perfect agreement, 0 is what chance
 * agreement with the same score distributions gives, below 0 worse than chance. NaN when it is undefined
 * (both sides give one and the same score everywhere, so there is nothing to agree beyond chance).
 */
export function quadraticWeightedKappa(labels: readonly number[], scores: readonly number[]): number {
  if (labels.length !== scores.length) throw new Error('kappa needs as many scores as labels');
  const n = labels.length;
  if (!n) return Number.NaN;
  const observed = Array.from({ length: LEVELS }, () => new Array<number>(LEVELS).fill(0));
  const labelHist = new Array<number>(LEVELS).fill(0);
  const scoreHist = new Array<number>(LEVELS).fill(0);
  labels.forEach((label, k) => {
    const i = label - 1;
    const j = scores[k]! - 1;
    if (!(i >= 0 && i < LEVELS && j >= 0 && j < LEVELS && Number.isInteger(i) && Number.isInteger(j))) {
      throw new Error(`kappa takes whole scores 1-${LEVELS}, got ${label} and ${scores[k]}`);
    }
    observed[i]![j]! += 1;
    labelHist[i]! += 1;
    scoreHist[j]! += 1;
  });
  let disagreement = 0;
  let chance = 0;
  for (let i = 0; i < LEVELS; i++) {
    for (let j = 0; j < LEVELS; j++) {
      const weight = (i - j) ** 2 / (LEVELS - 1) ** 2;
      disagreement += weight * observed[i]![j]!;
      chance += (weight * labelHist[i]! * scoreHist[j]!) / n;
    }
  }
  return chance === 0 ? Number.NaN : 1 - disagreement / chance;
}

/** Share of answers scored exactly as labelled. */
export const exactAgreement = (labels: readonly number[], scores: readonly number[]): number =>
  labels.length ? labels.filter((l, i) => l === scores[i]).length / labels.length : Number.NaN;

/** Share of answers scored within one level of the label. */
export const withinOneAgreement = (labels: readonly number[], scores: readonly number[]): number =>
  labels.length ? labels.filter((l, i) => Math.abs(l - scores[i]!) <= 1).length / labels.length : Number.NaN;

/**
 * Share of pairs the judge orders as labelled: the better answer strictly above the worse one. A tie is a
 * miss, since a coach who scores both the same has not told the candidate which is better.
 */
export function pairAccuracy(pairs: readonly { better: number; worse: number }[]): number {
  return pairs.length ? pairs.filter((p) => p.better > p.worse).length / pairs.length : Number.NaN;
}

/** The most frequent value (the lowest of equally frequent ones, so the result is deterministic). */
export function mode(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = Number.NaN;
  let bestCount = 0;
  for (const [v, c] of [...counts].sort(([a], [b]) => a - b)) {
    if (c > bestCount) [best, bestCount] = [v, c];
  }
  return best;
}

/** The lower median: a value that occurs in the data. */
export function lowerMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** Wilson score interval for a proportion (95%): honest bounds for a rate measured on a few hundred items. */
export function wilsonInterval(hits: number, n: number, z = 1.96): [number, number] {
  if (!n) return [0, 1];
  const p = hits / n;
  const denom = 1 + z ** 2 / n;
  const centre = (p + z ** 2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z ** 2 / (4 * n ** 2))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
