import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../api';
import { ReplayGate } from './replay-gate';

const q = (turnId: string): SessionEvent => ({ type: 'question', turnId, text: 'Q?', citations: [] });
const tok = (text: string): SessionEvent => ({ type: 'token', node: 'select_question', text });
const fb = (turnId: string) =>
  ({
    type: 'feedback',
    turnId,
    scores: {},
    strengths: [],
    gaps: [],
    rewrite: '',
    drill: '',
    citations: [],
  }) as unknown as SessionEvent;

describe('replay gate', () => {
  it('a new session is live from its first event', () => {
    const gate = new ReplayGate([]);
    expect(gate.observe(tok('Tell me'))).toBe(true);
  });

  it('holds the replayed history of the snapshot and opens right after its last item', () => {
    const gate = new ReplayGate([{ id: 't1', feedback: {} }, { id: 't2' }]);
    const replay = [tok('Old '), q('t1'), fb('t1'), tok('Current'), q('t2')];
    expect(replay.map((e) => gate.observe(e))).toEqual([false, false, false, false, false]);
    // After the snapshot's last question: the critique being written now is live.
    expect(gate.observe({ type: 'token', node: 'critique', text: 'Good' })).toBe(true);
  });

  it('can be opened when the log lacks an item', () => {
    const gate = new ReplayGate([{ id: 'missing' }]);
    expect(gate.observe(tok('x'))).toBe(false);
    gate.open();
    expect(gate.observe(tok('y'))).toBe(true);
  });
});
