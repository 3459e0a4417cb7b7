// The eval's own measures beside agreement (which lives in core/agreement.ts): minimal-pair ordering accuracy,
// the mode and lower median the baselines use, and the Wilson interval.

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
