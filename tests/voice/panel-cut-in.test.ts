// A tough panelist cuts into a rambling spoken answer, on the real stack (Temporal, PGlite, the local whisper
// engine, the offline coach): the answer is streamed in segments as the browser sends them, each is
// transcribed while the candidate goes on, and once the words so far ramble past the limit with no result the
// session emits `interrupt`, keeps the answer as it was heard and asks the cut-in as the panelist's follow-up.
// What the candidate sends after that for the cut answer changes nothing. (The rule itself:
// agents/panel/interrupt.test.ts; a typed answer: tests/api/panel.test.ts.)
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiClient, createReadyJob, type SseEvent } from '../support/client.js';
import { RAMBLE, smallPanel } from '../support/panel.js';
import { speak } from '../support/speech.js';
import { startStack, type TestStack } from '../support/stack.js';
import type { Session } from '../../contract/index.js';

let stack: TestStack;
let client: ReturnType<typeof apiClient>;
let jobId: string;

beforeAll(async () => {
  stack = await startStack({ ASR_PROVIDER: 'whisper' });
  client = apiClient(stack.baseUrl);
  jobId = await createReadyJob(client);
  // Cy (tough, may interrupt) weighs the most, so he asks first.
  const panel = smallPanel('cy-first', 'Cy first');
  panel.panelists[2]!.competencies = [{ competency: 'failure and learning', weight: 5 }];
  expect((await client.call('POST', '/api/panel-templates', panel)).status).toBe(201);
}, 120_000);
afterAll(() => stack?.close());

const segmentOf = async (text: string) => readFile(await speak(text, { sampleRate: 16000 }));

function putSegment(sessionId: string, turnId: string, index: number, bytes: Buffer) {
  return fetch(`${stack.baseUrl}/api/sessions/${sessionId}/turns/${turnId}/audio/segments/${index}`, {
    method: 'PUT',
    headers: { 'content-type': 'audio/wav' },
    body: new Uint8Array(bytes),
  });
}

it('cuts the spoken answer at what was heard and asks the cut-in as Cy’s follow-up; later audio changes nothing', async () => {
  const created = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'voice',
    rounds: 10,
    panel: 'cy-first',
  });
  expect(created.status).toBe(201);
  const id = created.json.id;
  const first = (await client.events(id, { until: (e) => e.data.type === 'question' })).at(-1)!;
  expect(first.data).toMatchObject({ panelist: { id: 'cy' } });
  const turnId = first.data.turnId as string;

  // The candidate goes on speaking, one segment after another, until Cy cuts in.
  const segments = await Promise.all(RAMBLE.map(segmentOf));
  let last = first.id;
  let cut: SseEvent | undefined;
  let sent = 0;
  for (const [i, bytes] of segments.entries()) {
    expect((await putSegment(id, turnId, i, bytes)).status).toBe(202);
    sent = i + 1;
    const seen = await client.events(id, {
      lastEventId: last,
      until: (e) => e.data.type === 'interrupt' || (e.data.type === 'transcript' && !!e.data.partial),
      timeoutMs: 60_000,
    });
    last = seen.at(-1)!.id;
    cut = seen.find((e) => e.data.type === 'interrupt');
    if (cut) break;
  }
  expect(cut, 'Cy never cut in').toBeDefined();
  // Not before the answer rambled past the limit (120 words: five pieces or so).
  expect(sent).toBeGreaterThanOrEqual(4);
  const data = cut!.data as unknown as {
    turnId: string;
    text: string;
    answer: string;
    followUpTurnId: string;
  };
  expect(data).toMatchObject({ turnId, panelist: { id: 'cy', name: 'Cy', role: 'bar_raiser' } });
  expect(data.answer.split(/\s+/).length).toBeGreaterThanOrEqual(120);
  expect(data.answer).toMatch(/meeting/i);

  // The cut-in is the next question, Cy's follow-up.
  const next = (
    await client.events(id, {
      lastEventId: last,
      until: (e) => e.data.type === 'question',
      timeoutMs: 30_000,
    })
  ).at(-1)!;
  expect(next.data).toMatchObject({
    turnId: data.followUpTurnId,
    text: data.text,
    probeOf: turnId,
    panelist: { id: 'cy' },
  });

  // The candidate had not heard it yet: one more segment of the cut answer is ignored, and finishing it is
  // refused; the session awaits the follow-up's answer.
  expect((await putSegment(id, turnId, sent, segments[sent] ?? segments[0]!)).status).toBe(202);
  const finished = await client.call('POST', `/api/sessions/${id}/turns/${turnId}/audio/finish`, {
    segments: sent + 1,
  });
  expect(finished.status).toBe(409);
  const session = (await client.call<Session & { status: string }>('GET', `/api/sessions/${id}`)).json;
  expect(session.status).toBe('awaiting_answer');
  expect(session.turns.find((t) => t.id === turnId)?.answer).toBe(data.answer);
  expect(session.turns.at(-1)).toMatchObject({
    id: data.followUpTurnId,
    cutIn: true,
    panelist: { id: 'cy' },
  });

  await client.call('POST', `/api/sessions/${id}/end`);
}, 300_000);
