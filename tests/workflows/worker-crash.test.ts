// Production shape: API and worker in separate processes over a real PostgreSQL server (LISTEN/NOTIFY).
// The worker is SIGKILLed mid-critique and the API restarted; the session must finish with no lost or
// repeated turn or event, and an SSE client resuming with Last-Event-ID must see every event once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ANSWER, apiClient, createReadyJob, type SseEvent } from '../support/client.js';
import { stopChild } from '../support/processes.js';
import { openSplitStack, type SplitStack } from '../support/split-stack.js';

let stack: SplitStack;

beforeAll(async () => {
  stack = await openSplitStack('crash', { OFFLINE_TOKEN_DELAY_MS: '25' });
});

afterAll(() => stack?.close());

it('a worker killed mid-critique and a restarted API lose nothing and repeat nothing', async () => {
  let worker = stack.startWorker(1);
  let api = await stack.startApi();
  let client = apiClient(api.url);
  const jobId = await createReadyJob(client);
  const { json: created } = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 1,
  });
  const id = created.id;

  // First connection: read until the critique has started streaming, then the worker dies.
  const before = await client.events(id, {
    timeoutMs: 60_000,
    until: (e) => {
      if (e.data.type === 'question')
        void client.call('POST', `/api/sessions/${id}/answers`, { text: ANSWER, turnId: e.data.turnId });
      return e.data.type === 'token' && e.data.node === 'critique';
    },
  });
  expect(before.some((e) => e.data.type === 'feedback')).toBe(false);
  worker.kill('SIGKILL');
  await stopChild(worker);
  await api.stop();

  api = await stack.startApi();
  client = apiClient(api.url);
  worker = stack.startWorker(2);
  const after = await client.events(id, {
    lastEventId: before.at(-1)!.id,
    timeoutMs: 90_000,
    until: (e) => e.data.type === 'state' && e.data.status === 'reviewing',
  });

  const all: SseEvent[] = [...before, ...after];
  const ids = all.map((e) => e.id);
  expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
  expect(all.filter((e) => e.data.type === 'question')).toHaveLength(1);
  expect(all.filter((e) => e.data.type === 'feedback')).toHaveLength(1);
  // The retried critique told the user, once, that it was retrying.
  expect(after.filter((e) => e.data.type === 'error')).toEqual([
    expect.objectContaining({ data: expect.objectContaining({ type: 'error', retryable: true }) }),
  ]);
  const streamed = (node: string) =>
    all
      .filter((e) => e.data.type === 'token' && e.data.node === node)
      .map((e) => e.data.text)
      .join('')
      .trim();
  const session = await client.call<{
    turns: { answer: string; feedback: { critique: string; rewrite: string } }[];
  }>('GET', `/api/sessions/${id}`);
  expect(session.json.turns).toHaveLength(1);
  expect(session.json.turns[0]!.answer).toBe(ANSWER);
  // Every critique and rewrite token shown exactly once: the streamed text is the saved text.
  expect(streamed('critique')).toBe(session.json.turns[0]!.feedback.critique);
  expect(streamed('rewrite')).toBe(session.json.turns[0]!.feedback.rewrite);

  expect((await client.call('POST', `/api/sessions/${id}/next`)).status).toBe(202);
  const end = await client.events(id, {
    lastEventId: ids.at(-1),
    until: (e) => e.data.type === 'state' && e.data.status === 'completed',
  });
  expect(end.at(-1)!.id).toBe(ids.at(-1)! + 1);
  // The worker on its own serves what it recorded: the coach's tokens and time to first token.
  const metrics = await (await fetch(`${stack.workerUrl}/metrics`)).text();
  expect(metrics).toMatch(/ih_llm_tokens_total\{provider="offline",node="critique"\} [1-9]/);
  expect(metrics).toMatch(/ih_time_to_first_token_seconds_count\{phase="coach"\} [1-9]/);
  expect((await fetch(`${stack.workerUrl}/healthz`)).status).toBe(200);
  await api.stop();
}, 240_000);
