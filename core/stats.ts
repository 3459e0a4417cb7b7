// The one set of summary statistics for benches and tests: simple-statistics computes, this module only
// fixes the conventions (percentiles as 0–100, NaN for no samples rather than a throw).
// simple-statistics is a devDependency: the app itself must not import this module.
import { max as ssMax, mean as ssMean, quantile } from 'simple-statistics';

/**
 * The p-th percentile (0–100) of `values`, in any order: the nearest rank, or the midpoint of the two
 * middle values when the rank falls exactly between them (simple-statistics' `quantile`). NaN if empty.
 */
export function percentile(values: readonly number[], p: number): number {
  return values.length === 0 ? NaN : quantile([...values], p / 100);
}

/** The arithmetic mean of `values`; NaN if empty. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : ssMean([...values]);
}

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Count, mean, p50/p95/p99 and max of `values` (NaN for each but the count if there are none). */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, mean: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const xs = [...values];
  const [p50, p95, p99] = quantile(xs, [0.5, 0.95, 0.99]) as [number, number, number];
  return { count: xs.length, mean: ssMean(xs), p50, p95, p99, max: ssMax(xs) };
}
