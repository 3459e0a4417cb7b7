import { describe, expect, it } from 'vitest';
import { mean, percentile, summarize } from './stats.js';

describe('stats', () => {
  it('takes percentiles by nearest rank, in any input order, without reordering the input', () => {
    const xs = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile(xs, 99)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile(xs, 100)).toBe(10);
    // The rank falls between the 5th and the 6th value: their midpoint.
    expect(percentile(xs, 50)).toBe(5.5);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(xs[0]).toBe(9);
  });

  it('answers NaN, not a throw, for no samples', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(mean([])).toBeNaN();
    expect(summarize([])).toEqual({ count: 0, mean: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN });
  });

  it('summarizes count, mean, percentiles and max', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(summarize(xs)).toEqual({ count: 100, mean: 50.5, p50: 50.5, p95: 95.5, p99: 99.5, max: 100 });
  });
});
