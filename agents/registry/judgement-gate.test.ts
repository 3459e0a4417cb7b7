import { describe, expect, it } from 'vitest';
import { SCORE_DIMENSIONS } from '../../core/types.js';
import { describeRegression, regressions, TEST_METRICS, testMetricKey } from './judgement-gate.js';

/** Every test figure at `value`, with `overrides` by key. */
const figures = (value: number, overrides: Record<string, number> = {}) => ({
  ...Object.fromEntries(
    SCORE_DIMENSIONS.flatMap((d) => TEST_METRICS.map((m) => [testMetricKey(m, d), value] as const)),
  ),
  ...overrides,
});

describe('the judgement promotion gate', () => {
  it('passes a version that is better or equal on every figure', () => {
    expect(regressions(figures(0.8), figures(0.8))).toEqual([]);
    expect(regressions(figures(0.9), figures(0.8))).toEqual([]);
  });

  it('names the dimension, the figure and both values of each regression', () => {
    const found = regressions(
      figures(0.9, { 'test/qwk_impact': 0.7, 'test/within_one_relevance': 0.85 }),
      figures(0.8, { 'test/within_one_relevance': 0.86 }),
    );
    expect(found).toEqual([
      { dimension: 'impact', metric: 'qwk', candidate: 0.7, production: 0.8 },
      { dimension: 'relevance', metric: 'within_one', candidate: 0.85, production: 0.86 },
    ]);
    expect(found.map(describeRegression)).toEqual([
      "impact: test qwk 0.7 against production's 0.8",
      "relevance: test within_one 0.85 against production's 0.86",
    ]);
  });

  it('refuses a figure production has and the candidate did not log', () => {
    const candidate: Record<string, number> = figures(0.9);
    delete candidate['test/pair_accuracy_star'];
    expect(regressions(candidate, figures(0.8))).toEqual([
      { dimension: 'star', metric: 'pair_accuracy', candidate: null, production: 0.8 },
    ]);
    expect(describeRegression(regressions(candidate, figures(0.8))[0]!)).toBe(
      "star: test pair_accuracy not logged against production's 0.8",
    );
  });

  it('compares nothing production did not log, and ignores figures that are not test figures', () => {
    expect(regressions({}, {})).toEqual([]);
    expect(regressions({ 'test/qwk_star': 0.1 }, { 'dev_cv/qwk_star': 0.9 })).toEqual([]);
    expect(regressions(figures(0.1), { 'test/qwk_star': Number.NaN })).toEqual([]);
  });
});
