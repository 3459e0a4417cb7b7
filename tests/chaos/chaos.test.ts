// Durability, short form (the long one is `npm run test:chaos`): text sessions, a mock panel interview and
// ingestions run while the worker, the API and the Temporal dev server (persisted) are SIGKILLed and
// restarted over and over. Every session must complete with exactly the turns answered (a panel with its
// scorecards and debrief), every event log and every SSE client must hold each event once and in order, and
// Chroma must hold exactly the chunks each document records.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { ANSWER, apiClient, createReadyJob } from '../support/client.js';
import { ChaosStack } from '../support/chaos-stack.js';
import { runChaos } from './scenario.js';

const stack = new ChaosStack({ chromaUrl: inject('chromaUrl'), env: { OFFLINE_TOKEN_DELAY_MS: '10' } });

beforeAll(() => stack.start(), 240_000);
afterAll(() => stack.stop(), 60_000);

it('an answer sent again with its turnId (its reply was lost) is accepted once, not refused', async () => {
  const client = apiClient(stack.apiUrl);
  const jobId = await createReadyJob(client);
  const { json } = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 1,
  });
  const question = (await client.events(json.id, { until: (e) => e.data.type === 'question' })).at(-1);
  const answer = { text: ANSWER, turnId: String(question!.data.turnId) };
  const first = await client.call('POST', `/api/sessions/${json.id}/answers`, answer);
  // The coach has moved past the question (coaching it, or asking a follow-up about it)...
  await client.events(json.id, {
    lastEventId: question!.id,
    timeoutMs: 60_000,
    until: (e) =>
      (e.data.type === 'state' && e.data.status === 'coaching') ||
      (e.data.type === 'question' && e.data.turnId !== answer.turnId),
  });
  // ...and the retry of the same answer still gets the first attempt's reply, and changes nothing.
  const again = await client.call('POST', `/api/sessions/${json.id}/answers`, answer);
  expect([first.status, again.status], JSON.stringify([first.json, again.json])).toEqual([202, 202]);
  expect(again.json).toEqual(first.json);
  const session = await client.call<{ turns: { id: string; answer?: string }[] }>(
    'GET',
    `/api/sessions/${json.id}`,
  );
  expect(session.json.turns.filter((t) => t.id === answer.turnId).map((t) => t.answer)).toEqual([ANSWER]);
}, 120_000);

it('sessions, a mock panel and ingestions lose and repeat nothing while every process is killed and restarted', async () => {
  const report = await runChaos(stack, {
    users: 3,
    // The first user is interviewed by a three-panelist mock panel, to its scorecards and debrief.
    panels: 1,
    rounds: 2,
    durationMs: 60_000,
    ingestions: 2,
    faultGapMs: [1500, 4000],
    log: (line) => process.env.CHAOS_VERBOSE && console.log(line),
  });
  console.log(`chaos (short): ${JSON.stringify({ ...report, problems: report.problems.length })}`);
  expect(report.problems).toEqual([]);
  // The faults really happened, to every part, while work was in flight.
  expect(report.kills.worker).toBeGreaterThan(0);
  expect(report.kills.api).toBeGreaterThan(0);
  expect(report.kills.temporal).toBeGreaterThan(0);
  expect(report.reconnects).toBeGreaterThan(0);
  expect(report.sessions).toBeGreaterThanOrEqual(3);
  expect(report.panels).toBeGreaterThanOrEqual(1);
}, 600_000);
