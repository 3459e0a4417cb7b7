// What a submitted review says about one answer, as calibration and the labelled-set export read it. The
// review's comments, replies and anchors are not here: nothing computed from scores needs them.
import type { Score, ScoreDimension } from '../types.js';

/** How sure the reviewer was of one score: shown beside a disagreement, never used to weight it. */
export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export interface DimensionScore {
  score: Score;
  confidence?: Confidence;
}

/**
 * One reviewer's submitted scores for one answer (a turn of the snapshot). A reviewer may leave a dimension
 * they could not judge unscored, so the record is partial; one review per reviewer and answer.
 */
export interface SubmittedReview {
  reviewerId: string;
  answerId: string;
  scores: Partial<Record<ScoreDimension, DimensionScore>>;
}

/** Refuses a second review by the same reviewer of the same answer: it would count their view twice. */
export function assertOneReviewPerReviewerAndAnswer(reviews: readonly SubmittedReview[]): void {
  const seen = new Set<string>();
  for (const r of reviews) {
    const key = JSON.stringify([r.reviewerId, r.answerId]);
    if (seen.has(key)) throw new Error(`reviewer ${r.reviewerId} reviewed answer ${r.answerId} twice`);
    seen.add(key);
  }
}
