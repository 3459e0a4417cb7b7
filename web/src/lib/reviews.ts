// What the review pages compute from a request: the dimension × reviewer table with its spread, where a
// reviewer differs from the coach, and how a comment's anchor reads. Pure functions, tested on their own.
import {
  SCORE_DIMENSIONS,
  type ReviewComment,
  type ReviewScores,
  type ScoreDimension,
  type Scores,
  type SubmittedReviewView,
} from './api';

/** A spread of this many points or more between the people (and the coach) scoring a dimension is shown. */
export const WIDE_SPREAD = 2;

export interface SpreadRow {
  dimension: ScoreDimension;
  /** Each reviewer's score, in the order of the reviews (null: left unscored). */
  reviewers: (number | null)[];
  coach: number | null;
  /** Highest minus lowest score given, the coach's included; null with fewer than two scores. */
  spread: number | null;
  wide: boolean;
}

/** One answer's table: a row per dimension, a column per reviewer and one for the coach. */
export function spreadTable(
  reviews: readonly SubmittedReviewView[],
  answerId: string,
  coach: Scores | undefined,
): SpreadRow[] {
  return SCORE_DIMENSIONS.map((dimension) => {
    const reviewers = reviews.map(
      (r) => r.answers.find((a) => a.answerId === answerId)?.scores[dimension]?.score ?? null,
    );
    const coachScore: number | null = coach?.[dimension] ?? null;
    const given = [...reviewers, coachScore].filter((s): s is number => s !== null);
    const spread = given.length >= 2 ? Math.max(...given) - Math.min(...given) : null;
    return {
      dimension,
      reviewers,
      coach: coachScore,
      spread,
      wide: spread !== null && spread >= WIDE_SPREAD,
    };
  });
}

export interface Difference {
  dimension: ScoreDimension;
  mine: number;
  coach: number;
  /** Mine minus the coach's: positive when I was more generous. */
  difference: number;
}

/** The dimensions a reviewer scored, beside the coach's score of the same answer. */
export function differencesFromCoach(mine: ReviewScores, coach: Scores | undefined): Difference[] {
  if (!coach) return [];
  return SCORE_DIMENSIONS.flatMap((dimension) => {
    const m = mine[dimension]?.score;
    const c = coach[dimension];
    return m === undefined || c === undefined ? [] : [{ dimension, mine: m, coach: c, difference: m - c }];
  });
}

/** `m:ss` of a time in milliseconds. */
export function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** What a comment points at, as a reader sees it: the quoted words, a time range, or the whole answer. */
export function anchorText(anchor: ReviewComment['anchor'], answer: string): string {
  switch (anchor.kind) {
    case 'answer':
      return 'The whole answer';
    case 'time':
      return `${clock(anchor.startMs)}–${clock(anchor.endMs)}`;
    case 'transcript':
      return `“${answer.slice(anchor.start, anchor.end).trim()}”`;
  }
}
