// Agreement between two sets of whole 1–5 scores given to the same answers: quadratic weighted kappa, exact
// and within-one agreement. One home for the eval (a judge against the labels), training (a judge's fit) and
// peer review (a human against the coach, a reviewer against the others).

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
