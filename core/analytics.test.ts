import { describe, expect, it } from 'vitest';
import {
  competencyMeans,
  debriefOf,
  finalAttempts,
  weakCompetencies,
  type CoachedTurn,
} from './analytics.js';
import type { Feedback } from './types.js';

const fb = (s: number, drill = `drill ${s}`, extra: Partial<Feedback> = {}): Feedback => ({
  turnId: 'x',
  scores: { star: s, clarity: s, impact: s, conciseness: s, relevance: s } as Feedback['scores'],
  reasons: { star: '', clarity: '', impact: '', conciseness: '', relevance: '' },
  strengths: [],
  gaps: [],
  critique: '',
  rewrite: '',
  drill,
  citations: [],
  ...extra,
});
const turn = (
  id: string,
  competency: string,
  feedback: Feedback | null,
  retryOf: string | null = null,
): CoachedTurn => ({
  id,
  sessionId: 's',
  retryOf,
  competency,
  feedback,
  createdAt: new Date(),
});

describe('progress analytics', () => {
  it('a retry replaces the attempt it retried; uncoached turns do not count', () => {
    const turns = [turn('a', 'impact', fb(2)), turn('b', 'impact', fb(4), 'a'), turn('c', 'conflict', null)];
    expect(finalAttempts(turns).map((t) => t.id)).toEqual(['b']);
  });

  it('ranks competencies weakest first and picks the weak ones to practise', () => {
    const answers = [
      turn('a', 'conflict', fb(2)),
      turn('b', 'impact', fb(4)),
      turn('c', 'conflict', fb(3)),
      turn('d', 'ambiguity', fb(3)),
    ];
    expect(competencyMeans(answers as never).map((c) => [c.competency, c.average])).toEqual([
      ['conflict', 2.5],
      ['ambiguity', 3],
      ['impact', 4],
    ]);
    expect(weakCompetencies(answers as never)).toEqual(['conflict', 'ambiguity']);
  });

  it('debriefs a session from its final attempts, drills for the weakest answers first', () => {
    const d = debriefOf([
      turn('a', 'impact', fb(2, 'quantify', { gaps: ['no number'] })),
      turn('b', 'impact', fb(4, 'tighten', { strengths: ['clear action'] }), 'a'),
      turn('c', 'conflict', fb(1, 'say what you did', { gaps: ['no number'] })),
    ]);
    expect(d.answered).toBe(2);
    expect(d.scores.star).toBe(2.5);
    expect(d.drills).toEqual(['say what you did', 'tighten']);
    expect(d.gaps).toEqual(['no number']);
    expect(d.strengths).toEqual(['clear action']);
  });
});
