import { describe, expect, it } from 'vitest';
import type { Scores, SubmittedReviewView } from './api';
import { anchorText, differencesFromCoach, spreadTable } from './reviews';

const review = (reviewer: string, scores: SubmittedReviewView['answers'][number]['scores']) => ({
  reviewer,
  submittedAt: '2026-12-01T10:00:00.000Z',
  answers: [{ answerId: 'a1', scores, comments: [] }],
});
const COACH: Scores = { star: 4, clarity: 3, impact: 2, conciseness: 3, relevance: 4 };

describe('the dimension × reviewer table', () => {
  it('puts each reviewer and the coach in a row per dimension and flags a spread of two or more', () => {
    const rows = spreadTable(
      [review('Ana', { star: { score: 2 }, clarity: { score: 3 } }), review('Bo', { star: { score: 3 } })],
      'a1',
      COACH,
    );
    const star = rows.find((r) => r.dimension === 'star')!;
    expect(star).toEqual({ dimension: 'star', reviewers: [2, 3], coach: 4, spread: 2, wide: true });
    const clarity = rows.find((r) => r.dimension === 'clarity')!;
    expect(clarity).toMatchObject({ reviewers: [3, null], spread: 0, wide: false });
  });

  it('has no spread where only one score was given', () => {
    const rows = spreadTable([review('Ana', { impact: { score: 5 } })], 'a1', undefined);
    expect(rows.find((r) => r.dimension === 'impact')).toMatchObject({ spread: null, wide: false });
  });
});

describe('where a reviewer differs from the coach', () => {
  it('lists only the dimensions they scored, signed mine minus coach', () => {
    expect(differencesFromCoach({ star: { score: 2 }, relevance: { score: 5 } }, COACH)).toEqual([
      { dimension: 'star', mine: 2, coach: 4, difference: -2 },
      { dimension: 'relevance', mine: 5, coach: 4, difference: 1 },
    ]);
  });
});

describe('a comment anchor', () => {
  it('quotes the words it points at, or says the time range or the whole answer', () => {
    const answer = 'I rewrote the deploy script and rollbacks fell by 40%.';
    expect(anchorText({ kind: 'transcript', start: 2, end: 9 }, answer)).toBe('“rewrote”');
    expect(anchorText({ kind: 'time', startMs: 5000, endMs: 72_000 }, answer)).toBe('0:05–1:12');
    expect(anchorText({ kind: 'answer' }, answer)).toBe('The whole answer');
  });
});
