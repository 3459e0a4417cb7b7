import { describe, expect, it } from 'vitest';
import { SCORE_DIMENSIONS, type Score, type ScoreDimension, type Scores } from '../types.js';
import { calibrate } from './calibration.js';
import type { DimensionScore, SubmittedReview } from './reviews.js';

/** The same score on every dimension. */
const all = (score: Score): Scores => Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, score])) as Scores;

const review = (
  reviewerId: string,
  answerId: string,
  scores: Partial<Record<ScoreDimension, DimensionScore>>,
): SubmittedReview => ({ reviewerId, answerId, scores });

const everywhere = (score: Score): Partial<Record<ScoreDimension, DimensionScore>> =>
  Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, { score }]));

/** Every number anywhere in a value, so a test can say "no NaN in the report". */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

const dim = (c: ReturnType<typeof calibrate>, d: ScoreDimension) =>
  c.dimensions.find((x) => x.dimension === d)!;
const reviewer = (c: ReturnType<typeof calibrate>, id: string) =>
  c.reviewers.find((x) => x.reviewerId === id)!;

describe('calibration: humans against the coach, per dimension', () => {
  it('a reviewer who scores every answer one level above the coach shows a mean difference of +1', () => {
    const coach = new Map<string, Scores>([
      ['a1', all(2)],
      ['a2', all(3)],
      ['a3', all(4)],
    ]);
    const reviews = [
      review('r1', 'a1', everywhere(3)),
      review('r1', 'a2', everywhere(4)),
      review('r1', 'a3', everywhere(5)),
    ];
    const c = calibrate(reviews, coach);
    for (const d of c.dimensions) {
      expect(d.n).toBe(3);
      expect(d.meanDifference).toBe(1);
    }
    expect(reviewer(c, 'r1').leniencyVsCoach).toEqual({ mean: 1, n: 15 });
  });

  it('kappa is the quadratic weighted kappa of the human and coach scores', () => {
    // Humans 1,2,3 against the coach's 1,2,2: disagreement (1/16) against chance (3/16) gives 2/3.
    const coach = new Map<string, Scores>([
      ['a1', { ...all(3), impact: 1 }],
      ['a2', { ...all(3), impact: 2 }],
      ['a3', { ...all(3), impact: 2 }],
    ]);
    const reviews = [
      review('r1', 'a1', { impact: { score: 1 } }),
      review('r1', 'a2', { impact: { score: 2 } }),
      review('r2', 'a3', { impact: { score: 3 } }),
    ];
    expect(dim(calibrate(reviews, coach), 'impact').kappa.value).toBeCloseTo(2 / 3, 12);
  });

  it('humans who agree exactly with a coach whose scores vary reach kappa 1', () => {
    const coach = new Map<string, Scores>([
      ['a1', all(1)],
      ['a2', all(5)],
    ]);
    const c = calibrate([review('r1', 'a1', everywhere(1)), review('r1', 'a2', everywhere(5))], coach);
    expect(c.dimensions.map((d) => d.kappa)).toEqual(SCORE_DIMENSIONS.map(() => ({ value: 1 })));
    expect(c.dimensions.every((d) => d.largestDisagreements.length === 0)).toBe(true);
  });

  it('with one score, or one side giving a single level, kappa is null with the reason and nothing is NaN', () => {
    const coach = new Map<string, Scores>([
      ['a1', all(3)],
      ['a2', all(4)],
    ]);
    const one = calibrate([review('r1', 'a1', { star: { score: 2 } })], coach);
    expect(dim(one, 'star').kappa).toEqual({ value: null, reason: 'fewer_than_two' });
    expect(dim(one, 'clarity')).toMatchObject({ n: 0, meanDifference: null, largestDisagreements: [] });

    const flat = calibrate([review('r1', 'a1', everywhere(3)), review('r2', 'a2', everywhere(3))], coach);
    expect(dim(flat, 'star').kappa).toEqual({ value: null, reason: 'no_variance' });
    expect(dim(flat, 'star').meanDifference).toBe(-0.5);

    const none = calibrate([], coach);
    for (const report of [one, flat, none]) {
      expect(numbersIn(report).some((n) => Number.isNaN(n))).toBe(false);
    }
    expect(none).toEqual({
      dimensions: SCORE_DIMENSIONS.map((d) => ({
        dimension: d,
        n: 0,
        kappa: { value: null, reason: 'fewer_than_two' },
        meanDifference: null,
        largestDisagreements: [],
      })),
      reviewers: [],
      withoutCoachScore: 0,
    });
  });

  it('lists the largest disagreements first with both scores and the reviewer’s confidence, at most k', () => {
    const coach = new Map<string, Scores>([
      ['a1', all(5)],
      ['a2', all(3)],
      ['a3', all(1)],
      ['a4', all(2)],
    ]);
    const reviews = [
      review('r1', 'a1', { relevance: { score: 2, confidence: 'high' } }), // −3
      review('r2', 'a2', { relevance: { score: 3 } }), // 0: agreement is not listed
      review('r1', 'a3', { relevance: { score: 5, confidence: 'low' } }), // +4
      review('r2', 'a4', { relevance: { score: 3 } }), // +1
    ];
    const listed = dim(calibrate(reviews, coach, { topDisagreements: 2 }), 'relevance').largestDisagreements;
    expect(listed).toEqual([
      { answerId: 'a3', reviewerId: 'r1', human: 5, coach: 1, difference: 4, confidence: 'low' },
      { answerId: 'a1', reviewerId: 'r1', human: 2, coach: 5, difference: -3, confidence: 'high' },
    ]);
    const every = dim(calibrate(reviews, coach), 'relevance').largestDisagreements;
    expect(every.map((d) => d.answerId)).toEqual(['a3', 'a1', 'a4']);
  });

  it('an answer the coach did not score counts for reviewer agreement but not against the coach', () => {
    const coach = new Map<string, Scores>([['a1', all(3)]]);
    const reviews = [
      review('r1', 'a1', { star: { score: 3 } }),
      review('r1', 'a2', { star: { score: 5 } }),
      review('r2', 'a2', { star: { score: 4 } }),
    ];
    const c = calibrate(reviews, coach);
    expect(dim(c, 'star').n).toBe(1);
    expect(c.withoutCoachScore).toBe(2);
    expect(reviewer(c, 'r1').leniencyVsCoach).toEqual({ mean: 0, n: 1 });
    expect(reviewer(c, 'r1').leniencyVsOthers).toEqual({ mean: 1, n: 1 });
  });
});

