// The model-backed coach against a REAL OpenAI-compatible server: llama-cpp-python's, serving a 0.5B model
// on 2 CPU threads (tests/support/llama-server.ts). A whole session — question, probe, feedback, retry,
// next, end — runs without a timeout, a retry or a stray event, and the feedback holds the model's text.
// The failure cases (a slow or silent model) are in slow-model.test.ts, on a fake.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiClient, createReadyJob, type SseEvent } from '../support/client.js';
import { startLlamaServer, TEST_MODEL_ALIAS, type LlamaServer } from '../support/llama-server.js';
import { startStack, type TestStack } from '../support/stack.js';

let llama: LlamaServer;
let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  llama = await startLlamaServer();
  stack = await startStack({
    LLM_BASE_URL: llama.url,
    LLM_MODEL: TEST_MODEL_ALIAS,
    // Short replies keep the test to a few minutes on 2 cores (about one alone; a loaded machine can be ten
    // times slower, hence the generous attempt time); the behaviour under test does not depend on length.
    LLM_MAX_OUTPUT_TOKENS: '60',
    COACH_ATTEMPT_SECONDS: '900',
  });
  api = apiClient(stack.baseUrl);
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await llama?.stop();
});

type Turn = {
  id: string;
  question: string;
  answer?: string;
  retryOf?: string;
  feedback?: { critique: string };
};
type Session = { status: string; round: number; turns: Turn[] };

/** Too vague to coach at once (no personal action, no result): the coach asks a follow-up first. */
const VAGUE = 'I think we maybe fixed it.';

/** The offline coach's critique always opens with one of these verdicts (agents/coach-text/verdict.ts). */
const OFFLINE_OPENERS =
  /^(A strong answer, best on |Strong on [a-z]+; one thing to fix: |One thing to fix first: )/;

it(
  'runs a session through question, probe, feedback, retry, next and end on a real server: no timeouts, no stray events, model text',
  () => Promise.race([llama.died, wholeSession()]),
  2_400_000,
);

async function wholeSession() {
  const jobId = await createReadyJob(api);
  const created = await api.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 2,
  });
  expect(created.status).toBe(201);
  const id = created.json.id;
  const isQuestion = (e: SseEvent) => e.data.type === 'question' && !e.data.probeOf;
  const first = (await api.events(id, { until: isQuestion, timeoutMs: 600_000 })).at(-1)!;
  await api.waitStatus(id, 'awaiting_answer', 30_000);

  // Round 1: a vague answer gets a follow-up probe first; both answers are coached together.
  const feedbackAfter = (after: number) => (e: SseEvent) => e.data.type === 'feedback' && e.id > after;
  let events = await api.answerUntil(id, first.data.turnId as string, feedbackAfter(first.id), {
    text: VAGUE,
    timeoutMs: 900_000,
  });
  expect(events.some((e) => e.data.type === 'question' && e.data.probeOf === first.data.turnId)).toBe(true);
  let s = await api.waitStatus<Session>(id, 'reviewing', 30_000);
  const coached = s.turns.find((t) => t.feedback)!;
  expect(coached.feedback!.critique).not.toMatch(OFFLINE_OPENERS);
  expect(coached.feedback!.critique.length).toBeGreaterThan(20);

  // The same question again: a new turn, coached once more.
  const retried = await api.call<{ turnId: string }>('POST', `/api/sessions/${id}/retry`);
  expect(retried.status).toBe(202);
  await api.waitStatus(id, 'awaiting_answer', 30_000);
  const lastId = events.at(-1)!.id;
  events = await api.answerUntil(id, retried.json.turnId, feedbackAfter(lastId), { timeoutMs: 300_000 });
  s = await api.waitStatus<Session>(id, 'reviewing', 30_000);
  expect(s.turns.find((t) => t.id === retried.json.turnId)?.retryOf).toBe(coached.id);

  // Round 2 is asked, then the session ends.
  expect((await api.call('POST', `/api/sessions/${id}/next`)).status).toBe(202);
  await api.waitStatus(id, 'awaiting_answer', 600_000);
  expect((await api.call('POST', `/api/sessions/${id}/end`)).status).toBe(202);
  s = await api.waitStatus<Session>(id, 'completed', 60_000);

  // Nothing timed out or was retried (a retry tells the user with an error event), each answer was coached
  // exactly once, and nothing was written after the session completed.
  await new Promise((r) => setTimeout(r, 3_000));
  const all = (await stack.services.events.readAfter(id, 0, 10_000)).map((e) => e.event);
  expect(all.filter((e) => e.type === 'error')).toEqual([]);
  const feedback = all.filter((e) => e.type === 'feedback') as { turnId: string }[];
  expect(feedback.map((f) => f.turnId).sort()).toEqual(
    s.turns
      .filter((t) => t.feedback)
      .map((t) => t.id)
      .sort(),
  );
  expect(feedback).toHaveLength(2);
  const completed = all.findIndex((e) => e.type === 'state' && e.status === 'completed');
  expect(completed).toBe(all.length - 1);
  // The coach's words came from the server: several completions per coached answer.
  expect(llama.completions()).toBeGreaterThanOrEqual(2 * 4);
}
