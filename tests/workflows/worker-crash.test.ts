// Production shape: API and worker in separate processes over a real PostgreSQL server (LISTEN/NOTIFY).
// The worker is SIGKILLed mid-critique and the API restarted; the session must finish with no lost or
// repeated turn or event, and an SSE client resuming with Last-Event-ID must see every event once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { createApp } from '../../api/app.js';
import { apiDeps, connectTemporal, openServices, type Services } from '../../server/services.js';
import { ANSWER, apiClient, createReadyJob, type SseEvent } from '../support/client.js';
import { freePort, ROOT, stopChild, tempDir } from '../support/processes.js';

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
  TEMPORAL_TASK_QUEUE: `crash-${randomUUID()}`,
  OFFLINE_TOKEN_DELAY_MS: '25',
  LOG_LEVEL: 'warn',
  BLOBS_DIR: tempDir('crash-blobs'),
};
const config = loadConfig({ ...env, DATA_DIR: ':memory:' });
const logDir = tempDir('crash');
let services: Services;
let temporal: Awaited<ReturnType<typeof connectTemporal>>;
let worker: ChildProcess | undefined;

let workerPort = 0;

function startWorkerProcess(n: number): ChildProcess {
  const out = openSync(path.join(logDir, `worker-${n}.log`), 'a');
  // node --import tsx, not the tsx CLI: the CLI runs the program in a child that would outlive a SIGKILL.
  return spawn(process.execPath, ['--import', 'tsx', 'server/serve.ts', 'worker'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(workerPort) },
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
  await temporal?.close();
  await services?.close();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

it('a worker killed mid-critique and a restarted API lose nothing and repeat nothing', async () => {
  workerPort = await freePort();
  worker = startWorkerProcess(1);
  let api = await startApi();
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

  api = await startApi();
  client = apiClient(api.url);
  worker = startWorkerProcess(2);
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
  const metrics = await (await fetch(`http://127.0.0.1:${workerPort}/metrics`)).text();
  expect(metrics).toMatch(/ih_llm_tokens_total\{provider="offline",node="critique"\} [1-9]/);
  expect(metrics).toMatch(/ih_time_to_first_token_seconds_count\{phase="coach"\} [1-9]/);
  expect((await fetch(`http://127.0.0.1:${workerPort}/healthz`)).status).toBe(200);
  await api.stop();
}, 240_000);