describe('calibration: each reviewer against the others', () => {
  // One answer, one dimension, three reviewers: 4, 2 and 3; the coach gave 3.
  const coach = new Map<string, Scores>([['a1', all(3)]]);
  const reviews = [
    review('kim', 'a1', { clarity: { score: 4 } }),
    review('lee', 'a1', { clarity: { score: 2 } }),
    review('max', 'a1', { clarity: { score: 3 } }),
  ];
  const c = calibrate(reviews, coach);

  it('leniency is a reviewer’s score minus the mean of the others’ on the same answers', () => {
    expect(reviewer(c, 'kim').leniencyVsOthers).toEqual({ mean: 4 - (2 + 3) / 2, n: 1 });
    expect(reviewer(c, 'lee').leniencyVsOthers).toEqual({ mean: 2 - (4 + 3) / 2, n: 1 });
    expect(reviewer(c, 'max').leniencyVsOthers).toEqual({ mean: 0, n: 1 });
    expect(reviewer(c, 'kim').leniencyVsCoach).toEqual({ mean: 1, n: 1 });
  });

  it('agreement is the within-one rate over each shared score with each other reviewer', () => {
    // kim–lee differ by 2 (a miss), kim–max by 1 (a hit).
    expect(reviewer(c, 'kim').agreementWithOthers).toEqual({ withinOne: 0.5, n: 2 });
    expect(reviewer(c, 'max').agreementWithOthers).toEqual({ withinOne: 1, n: 2 });
  });

  it('a reviewer alone on their answers has no leniency or agreement to report, rather than zero', () => {
    const alone = calibrate([review('solo', 'a1', everywhere(4))], coach);
    expect(reviewer(alone, 'solo')).toEqual({
      reviewerId: 'solo',
      n: 5,
      leniencyVsCoach: { mean: 1, n: 5 },
      leniencyVsOthers: { mean: null, n: 0 },
      agreementWithOthers: { withinOne: null, n: 0 },
    });
  });

  it('reviewers are listed by id, including one who left every dimension unscored', () => {
    const withBlank = calibrate([...reviews, review('abe', 'a1', {})], coach);
    expect(withBlank.reviewers.map((r) => r.reviewerId)).toEqual(['abe', 'kim', 'lee', 'max']);
    expect(reviewer(withBlank, 'abe').n).toBe(0);
  });

  it('refuses two reviews of one answer by the same reviewer', () => {
    expect(() => calibrate([...reviews, review('kim', 'a1', { star: { score: 1 } })], coach)).toThrow(
      /kim reviewed answer a1 twice/,
    );
  });
});
