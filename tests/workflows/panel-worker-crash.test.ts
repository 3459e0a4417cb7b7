// Production shape: API and worker in separate processes over a real PostgreSQL server. A mock panel's worker
// is SIGKILLed while the second panelist's answer is being critiqued, and the API restarted. With a new
// worker the panel resumes at the same turn: the director's choices, the scorecards and the debrief come out
// as if nothing happened, and an SSE client resuming with Last-Event-ID sees every event once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PanelDebrief, PanelScorecard, Session } from '../../contract/index.js';
import { ANSWER, apiClient, createReadyJob, type SseEvent } from '../support/client.js';
import { startSmallPanel } from '../support/panel.js';
import { stopChild } from '../support/processes.js';
import { openSplitStack, type SplitStack } from '../support/split-stack.js';

let stack: SplitStack;

beforeAll(async () => {
  stack = await openSplitStack('panel-crash', { OFFLINE_TOKEN_DELAY_MS: '25' });
});

afterAll(() => stack?.close());

it('a panel whose worker is killed mid-turn resumes at that turn, with every event once', async () => {
  let worker = stack.startWorker(1);
  let api = await stack.startApi();
  let client = apiClient(api.url);
  const jobId = await createReadyJob(client);
  const id = await startSmallPanel(client, jobId);
  const answer = (c: typeof client, e: SseEvent) => {
    if (e.data.type === 'question')
      void c.call('POST', `/api/sessions/${id}/answers`, { text: ANSWER, turnId: e.data.turnId });
  };

  // Answer until the second question's answer is being critiqued, then the worker dies.
  const before = await client.events(id, {
    timeoutMs: 90_000,
    until: (e, all) => {
      answer(client, e);
      return (
        e.data.type === 'token' &&
        e.data.node === 'critique' &&
        all.filter((x) => x.data.type === 'question').length === 2
      );
    },
  });
  const killedTurn = before.filter((e) => e.data.type === 'question').at(-1)!.data.turnId;
  worker.kill('SIGKILL');
  await stopChild(worker);
  await api.stop();

  api = await stack.startApi();
  client = apiClient(api.url);
  worker = stack.startWorker(2);
  const after = await client.events(id, {
    lastEventId: before.at(-1)!.id,
    timeoutMs: 150_000,
    until: (e) => {
      answer(client, e);
      return e.data.type === 'state' && e.data.status === 'completed';
    },
  });

  const all = [...before, ...after];
  const ids = all.map((e) => e.id);
  expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));
  const questions = all.filter((e) => e.data.type === 'question');
  const feedback = all.filter((e) => e.data.type === 'feedback');
  // One question and one feedback per turn: the killed turn's critique was retried, not repeated.
  const turnIds = questions.map((e) => e.data.turnId);
  expect(new Set(turnIds).size).toBe(turnIds.length);
  expect(feedback.map((e) => e.data.turnId)).toEqual(turnIds);
  expect(feedback.filter((e) => e.data.turnId === killedTurn)).toHaveLength(1);
  expect(after.filter((e) => e.data.type === 'error')).toHaveLength(1);

  const session = (await client.call<Session>('GET', `/api/sessions/${id}`)).json;
  expect(session.status).toBe('completed');
  expect(session.turns.map((t) => t.id)).toEqual(turnIds);
  expect(session.turns.map((t) => t.panelist?.id)).toEqual(
    questions.map((e) => (e.data.panelist as { id: string }).id),
  );
  expect(new Set(session.turns.map((t) => t.panelist?.id))).toEqual(new Set(['ana', 'ben', 'cy']));
  const cards = all.filter((e) => e.data.type === 'scorecard');
  expect(cards.map((e) => (e.data.scorecard as PanelScorecard).panelistId).sort()).toEqual([
    'ana',
    'ben',
    'cy',
  ]);
  const debriefs = all.filter((e) => e.data.type === 'panel_debrief');
  expect(debriefs).toHaveLength(1);
  expect(session.panel?.debrief).toEqual(debriefs[0]!.data.debrief as PanelDebrief);
  await api.stop();
}, 300_000);
