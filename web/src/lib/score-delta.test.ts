import { describe, expect, it } from 'vitest';
import type { Feedback, Scores } from './api';
import {
  deltaDirection,
  formatDelta,
  previousFeedback,
  retryDeltas,
  scoreDeltas,
  shownScore,
} from './score-delta';

const fb = (scores: Scores): Feedback => ({
  turnId: 't',
  scores,
  reasons: { star: '', clarity: '', impact: '', conciseness: '', relevance: '' },
  critique: '',
  strengths: [],
  gaps: [],
  rewrite: '',
  drill: '',
  citations: [],
});

const before = fb({ star: 3, clarity: 4, impact: 2, conciseness: 5, relevance: 4 });
const after = fb({ star: 5, clarity: 4, impact: 3, conciseness: 4, relevance: 4 });

describe('score deltas', () => {
  it('is the signed change per dimension', () => {
    expect(scoreDeltas(after.scores, before.scores)).toEqual({
      star: 2,
      clarity: 0,
      impact: 1,
      conciseness: -1,
      relevance: 0,
    });
  });

  it('compares the scores as shown: rounded and clamped to 0..5, missing as 0', () => {
    expect(shownScore(3.6)).toBe(4);
    expect(shownScore(9)).toBe(5);
    expect(shownScore(-1)).toBe(0);
    expect(shownScore(undefined)).toBe(0);
    expect(scoreDeltas({ star: 4.6, impact: 7 }, { star: 4.4 }).star).toBe(1);
    expect(scoreDeltas({ star: 4.6, impact: 7 }, { star: 4.4 }).impact).toBe(5);
  });

  it('formats and classifies a delta', () => {
    expect([2, -1, 0].map(formatDelta)).toEqual(['+2', '-1', '0']);
    expect([2, -1, 0].map(deltaDirection)).toEqual(['up', 'down', 'same']);
  });

  it('a retry is compared with the turn named by retryOf', () => {
    const turns = [
      { id: 't1', feedback: before },
      { id: 't2', retryOf: 't1', feedback: after },
    ];
    expect(previousFeedback(turns, turns[1]!)).toBe(before);
    expect(retryDeltas(turns, turns[1]!)?.star).toBe(2);
    // Not a retry, or the retry not yet coached: nothing to show.
    expect(retryDeltas(turns, turns[0]!)).toBeUndefined();
    expect(retryDeltas(turns, { id: 't3', retryOf: 't1' })).toBeUndefined();
  });

  it('after a follow-up probe, the earlier feedback is the one on the original turn', () => {
    const turns = [
      { id: 't1', feedback: before },
      { id: 'p1', probeOf: 't1' },
      { id: 't2', retryOf: 't1', feedback: after },
    ];
    expect(retryDeltas(turns, turns[2]!)?.impact).toBe(1);
    // Should retryOf name the probe itself, the probed turn's feedback is still found.
    expect(retryDeltas(turns, { id: 't3', retryOf: 'p1', feedback: after })?.conciseness).toBe(-1);
    // An earlier attempt without feedback: nothing to compare.
    expect(retryDeltas([{ id: 't1' }], { id: 't2', retryOf: 't1', feedback: after })).toBeUndefined();
  });
});
