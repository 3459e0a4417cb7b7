// The real stack in one process: PGlite (or Postgres), the event log, Chroma, a Temporal worker on a task
// queue of its own, and the Express app on a free port. Only the language model is the offline coach.
// Tests call startStack (./stack.ts: services from the vitest global setup); benchmarks call this directly.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { RequestHandler } from 'express';
import type { Worker } from '@temporalio/worker';
import { hideCommands, tempDir } from './processes.js';
import { loadConfig, type Config } from '../../core/config.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { createApp } from '../../api/app.js';
import { apiDeps, connectTemporal, openServices, startWorker, type Services } from '../../server/services.js';
import type { Client } from '@temporalio/client';

export interface TestStack {
  config: Config;
  services: Services;
  temporal: Client;
  baseUrl: string;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  /**
   * Programs the API and the worker must run without (e.g. `['ffmpeg', 'ffprobe']`: a machine without the
   * optional package). They run in this process, so it is this process's PATH, from the start until
   * `close()`; make what the test itself needs of them first.
   */
  withoutCommands?: readonly string[];
  /** Receives the API's and the worker's log lines (by default none: LOG_LEVEL is silent). */
  logger?: Logger;
}

/** `env` must name TEMPORAL_ADDRESS and CHROMA_URL. */
export async function startAppStack(
  env: Record<string, string>,
  web?: RequestHandler,
  { withoutCommands = [], logger }: StackOptions = {},
): Promise<TestStack> {
  const restorePath = withoutCommands.length ? hideCommands(withoutCommands) : () => {};
  try {
    return await start(env, web, restorePath, logger);
  } catch (err) {
    restorePath();
    throw err;
  }
}

async function start(
  env: Record<string, string>,
  web: RequestHandler | undefined,
  restorePath: () => void,
  logger: Logger | undefined,
): Promise<TestStack> {
  const config = loadConfig({
    DATA_DIR: ':memory:',
    BLOBS_DIR: tempDir('blobs'),
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    OFFLINE_TOKEN_DELAY_MS: '0',
    LOG_LEVEL: 'silent',
    PORT: '0',
    ...env,
  });
  const log = logger ?? createLogger(config.LOG_LEVEL);
  const services = await openServices(config, log);
  const temporal = await connectTemporal(config);
  const app = createApp(apiDeps(config, log, services, temporal.client), web);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as { port: number };

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const stack: TestStack = {
    config,
    services,
    temporal: temporal.client,
    baseUrl: `http://127.0.0.1:${port}`,
    async startWorker() {
      worker = await startWorker(config, services);
      running = worker.run();
    },
    async stopWorker() {
      worker?.shutdown();
      await running;
      worker = undefined;
    },
    async close() {
      await stack.stopWorker();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await temporal.close();
      await services.close();
      restorePath();
    },
  };
  await stack.startWorker();
  return stack;
}
