import { describe, expect, it } from 'vitest';
import type { AnalyticsSession } from './api';
import { dimensionName, formatScore, scoreSeries, scoreSummary, unfinished } from './progress';

const scores = (v: number) => ({ star: v, clarity: v, impact: v, conciseness: v, relevance: v });
const session = (over: Partial<AnalyticsSession>): AnalyticsSession => ({
  id: 's',
  jobId: 'j',
  jobTitle: 'PM',
  module: 'behavioral',
  createdAt: '2025-03-10T09:00:00Z',
  completed: true,
  scores: scores(3),
  competencies: [],
  ...over,
});

describe('progress shaping', () => {
  it('charts only the sessions that have scores, oldest first, one value per dimension', () => {
    const s = scoreSeries([
      session({ id: 'a', scores: scores(2) }),
      session({ id: 'b', scores: null, completed: false, createdAt: '2025-03-11T09:00:00Z' }),
      session({ id: 'c', scores: { ...scores(4), impact: 2.5 }, createdAt: '2025-03-12T09:00:00Z' }),
    ]);
    expect(s.points.map((p) => p.id)).toEqual(['a', 'c']);
    expect(s.values.star).toEqual([2, 4]);
    expect(s.values.impact).toEqual([2, 2.5]);
  });

  it('labels two sessions on the same day with their times so the points stay apart', () => {
    const s = scoreSeries(
      [
        session({ id: 'a', createdAt: '2025-03-10T09:00:00' }),
        session({ id: 'b', createdAt: '2025-03-10T15:30:00' }),
        session({ id: 'c', createdAt: '2025-03-12T09:00:00' }),
      ],
      'en-GB',
    );
    expect(s.points[0]!.label).not.toBe(s.points[1]!.label);
    expect(s.points[0]!.label).toContain('10 Mar');
    expect(s.points[2]!.label).toBe('12 Mar');
  });

  it('summarises the chart in words for screen readers', () => {
    expect(scoreSummary(scoreSeries([]))).toMatch(/No scored sessions/);
    const text = scoreSummary(scoreSeries([session({ scores: { ...scores(4), impact: 2.5 } })], 'en-GB'));
    expect(text).toContain('over 1 session,');
    expect(text).toContain('Impact 2.5');
    expect(text).toContain('STAR structure 4.0');
  });

  it('lists unfinished sessions newest first for resuming', () => {
    const list = unfinished([
      session({ id: 'a', completed: false }),
      session({ id: 'b' }),
      session({ id: 'c', completed: false }),
    ]);
    expect(list.map((s) => s.id)).toEqual(['c', 'a']);
  });

  it('names dimensions and formats averages, with a dash for none', () => {
    expect(dimensionName('star')).toBe('STAR structure');
    expect(dimensionName('storytelling')).toBe('Storytelling');
    expect(formatScore(3.25)).toBe('3.3');
    expect(formatScore(null)).toBe('—');
  });
});
