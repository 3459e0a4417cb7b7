// Calibration both ways: how the human reviewers agree with the coach (per dimension), and how each reviewer
// stands against the coach and the other reviewers. The unit throughout is one human score: one reviewer's
// score of one answer on one dimension. So an answer two people reviewed counts twice, which is right: each is
// a judgement the coach can be checked against.
//
// Small samples are the normal case here (a handful of reviews per request), so every figure says how many
// scores it rests on, and a figure that is undefined is null with a reason, never NaN.
import { quadraticWeightedKappa, withinOneAgreement } from '../agreement.js';
import { SCORE_DIMENSIONS, type Score, type ScoreDimension, type Scores } from '../types.js';
import { assertOneReviewPerReviewerAndAnswer, type Confidence, type SubmittedReview } from './reviews.js';

/**
 * Quadratic weighted kappa, or why there is none: fewer than two scored pairs, or one side gives a single
 * level everywhere (then kappa is 0 or 0/0 by construction, which would read as "chance agreement" when the
 * truth is "nothing to tell from").
 */
export type Kappa = { value: number } | { value: null; reason: 'fewer_than_two' | 'no_variance' };

export interface Disagreement {
  answerId: string;
  reviewerId: string;
  human: Score;
  coach: Score;
  /** human − coach: positive when the reviewer scored higher than the coach. */
  difference: number;
  confidence?: Confidence;
}

export interface DimensionCalibration {
  dimension: ScoreDimension;
  /** Human scores of answers the coach also scored. */
  n: number;
  kappa: Kappa;
  /** Mean of human − coach; null when n is 0. */
  meanDifference: number | null;
  /** The largest |human − coach| first (ties: answer id, then reviewer id); only real disagreements (≠ 0). */
  largestDisagreements: Disagreement[];
}

export interface Leniency {
  /** Mean difference; positive = more lenient. Null when n is 0. */
  mean: number | null;
  n: number;
}

export interface ReviewerCalibration {
  reviewerId: string;
  /** Every score this reviewer gave, on any dimension. */
  n: number;
  /** Their score − the coach's, over the scores where the coach scored the same answer and dimension. */
  leniencyVsCoach: Leniency;
  /**
   * Their score − the mean of the other reviewers' scores of the same answer and dimension, over the scores
   * at least one other reviewer shares.
   */
  leniencyVsOthers: Leniency;
  /**
   * Within-one agreement with each other reviewer on shared scores, pooled over dimensions: one comparison per
   * (other reviewer, answer, dimension). Within-one rather than kappa because reviewers share few answers:
   * kappa on a handful of pairs swings wildly and is undefined whenever the shared scores do not vary, while
   * the within-one rate is defined from one pair, reads plainly ("within a level 8 times in 10") and is the
   * rate the coach's eval already reports.
   */
  agreementWithOthers: { withinOne: number | null; n: number };
}

export interface Calibration {
  dimensions: DimensionCalibration[];
  reviewers: ReviewerCalibration[];
  /** Human scores left out of the human–coach figures because the coach has no score for that answer. */
  withoutCoachScore: number;
}

export interface CalibrationOptions {
  /** How many disagreements to list per dimension. */
  topDisagreements?: number;
}

const DEFAULT_TOP = 5;

const meanOrNull = (values: readonly number[]): number | null =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;

export function kappaOf(a: readonly Score[], b: readonly Score[]): Kappa {
  if (a.length < 2) return { value: null, reason: 'fewer_than_two' };
  if (new Set(a).size < 2 || new Set(b).size < 2) return { value: null, reason: 'no_variance' };
  return { value: quadraticWeightedKappa(a, b) };
}

interface HumanScore {
  reviewerId: string;
  answerId: string;
  dimension: ScoreDimension;
  score: Score;
  confidence?: Confidence;
}

