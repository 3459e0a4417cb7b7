import { describe, expect, it } from 'vitest';
import type { Feedback, SessionEvent } from './api';
import { applyEvent, createView, currentTurn, setAnswer, type SessionView } from './session-reducer';

const feedback: Omit<Feedback, 'turnId'> = {
  scores: { star: 3, clarity: 4, impact: 2, conciseness: 5, relevance: 4 },
  reasons: { star: 'No clear result.', clarity: '', impact: '', conciseness: '', relevance: '' },
  critique: '',
  strengths: ['Concrete situation'],
  gaps: ['Quantify the outcome'],
  rewrite: 'In Q3 I led…',
  drill: 'Say the result in one sentence.',
  citations: [{ documentId: 'd1', chunkId: 'c1', kind: 'jd', text: 'Owns migrations' }],
};

/** Apply events numbered from `start`, returning the view. */
function play(view: SessionView, events: SessionEvent[], start = 1): SessionView {
  events.forEach((e, i) => applyEvent(view, e, start + i));
  return view;
}

const firstQuestion: SessionEvent[] = [
  { type: 'state', status: 'active', round: 1 },
  { type: 'node', node: 'select_question', status: 'start' },
  { type: 'token', node: 'select_question', text: 'Tell me about ' },
  { type: 'token', node: 'select_question', text: 'a migration you led.' },
];

