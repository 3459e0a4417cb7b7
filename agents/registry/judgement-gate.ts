// The promotion gate of the trained judgement: a version may replace production only if its figures on the
// corpus's TEST split are no worse on any dimension. Pure, so the rule is tested on its own; the registry
// (judgement-registry.ts) reads the figures from the two versions' runs.
import { SCORE_DIMENSIONS, type ScoreDimension } from '../../core/types.js';

/** The test-split agreement figures `npm run train:coach` logs per dimension; higher is better for each. */
export const TEST_METRICS = ['qwk', 'within_one', 'exact', 'pair_accuracy'] as const;
export type TestMetric = (typeof TEST_METRICS)[number];

/** The MLflow metric key, e.g. `test/qwk_star`: one home for the names train:coach logs and the gate reads. */
export const testMetricKey = (metric: TestMetric, dimension: ScoreDimension) => `test/${metric}_${dimension}`;

export interface Regression {
  dimension: ScoreDimension;
  metric: TestMetric;
  /** The candidate's figure; null when its run did not log it (nothing shows it is not worse). */
  candidate: number | null;
  production: number;
}

/**
 * Every test figure on which the candidate is worse than production, or which production has and the
 * candidate lacks. A figure production lacks is not compared (there is nothing to fall below). Strictly
 * worse: the same weights evaluated the same way log the same figures, so equal passes.
 */
export function regressions(
  candidate: Readonly<Record<string, number>>,
  production: Readonly<Record<string, number>>,
): Regression[] {
  const out: Regression[] = [];
  for (const dimension of SCORE_DIMENSIONS) {
    for (const metric of TEST_METRICS) {
      const key = testMetricKey(metric, dimension);
      const was = production[key];
      if (was === undefined || !Number.isFinite(was)) continue;
      const now = candidate[key];
      if (now === undefined || !Number.isFinite(now))
        out.push({ dimension, metric, candidate: null, production: was });
      else if (now < was) out.push({ dimension, metric, candidate: now, production: was });
    }
  }
  return out;
}

const figure = (x: number) => String(Number(x.toFixed(3)));

/** "star: test qwk 0.62 against production's 0.85" (or "not logged"). */
export const describeRegression = (r: Regression) =>
  `${r.dimension}: test ${r.metric} ${r.candidate === null ? 'not logged' : figure(r.candidate)} ` +
  `against production's ${figure(r.production)}`;
