// The session's update handlers under races, on the real Temporal dev server with the real workflow code.
// The activities are fakes gated by the test (named as such): only they can hold a question or a
// follow-up decision open at the exact moment an answer or an end arrives.
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { interviewSession } from '../../workflows/session.workflow.js';
import { workflowBundle } from '../../workflows/worker.js';
import {
  endSession,
  nextRound,
  sessionState,
  submitAnswer,
  type SessionInput,
} from '../../workflows/messages.js';

/** A promise the test opens when it wants the activity to finish. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

let gates: { question: ReturnType<typeof gate>; probe: ReturnType<typeof gate> };
const resetGates = () => (gates = { question: gate(), probe: gate() });

/** Fake activities: instant, except where a gate holds them. */
const fakeActivities = {
  async askQuestion({ round }: { round: number }) {
    await gates.question.opened;
    return { text: `question ${round}`, citations: [] };
  },
  async askProbe() {
    await gates.probe.opened;
    return null;
  },
  async coachAnswer() {},
  async repeatQuestion() {},
  async publishState() {},
  async debriefSession() {},
  async transcribeAnswer() {
    return { text: '' };
  },
  async reopenAnswer() {},
};

const taskQueue = `session-updates-${randomUUID()}`;
let worker: Worker;
let running: Promise<void>;
let client: Client;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const address = inject('temporalAddress');
  worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: fakeActivities,
  });
  running = worker.run();
  client = new Client({ connection: await Connection.connect({ address }) });
});
afterAll(async () => {
  worker?.shutdown();
  await running;
});

async function start() {
  resetGates();
  const sessionId = randomUUID();
  const input: SessionInput = {
    sessionId,
    ownerId: 'u',
    jobId: 'j',
    module: 'behavioral',
    rounds: 2,
    autoAdvance: false,
  };
  return client.workflow.start<typeof interviewSession>('interviewSession', {
    taskQueue,
    workflowId: sessionId,
    args: [input],
  });
}

type Handle = Awaited<ReturnType<typeof start>>;

async function waitFor(handle: Handle, phase: string) {
  for (let i = 0; i < 200; i++) {
    if ((await handle.query(sessionState)).phase === phase) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the session never reached ${phase}`);
}

/** What rejected the update: the workflow's typed ApplicationFailure. */
async function rejectionOf(result: Promise<unknown>) {
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

/** A failed workflow task is the stuck-session defect: the update neither applied nor rejected. */
async function workflowTaskFailures(handle: Handle) {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).length;
}

describe('session update handlers', () => {
  it('an answer sent while the question streams, then an end: the answer is rejected and the session ends', async () => {
    const handle = await start();
    await waitFor(handle, 'ask');
    const answer = await handle.startUpdate(submitAnswer, {
      args: [{ text: 'an answer before the question was recorded' }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    expect(await handle.executeUpdate(endSession)).toEqual({ round: 1 });
    const failure = await rejectionOf(answer.result());
    expect(failure.type).toBe('SessionEnded');
    expect(failure.message).toBe('the session has ended');
    gates.question.open();
    const done = await handle.result();
    expect(done.phase).toBe('done');
    expect(done.turns.every((t) => t.answer === undefined)).toBe(true);
    expect(await workflowTaskFailures(handle)).toBe(0);
  });

  it('an answer to a follow-up that was never asked is not applied to the next question', async () => {
    const handle = await start();
    gates.question.open();
    await waitFor(handle, 'await');
    await handle.executeUpdate(submitAnswer, { args: [{ text: 'first answer' }] });
    await waitFor(handle, 'coach'); // deciding whether to ask a follow-up: an answer may target it
    const stale = await handle.startUpdate(submitAnswer, {
      args: [{ text: 'an answer meant for the follow-up' }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    gates.probe.open(); // no follow-up after all: the answer's question is gone
    await waitFor(handle, 'review');
    await handle.executeUpdate(nextRound);
    const failure = await rejectionOf(stale.result());
    expect(failure.type).toBe('QuestionChanged');

    // The session is healthy: round 2 waits for its own answer and takes it.
    await waitFor(handle, 'await');
    const state = await handle.query(sessionState);
    expect(state.round).toBe(2);
    expect(state.turns.at(-1)!.answer).toBeUndefined();
    const turnId = state.turns.at(-1)!.id;
    expect(await handle.executeUpdate(submitAnswer, { args: [{ text: 'second answer', turnId }] })).toEqual({
      turnId,
    });
    expect(await workflowTaskFailures(handle)).toBe(0);
    await handle.executeUpdate(endSession);
    expect((await handle.result()).phase).toBe('done');
  });

  it('an answer naming an old turn is refused at once with its reason', async () => {
    const handle = await start();
    gates.question.open();
    await waitFor(handle, 'await');
    const failure = await rejectionOf(
      handle.executeUpdate(submitAnswer, { args: [{ text: 'x', turnId: 'not-this-turn' }] }),
    );
    expect(failure.type).toBe('QuestionChanged');
    expect(failure.message).toBe('turn not-this-turn is not the question being asked');
    await handle.executeUpdate(endSession);
    expect((await handle.result()).phase).toBe('done');
    expect(await workflowTaskFailures(handle)).toBe(0);
  });
});