describe('session reducer', () => {
  it('tokens build the question text until the question event finalizes it', () => {
    const view = play(createView(), firstQuestion);
    expect(view.draftQuestion).toBe('Tell me about a migration you led.');
    expect(view.activeNode).toBe('select_question');
    expect(view.turns).toHaveLength(0);

    play(
      view,
      [
        { type: 'node', node: 'select_question', status: 'end' },
        {
          type: 'question',
          turnId: 't1',
          text: 'Tell me about a migration you led.',
          citations: feedback.citations,
        },
        { type: 'state', status: 'awaiting_answer', round: 1 },
      ],
      5,
    );
    expect(view.draftQuestion).toBe('');
    expect(view.activeNode).toBeNull();
    expect(view.status).toBe('awaiting_answer');
    expect(view.turns).toEqual([
      { id: 't1', round: 1, question: 'Tell me about a migration you led.', citations: feedback.citations },
    ]);
  });

  it('a spoken answer shows its transcript growing, and is answered only by the final transcript', () => {
    const view = play(createView(), [
      { type: 'question', turnId: 't1', text: 'Tell me about a migration you led.', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
      { type: 'transcript', turnId: 't1', text: 'I led the billing migration.', partial: true },
    ]);
    expect(currentTurn(view)).toMatchObject({ liveAnswer: 'I led the billing migration.' });
    expect(currentTurn(view)?.answer).toBeUndefined();
    play(
      view,
      [
        {
          type: 'transcript',
          turnId: 't1',
          text: 'I led the billing migration. It took three stages.',
          partial: true,
        },
      ],
      4,
    );
    expect(currentTurn(view)?.liveAnswer).toBe('I led the billing migration. It took three stages.');
    play(
      view,
      [
        {
          type: 'transcript',
          turnId: 't1',
          text: 'I led the billing migration. It took three stages. Latency fell.',
        },
      ],
      5,
    );
    expect(currentTurn(view)?.answer).toBe(
      'I led the billing migration. It took three stages. Latency fell.',
    );
    expect(currentTurn(view)?.liveAnswer).toBeUndefined();

    // An attempt given back (the engine failed): its live transcript goes with it.
    play(
      view,
      [
        { type: 'transcript', turnId: 't1', text: 'Second try', partial: true },
        { type: 'error', message: 'Your recording could not be transcribed.', retryable: true },
        { type: 'state', status: 'awaiting_answer', round: 1 },
      ],
      6,
    );
    expect(currentTurn(view)?.liveAnswer).toBeUndefined();
  });

  it('ignores an event whose id was already applied', () => {
    const view = play(createView(), firstQuestion);
    const applied = applyEvent(
      view,
      { type: 'token', node: 'select_question', text: 'a migration you led.' },
      4,
    );
    expect(applied).toBe(false);
    expect(applyEvent(view, { type: 'token', node: 'select_question', text: '!' }, 2)).toBe(false);
    expect(view.draftQuestion).toBe('Tell me about a migration you led.');
    expect(view.lastEventId).toBe(4);
  });

  it('replaying the stream over a snapshot does not duplicate turns', () => {
    const view = createView({
      id: 's1',
      jobId: 'j1',
      module: 'behavioral',
      mode: 'text',
      persona: 'neutral',
      autoAdvance: false,
      status: 'awaiting_answer',
      round: 1,
      rounds: 3,
      turns: [{ id: 't1', round: 1, question: 'Q1?', answer: 'My answer' }],
    });
    play(view, [
      { type: 'state', status: 'active', round: 1 },
      { type: 'token', node: 'critique', text: 'stale critique of an earlier turn' },
      { type: 'token', node: 'select_question', text: 'Q1?' },
      { type: 'question', turnId: 't1', text: 'Q1?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    ]);
    expect(view.turns).toHaveLength(1);
    expect(view.turns[0]?.answer).toBe('My answer');
    expect(view.draftQuestion).toBe('');
    expect(view.streams.critique).toBe('');
  });

  it('attaches feedback to its turn and clears the node label', () => {
    const view = play(createView(), [
      ...firstQuestion,
      { type: 'question', turnId: 't1', text: 'Tell me about a migration you led.', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    ]);
    setAnswer(view, 't1', 'I moved our billing DB.');
    play(
      view,
      [
        { type: 'state', status: 'coaching', round: 1 },
        { type: 'node', node: 'critique', status: 'start' },
        { type: 'token', node: 'critique', text: 'Good context, ' },
        { type: 'token', node: 'critique', text: 'weak result.' },
      ],
      7,
    );
    expect(view.activeNode).toBe('critique');
    expect(view.streams.critique).toBe('Good context, weak result.');

    play(
      view,
      [
        { type: 'node', node: 'critique', status: 'end' },
        { type: 'feedback', turnId: 't1', ...feedback },
        { type: 'state', status: 'reviewing', round: 1 },
      ],
      11,
    );
    const turn = currentTurn(view);
    expect(turn?.id).toBe('t1');
    expect(turn?.answer).toBe('I moved our billing DB.');
    expect(turn?.feedback).toEqual({ ...feedback, turnId: 't1' });
    expect(view.status).toBe('reviewing');
    expect(view.activeNode).toBeNull();
  });

  it('a retry starts a new turn with the same question in the same round', () => {
    const view = play(createView(), [
      { type: 'question', turnId: 't1', text: 'Why us?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
      { type: 'feedback', turnId: 't1', ...feedback },
      { type: 'state', status: 'reviewing', round: 1 },
      { type: 'question', turnId: 't2', text: 'Why us?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    ]);
    expect(view.turns.map((t) => [t.id, t.round, t.question, t.retryOf])).toEqual([
      ['t1', 1, 'Why us?', undefined],
      ['t2', 1, 'Why us?', 't1'],
    ]);
    expect(view.turns[0]?.feedback?.scores.star).toBe(3);
    expect(view.turns[1]?.feedback).toBeUndefined();
  });

  it('a follow-up probe is a turn of the same round, and the feedback lands on the probed question', () => {
    const view = play(createView(), [
      { type: 'question', turnId: 't1', text: 'Why us?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
      {
        type: 'question',
        turnId: 'p1',
        text: 'What did you personally do?',
        citations: [],
        probeOf: 't1',
        round: 1,
      },
      { type: 'state', status: 'awaiting_answer', round: 1 },
      { type: 'feedback', turnId: 't1', ...feedback },
      { type: 'state', status: 'reviewing', round: 1 },
    ]);
    expect(view.turns.map((t) => [t.id, t.round, t.probeOf, t.feedback !== undefined])).toEqual([
      ['t1', 1, undefined, true],
      ['p1', 1, 't1', false],
    ]);
  });

  it('a retry after a follow-up probe repeats, and is compared with, the probed question', () => {
    const view = play(createView(), [
      { type: 'question', turnId: 't1', text: 'Why us?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
      { type: 'question', turnId: 'p1', text: 'What did you do?', citations: [], probeOf: 't1', round: 1 },
      { type: 'state', status: 'awaiting_answer', round: 1 },
      { type: 'feedback', turnId: 't1', ...feedback },
      { type: 'state', status: 'reviewing', round: 1 },
      // The server's repeat carries no retryOf: the reducer infers it.
      { type: 'question', turnId: 't2', text: 'Why us?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    ]);
    expect(view.turns.map((t) => [t.id, t.round, t.retryOf, t.probeOf])).toEqual([
      ['t1', 1, undefined, undefined],
      ['p1', 1, undefined, 't1'],
      ['t2', 1, 't1', undefined],
    ]);
  });

  it('the next question starts the next round', () => {
    const view = play(createView(), [
      { type: 'state', status: 'awaiting_answer', round: 1 },
      { type: 'question', turnId: 't1', text: 'Q1?', citations: [] },
      { type: 'feedback', turnId: 't1', ...feedback },
      { type: 'state', status: 'reviewing', round: 1 },
      { type: 'question', turnId: 't2', text: 'Q2?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 2 },
    ]);
    expect(view.turns.map((t) => [t.id, t.round, t.retryOf])).toEqual([
      ['t1', 1, undefined],
      ['t2', 2, undefined],
    ]);
    expect(view.round).toBe(2);
  });

  it('error events are collected for the alert region', () => {
    const view = play(createView(), [{ type: 'error', message: 'Model timed out', retryable: true }]);
    expect(view.errors).toEqual([{ key: 'e1', message: 'Model timed out', retryable: true }]);
  });
});

describe('session reducer: a mock panel', () => {
  const template = {
    id: 'p',
    title: 'Panel',
    family: 'engineering',
    decisionRule: 'consensus' as const,
    panelists: [
      { id: 'ana', name: 'Ana', role: 'hiring_manager' as const },
      { id: 'ben', name: 'Ben', role: 'peer' as const },
    ].map((p) => ({
      ...p,
      persona: 'neutral' as const,
      dimensions: ['star' as const],
      competencies: [{ competency: 'ownership', weight: 3 }],
      timeBudgetSec: 120,
      mayInterrupt: false,
      voice: p.id,
    })),
  };
  const snapshot = {
    id: 's',
    jobId: 'j',
    module: 'behavioral' as const,
    mode: 'text' as const,
    rounds: 20,
    status: 'active' as const,
    round: 1,
    persona: 'neutral' as const,
    autoAdvance: true,
    turns: [],
    panel: { template },
  };

  it('a cut-in ends the spoken answer at what was said and is asked next as the same panelist’s follow-up, once', () => {
    const view = createView(snapshot);
    const ben = { id: 'ben', name: 'Ben', role: 'peer' as const };
    const cutIn = 'Let me stop you there — what was the outcome?';
    play(view, [
      { type: 'question', turnId: 't1', text: 'A bug you chased?', citations: [], panelist: ben },
      { type: 'transcript', turnId: 't1', text: 'So there were many meetings', partial: true },
      {
        type: 'interrupt',
        turnId: 't1',
        panelist: ben,
        text: cutIn,
        answer: 'So there were many meetings and',
        followUpTurnId: 't2',
      },
      { type: 'question', turnId: 't2', text: cutIn, citations: [], probeOf: 't1', round: 1, panelist: ben },
    ]);
    expect(view.turns).toHaveLength(2);
    expect(view.turns[0]).toMatchObject({ answer: 'So there were many meetings and' });
    expect(view.turns[0]!.liveAnswer).toBeUndefined();
    expect(view.turns[1]).toMatchObject({
      id: 't2',
      question: cutIn,
      probeOf: 't1',
      cutIn: true,
      panelist: ben,
    });
    expect(currentTurn(view)?.answer).toBeUndefined();
  });

  it('a question names its panelist and hand-over and moves the clock; scorecards and the debrief land on the panel', () => {
    const view = createView(snapshot);
    play(view, [
      {
        type: 'question',
        turnId: 't1',
        text: 'Tell me about ownership.',
        citations: [],
        panelist: { id: 'ana', name: 'Ana', role: 'hiring_manager' },
        timeUsed: { ana: 0, ben: 0 },
      },
      {
        type: 'question',
        turnId: 't2',
        text: 'A bug you chased?',
        citations: [],
        panelist: { id: 'ben', name: 'Ben', role: 'peer' },
        handOver: "I'll let Ben ask about debugging.",
        timeUsed: { ana: 61, ben: 0 },
      },
    ]);
    expect(view.turns.map((t) => t.panelist?.id)).toEqual(['ana', 'ben']);
    expect(view.turns[1]!.handOver).toBe("I'll let Ben ask about debugging.");
    expect(view.panel?.timeUsed).toEqual({ ana: 61, ben: 0 });

    const scorecard = {
      panelistId: 'ana',
      scores: { star: 4 as const },
      evidence: [],
      weightedMean: 4,
      lean: 'hire' as const,
    };
    play(
      view,
      [
        { type: 'scorecard', scorecard },
        { type: 'scorecard', scorecard },
      ],
      3,
    );
    expect(view.panel?.scorecards).toEqual([scorecard]);
    const debrief = {
      grid: [],
      decision: {
        outcome: 'hire' as const,
        rule: 'consensus' as const,
        votes: { hire: 1, noHire: 0 },
        reason: 'Hire: 1 of 1 lean hire.',
      },
      dissent: [],
      wouldHaveChanged: { changes: [], text: 'The decision would have been no hire if…' },
      drills: [],
      absent: ['ben'],
    };
    play(view, [{ type: 'panel_debrief', debrief, timeUsed: { ana: 61, ben: 40 } }], 5);
    expect(view.panel?.debrief).toEqual(debrief);
    expect(view.panel?.timeUsed).toEqual({ ana: 61, ben: 40 });
  });
});