function humanScores(reviews: readonly SubmittedReview[]): HumanScore[] {
  return reviews.flatMap((r) =>
    SCORE_DIMENSIONS.flatMap((dimension) => {
      const s = r.scores[dimension];
      return s ? [{ reviewerId: r.reviewerId, answerId: r.answerId, dimension, ...s }] : [];
    }),
  );
}

function calibrateDimension(
  dimension: ScoreDimension,
  scores: readonly HumanScore[],
  coach: ReadonlyMap<string, Scores>,
  top: number,
): DimensionCalibration {
  const paired = scores.flatMap((h) => {
    const c = coach.get(h.answerId)?.[dimension];
    return h.dimension === dimension && c !== undefined ? [{ h, c }] : [];
  });
  const disagreements: Disagreement[] = paired.map(({ h, c }) => ({
    answerId: h.answerId,
    reviewerId: h.reviewerId,
    human: h.score,
    coach: c,
    difference: h.score - c,
    ...(h.confidence ? { confidence: h.confidence } : {}),
  }));
  const largest = disagreements
    .filter((d) => d.difference !== 0)
    .sort(
      (a, b) =>
        Math.abs(b.difference) - Math.abs(a.difference) ||
        a.answerId.localeCompare(b.answerId) ||
        a.reviewerId.localeCompare(b.reviewerId),
    )
    .slice(0, top);
  return {
    dimension,
    n: paired.length,
    kappa: kappaOf(
      paired.map((p) => p.h.score),
      paired.map((p) => p.c),
    ),
    meanDifference: meanOrNull(disagreements.map((d) => d.difference)),
    largestDisagreements: largest,
  };
}

function calibrateReviewer(
  reviewerId: string,
  scores: readonly HumanScore[],
  coach: ReadonlyMap<string, Scores>,
): ReviewerCalibration {
  const own = scores.filter((s) => s.reviewerId === reviewerId);
  const othersOn = (s: HumanScore) =>
    scores.filter(
      (o) => o.reviewerId !== reviewerId && o.answerId === s.answerId && o.dimension === s.dimension,
    );
  const vsCoach = own.flatMap((s) => {
    const c = coach.get(s.answerId)?.[s.dimension];
    return c === undefined ? [] : [s.score - c];
  });
  const vsOthers = own.flatMap((s) => {
    const others = othersOn(s);
    return others.length ? [s.score - meanOrNull(others.map((o) => o.score))!] : [];
  });
  const pairs = own.flatMap((s) => othersOn(s).map((o) => [s.score, o.score] as const));
  return {
    reviewerId,
    n: own.length,
    leniencyVsCoach: { mean: meanOrNull(vsCoach), n: vsCoach.length },
    leniencyVsOthers: { mean: meanOrNull(vsOthers), n: vsOthers.length },
    agreementWithOthers: {
      withinOne: pairs.length
        ? withinOneAgreement(
            pairs.map(([mine]) => mine),
            pairs.map(([, theirs]) => theirs),
          )
        : null,
      n: pairs.length,
    },
  };
}

/**
 * Calibration of the submitted `reviews` against the coach's scores (`coach`, by answer id) of the same
 * answers. Reviewers are listed by id, dimensions in the rubric's order.
 */
export function calibrate(
  reviews: readonly SubmittedReview[],
  coach: ReadonlyMap<string, Scores>,
  options: CalibrationOptions = {},
): Calibration {
  assertOneReviewPerReviewerAndAnswer(reviews);
  const top = options.topDisagreements ?? DEFAULT_TOP;
  const scores = humanScores(reviews);
  // From the reviews, not the scores: a reviewer who left every dimension unscored is listed with n = 0.
  const reviewerIds = [...new Set(reviews.map((r) => r.reviewerId))].sort((a, b) => a.localeCompare(b));
  return {
    dimensions: SCORE_DIMENSIONS.map((d) => calibrateDimension(d, scores, coach, top)),
    reviewers: reviewerIds.map((id) => calibrateReviewer(id, scores, coach)),
    withoutCoachScore: scores.filter((s) => coach.get(s.answerId)?.[s.dimension] === undefined).length,
  };
}
