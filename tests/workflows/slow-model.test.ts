// The coach on a model that is slow or stops answering (a FAKE OpenAI-compatible server, tests/support/
// slow-llm.ts, since a real one cannot be made slow or silent on demand): a judge call longer than any
// heartbeat timeout is waited for, once; a model that never answers ends in a clear, retryable error after a
// bounded number of attempts, with the answer kept and nothing written by the attempts given up on.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COACH_DID_NOT_ANSWER } from '../../workflows/activities/session.js';
import { COACH_ATTEMPTS } from '../../workflows/messages.js';
import { ANSWER, apiClient, createReadyJob, type SseEvent } from '../support/client.js';
import { startSlowLlm, MODEL_CRITIQUE, type SlowLlm } from '../support/slow-llm.js';
import { startStack, type TestStack } from '../support/stack.js';

// Long enough for the slow judge below, short enough that three attempts of a silent model fit a test.
const ATTEMPT_SECONDS = 15;

let llm: SlowLlm;
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let jobId: string;

beforeAll(async () => {
  llm = await startSlowLlm();
  stack = await startStack({ LLM_BASE_URL: llm.url, COACH_ATTEMPT_SECONDS: String(ATTEMPT_SECONDS) });
  api = apiClient(stack.baseUrl);
  jobId = await createReadyJob(api);
}, 120_000);

beforeEach(() => {
  llm.hang = false;
  llm.judgeDelayMs = 0;
});

afterAll(async () => {
  await stack?.close();
  await llm?.close();
});

type Turn = { id: string; answer?: string; feedback?: { critique?: string } };

/** Starts a one-round session and waits for its question. */
async function askedSession(): Promise<{ id: string; turnId: string; seen: SseEvent[] }> {
  const created = await api.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 1,
  });
  expect(created.status).toBe(201);
  const id = created.json.id;
  const seen = await api.events(id, { until: (e) => e.data.type === 'question', timeoutMs: 60_000 });
  await api.waitStatus(id, 'awaiting_answer');
  return { id, turnId: seen.at(-1)!.data.turnId as string, seen };
}

describe('the coach on a slow model (FAKE server)', () => {
  it('waits out a judge call longer than the heartbeat timeout, with one attempt and one request at a time', async () => {
    llm.judgeDelayMs = 11_000; // the heartbeat timeout is 10 s: only a timer heartbeat survives this
    const callsBefore = llm.calls;
    const { id, turnId } = await askedSession();
    const events = await api.answerUntil(id, turnId, (e) => e.data.type === 'feedback', {
      timeoutMs: 120_000,
    });
    const s = await api.waitStatus<{ status: string; turns: Turn[] }>(id, 'reviewing');

    expect(events.filter((e) => e.data.type === 'feedback')).toHaveLength(1);
    // No attempt was abandoned: no "retrying" notice, no request given up on, never two at once.
    expect(events.filter((e) => e.data.type === 'error')).toEqual([]);
    expect(llm.abandoned).toBe(0);
    expect(llm.maxInFlight).toBe(1);
    expect(llm.calls).toBeGreaterThan(callsBefore + 1);
    // The model's own words are in the critique.
    expect(s.turns[0]!.feedback?.critique).toContain(MODEL_CRITIQUE.split('.')[0]);
  }, 180_000);

  it('a model that stops answering: a clear error after bounded attempts, the answer kept, then coached when sent again', async () => {
    const { id, turnId } = await askedSession();
    llm.hang = true;
    const isFailure = (e: SseEvent) => e.data.type === 'error' && e.data.message === COACH_DID_NOT_ANSWER;
    // Three attempts, and the backoff between them.
    const events = await api.answerUntil(id, turnId, isFailure, {
      timeoutMs: COACH_ATTEMPTS * ATTEMPT_SECONDS * 1000 + 60_000,
    });
    expect(events.at(-1)!.data).toEqual({ type: 'error', message: COACH_DID_NOT_ANSWER, retryable: true });
    const waiting = await api.waitStatus<{ status: string; turns: Turn[] }>(id, 'awaiting_answer', 10_000);
    const answered = waiting.turns.at(-1)!;
    expect(answered.answer).toBe(ANSWER);
    expect(answered.feedback).toBeUndefined();

    // The attempts given up on were cancelled at the server, and write nothing afterwards.
    const failedAt = events.at(-1)!.id;
    await new Promise((r) => setTimeout(r, 4_000));
    expect(llm.inFlight).toBe(0);
    expect(llm.abandoned).toBeGreaterThanOrEqual(COACH_ATTEMPTS);
    const later = await stack.services.events.readAfter(id, failedAt);
    expect(later.map((e) => e.event)).toEqual([{ type: 'state', status: 'awaiting_answer', round: 1 }]);

    // The model is back: the same answer, sent again, is coached once.
    llm.hang = false;
    const again = await api.answerUntil(
      id,
      answered.id,
      (e) => e.data.type === 'feedback' && e.id > failedAt,
      {
        timeoutMs: 60_000,
      },
    );
    expect(again.filter((e) => e.data.type === 'feedback')).toHaveLength(1);
    const reviewed = await api.waitStatus<{ status: string; turns: Turn[] }>(id, 'reviewing', 10_000);
    expect(reviewed.turns.at(-1)!.feedback?.critique).toContain(MODEL_CRITIQUE.split('.')[0]);
  }, 240_000);
});
