// Runs the API, the worker, or both in one process (the embedded default), and shuts down cleanly.
//   tsx server/serve.ts api | worker | all
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';
import { registry } from '../core/metrics.js';
import type { Worker } from '@temporalio/worker';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { createApp } from '../api/app.js';
import { apiDeps, connectTemporal, openServices, startWorker } from './services.js';

const role = process.argv[2] ?? 'all';
if (!['api', 'worker', 'all'].includes(role)) {
  console.error(`usage: serve.ts api|worker|all (got "${role}")`);
  process.exit(2);
}

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL, `interview-helper-${role}`);
const services = await openServices(config, logger);
logger.info({ coach: services.coachVersion() }, 'coach version loaded');
const temporal = await connectTemporal(config);

let worker: Worker | undefined;
let running: Promise<void> | undefined;
if (role !== 'api') {
  worker = await startWorker(config, services);
  running = worker.run();
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
}

let server: Server | undefined;
if (role !== 'worker') {
  const deps = apiDeps(config, logger, services, temporal.client);
  const app = createApp(deps, await loadWeb());
  server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => server!.once('listening', resolve).once('error', reject));
  logger.info(`API and UI listening on http://${config.HOST}:${config.PORT}`);
} else {
  // A worker on its own still serves what it records (time to first token, tokens, events appended)
  // and its liveness, on PORT; the Temporal SDK's own metrics are on WORKER_METRICS_PORT.
  server = createWorkerHttp().listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => server!.once('listening', resolve).once('error', reject));
  logger.info(`worker metrics and health on http://${config.HOST}:${config.PORT}`);
}

function createWorkerHttp() {
  const app = express();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return app;
}

/** The built SvelteKit app, served on the same origin as the API. */
async function loadWeb(): Promise<RequestHandler | undefined> {
  const handlerPath = fileURLToPath(new URL('../web/build/handler.js', import.meta.url));
  if (!existsSync(handlerPath)) {
    logger.warn('web/build is missing: run `npm run build:web` to serve the UI');
    return undefined;
  }
  return ((await import(handlerPath)) as { handler: RequestHandler }).handler;
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  server?.close();
  server?.closeAllConnections();
  worker?.shutdown();
  await running?.catch((err: unknown) => logger.error({ err }, 'worker stopped with an error'));
  await temporal.close();
  await services.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
// `kill -HUP <pid>`: load the coach version and the judgement weights behind the registry's `production`
// aliases again (a worker-only process has no admin API; the API's POST /api/admin/coach/reload reloads only
// its own process). `npm start` sends it when its MLflow answers only after the app started.
process.on('SIGHUP', () => {
  services.reloadCoach().catch((err: unknown) => logger.error({ err }, 'coach version reload failed'));
});
if (running) {
  running.catch((err: unknown) => {
    logger.fatal({ err }, 'worker failed');
    process.exit(1);
  });
}
