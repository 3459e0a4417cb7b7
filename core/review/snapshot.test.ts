import { describe, expect, it } from 'vitest';
import type { Feedback } from '../types.js';
import { requirementsOf, snapshotOf, type SnapshotTurn } from './snapshot.js';

const feedback = { scores: { star: 3 } } as unknown as Feedback;
const turn = (id: string, over: Partial<SnapshotTurn> = {}): SnapshotTurn => ({
  id,
  round: 1,
  question: `Question ${id}?`,
  answer: `Answer ${id}.`,
  feedback,
  audioKey: null,
  ...over,
});

describe('snapshotOf', () => {
  it('takes every coached answer, in the session’s order, when no turn is named', () => {
    const result = snapshotOf([turn('a'), turn('b', { feedback: null }), turn('c', { audioKey: 'k' })]);
    expect(result).toEqual({
      ok: true,
      answers: [
        { answerId: 'a', round: 1, question: 'Question a?', answer: 'Answer a.', audioKey: null, feedback },
        { answerId: 'c', round: 1, question: 'Question c?', answer: 'Answer c.', audioKey: 'k', feedback },
      ],
    });
  });

  it('takes only the named turns, and refuses one not in the session or not yet coached', () => {
    const turns = [turn('a'), turn('b'), turn('c', { answer: null, feedback: null })];
    const named = snapshotOf(turns, ['b']);
    expect(named.ok && named.answers.map((a) => a.answerId)).toEqual(['b']);
    expect(snapshotOf(turns, ['b', 'zz'])).toEqual({ ok: false, reason: 'unknown_turn', turnId: 'zz' });
    expect(snapshotOf(turns, ['c'])).toEqual({ ok: false, reason: 'uncoached_turn', turnId: 'c' });
  });

  it('refuses a session with nothing coached yet', () => {
    expect(snapshotOf([turn('a', { feedback: null })])).toEqual({ ok: false, reason: 'no_answers' });
  });
});

describe('requirementsOf', () => {
  it('keeps clauses of three words or more, at most six', () => {
    const jd = `Contoso Health runs scheduling for 300 clinics.
Requirements
3+ years of product management. Discovery with clinicians; writing clear requirements.
Running A/B tests. Working with engineering on a roadmap. Reducing no-show rates. Owning the backlog daily.`;
    const r = requirementsOf(jd);
    expect(r.length).toBe(6);
    expect(r).not.toContain('Requirements');
    expect(r.every((c) => c.split(/\s+/).length >= 3)).toBe(true);
  });
});
