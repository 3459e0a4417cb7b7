// Production shape: API and worker in separate processes over a real PostgreSQL server. A spoken answer is
// being streamed when the worker is SIGKILLed (a segment just sent, its transcription under way); a segment
// sent while no worker runs is still accepted. With a new worker the answer finishes: no audio received is
// lost, every transcript event appears once, and the final transcript is all the segments' words in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Server } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { createApp } from '../../api/app.js';
import { apiDeps, connectTemporal, openServices, type Services } from '../../server/services.js';
import { decodeWav } from '../../voice/wav.js';
import { apiClient, createReadyJob, type SseEvent } from '../support/client.js';
import { freePort, ROOT, stopChild, tempDir } from '../support/processes.js';
import { ANSWERS, speak, wordErrorRate } from '../support/speech.js';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `ih_test_${randomUUID().replaceAll('-', '')}`;
const databaseUrl = (() => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

const env = {
  DATABASE_URL: databaseUrl,
  TEMPORAL_ADDRESS: inject('temporalAddress'),
  CHROMA_URL: inject('chromaUrl'),
  TEMPORAL_TASK_QUEUE: `stream-crash-${randomUUID()}`,
  ASR_PROVIDER: 'whisper',
  LOG_LEVEL: 'warn',
  BLOBS_DIR: tempDir('stream-crash-blobs'),
};
const config = loadConfig({ ...env, DATA_DIR: ':memory:' });
const logDir = tempDir('stream-crash');
let services: Services;
let temporal: Awaited<ReturnType<typeof connectTemporal>>;
let worker: ChildProcess | undefined;
let api: { url: string; stop(): Promise<void> } | undefined;

async function startWorkerProcess(n: number): Promise<ChildProcess> {
  const out = openSync(path.join(logDir, `worker-${n}.log`), 'a');
  // node --import tsx, not the tsx CLI: the CLI runs the program in a child that would outlive a SIGKILL.
  return spawn(process.execPath, ['--import', 'tsx', 'server/serve.ts', 'worker'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(await freePort()) },
    stdio: ['ignore', out, out],
  });
}

async function startApi(): Promise<{ url: string; stop(): Promise<void> }> {
  const app = createApp(apiDeps(config, createLogger('silent'), services, temporal.client));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect().catch((err: Error) => {
    throw new Error(
      `this test needs a PostgreSQL server at ${ADMIN_URL} (set TEST_DATABASE_URL): ${err.message}`,
    );
  });
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  services = await openServices(config);
  temporal = await connectTemporal(config);
});

afterAll(async () => {
  if (worker) await stopChild(worker);
  await api?.stop();
  await temporal?.close();
  await services?.close();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

it('a worker killed mid-answer loses no segment and repeats no transcript', async () => {
  worker = await startWorkerProcess(1);
  api = await startApi();
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

  worker = await startWorkerProcess(2);
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
