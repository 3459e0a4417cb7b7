// Production shape for crash tests: the API in this process and the worker as a separate process (one that a
// test can SIGKILL), over a real PostgreSQL server (a database of its own, dropped afterwards) and the suite's
// Temporal and Chroma.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { createApp } from '../../api/app.js';
import { apiDeps, connectTemporal, openServices } from '../../server/services.js';
import { freePort, ROOT, stopChild, tempDir } from './processes.js';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestApi {
  url: string;
  stop(): Promise<void>;
}

export interface SplitStack {
  /** Where the worker process serves /metrics and /healthz. */
  workerUrl: string;
  /** Starts worker process `n` (its log: worker-<n>.log); every start uses the same metrics port. */
  startWorker(n: number): ChildProcess;
  /** An API server in this process over the same database, Temporal and blob store. */
  startApi(): Promise<TestApi>;
  /** Stops what is still running and drops the database. */
  close(): Promise<void>;
}

export async function openSplitStack(name: string, extraEnv: Record<string, string>): Promise<SplitStack> {
  const dbName = `ih_test_${randomUUID().replaceAll('-', '')}`;
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${dbName}`;
  const env = {
    DATABASE_URL: databaseUrl.toString(),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    CHROMA_URL: inject('chromaUrl'),
    TEMPORAL_TASK_QUEUE: `${name}-${randomUUID()}`,
    LOG_LEVEL: 'warn',
    BLOBS_DIR: tempDir(`${name}-blobs`),
    ...extraEnv,
  };
  const config = loadConfig({ ...env, DATA_DIR: ':memory:' });
  const logDir = tempDir(name);
  const workerPort = await freePort();

  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect().catch((err: Error) => {
    throw new Error(
      `this test needs a PostgreSQL server at ${ADMIN_URL} (set TEST_DATABASE_URL): ${err.message}`,
    );
  });
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const services = await openServices(config);
  const temporal = await connectTemporal(config);
  const workers: ChildProcess[] = [];
  const apis: TestApi[] = [];

  return {
    workerUrl: `http://127.0.0.1:${workerPort}`,
    startWorker(n) {
      const out = openSync(path.join(logDir, `worker-${n}.log`), 'a');
      // node --import tsx, not the tsx CLI: the CLI runs the program in a child that would outlive a SIGKILL.
      const worker = spawn(process.execPath, ['--import', 'tsx', 'server/serve.ts', 'worker'], {
        cwd: ROOT,
        env: { ...process.env, ...env, PORT: String(workerPort) },
        stdio: ['ignore', out, out],
      });
      workers.push(worker);
      return worker;
    },
    async startApi() {
      const app = createApp(apiDeps(config, createLogger('silent'), services, temporal.client));
      const server: Server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      let stopped: Promise<void> | undefined;
      const api = {
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        stop: () =>
          (stopped ??= (async () => {
            server.closeAllConnections();
            await new Promise((r) => server.close(r));
          })()),
      };
      apis.push(api);
      return api;
    },
    async close() {
      await Promise.all(workers.map((w) => stopChild(w)));
      await Promise.all(apis.map((a) => a.stop()));
      await temporal.close();
      await services.close();
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    },
  };
}
