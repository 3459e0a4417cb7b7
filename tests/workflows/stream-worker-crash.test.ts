// Production shape: API and worker in separate processes over a real PostgreSQL server. A spoken answer is
// being streamed when the worker is SIGKILLed (a segment just sent, its transcription under way); a segment
// sent while no worker runs is still accepted. With a new worker the answer finishes: no audio received is
// lost, every transcript event appears once, and the final transcript is all the segments' words in order.
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeWav } from '../../voice/wav.js';
import { apiClient, createReadyJob, type SseEvent } from '../support/client.js';
import { stopChild } from '../support/processes.js';
import { openSplitStack, type SplitStack, type TestApi } from '../support/split-stack.js';
import { ANSWERS, speak, wordErrorRate } from '../support/speech.js';

let stack: SplitStack;
let worker: ChildProcess;
let api: TestApi;

beforeAll(async () => {
  stack = await openSplitStack('stream-crash', { ASR_PROVIDER: 'whisper' });
});

afterAll(() => stack?.close());

it('a worker killed mid-answer loses no segment and repeats no transcript', async () => {
  worker = stack.startWorker(1);
  api = await stack.startApi();
  const client = apiClient(api.url);
  const jobId = await createReadyJob(client);
  const created = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'voice',
    rounds: 1,
  });
  const id = created.json.id;
  const question = (await client.events(id, { until: (e) => e.data.type === 'question' })).at(-1)!;
  const turnId = question.data.turnId as string;
  const said = ANSWERS.slice(6, 9);
  const segments = await Promise.all(said.map(async (t) => readFile(await speak(t, { sampleRate: 16000 }))));
  const put = (index: number) =>
    fetch(`${api!.url}/api/sessions/${id}/turns/${turnId}/audio/segments/${index}`, {
      method: 'PUT',
      headers: { 'content-type': 'audio/wav' },
      body: new Uint8Array(segments[index]!),
    });

  expect((await put(0)).status).toBe(202);
  const first = await client.events(id, {
    lastEventId: question.id,
    until: (e) => e.data.type === 'transcript',
    timeoutMs: 90_000,
  });
  // Segment 1 goes in, and while it is being transcribed the worker dies.
  expect((await put(1)).status).toBe(202);
  await new Promise((r) => setTimeout(r, 300));
  worker.kill('SIGKILL');
  await stopChild(worker);
  // With no worker at all, the next segment is still received and kept.
  expect((await put(2)).status).toBe(202);

  worker = stack.startWorker(2);
  const finished = await client.call('POST', `/api/sessions/${id}/turns/${turnId}/audio/finish`, {
    segments: 3,
  });
  expect(finished.status).toBe(202);
  const after = await client.events(id, {
    lastEventId: first.at(-1)!.id,
    until: (e) => e.data.type === 'transcript' && !e.data.partial,
    timeoutMs: 120_000,
  });

  const all: SseEvent[] = [...first, ...after];
  const ids = all.map((e) => e.id);
  expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => ids[0]! + i));
  const texts = all.filter((e) => e.data.type === 'transcript').map((e) => e.data);
  const finals = texts.filter((t) => !t.partial);
  expect(finals).toHaveLength(1);
  const final = finals[0]!.text as string;
  expect(wordErrorRate(said.join(' '), final)).toBeLessThan(0.35);
  const partial = texts.filter((t) => t.partial).map((t) => t.text as string);
  expect(partial.length).toBeGreaterThanOrEqual(1);
  expect(new Set(partial).size).toBe(partial.length);
  for (const p of partial) expect(final.startsWith(p)).toBe(true);

  // The kept recording is every segment's audio.
  const played = await fetch(`${api.url}/api/sessions/${id}/turns/${turnId}/audio`);
  expect(played.status).toBe(200);
  const wav = decodeWav(Buffer.from(await played.arrayBuffer()));
  const seconds = segments.reduce((sum, b) => {
    const w = decodeWav(b);
    return sum + w.samples.length / w.sampleRate;
  }, 0);
  expect(Math.abs(wav.samples.length / wav.sampleRate - seconds)).toBeLessThan(0.01);
}, 300_000);
