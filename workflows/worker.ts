// Wires the Temporal worker: workflows from ./index.ts, activities with their dependencies injected.
import { fileURLToPath } from 'node:url';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { buildCoachGraph } from '../agents/graph.js';
import type { CoachContext } from '../agents/context.js';
import type { Db } from '../core/db/client.js';
import type { EventLog } from '../core/events.js';
import type { BlobStore } from '../core/blobs.js';
import type { ChunkOptions } from '../ingestion/chunk.js';
import type { LoadLimits } from '../ingestion/loaders/index.js';
import type { ChunkStore } from '../ingestion/store.js';
import { createDeleteActivities } from './activities/delete.js';
import { createIngestActivities } from './activities/ingest.js';
import { createReviewMailActivities } from './activities/review-mail.js';
import { createReviewActivities } from './activities/review.js';
import { createSessionActivities } from './activities/session.js';
import { createVoiceActivities } from './activities/voice.js';
import { deleteExpiredRecordings } from '../core/stores/recordings.js';
import { errorsTotal } from '../core/metrics.js';
import { decodeRecording } from '../voice/audio.js';
import type { AsrEngine } from '../voice/types.js';
import type { Mailer } from '../core/mail.js';

export interface WorkerDeps {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  db: Db;
  events: EventLog;
  store: ChunkStore;
  coach: CoachContext;
  /** How long one attempt of a model-backed activity may run (COACH_ATTEMPT_SECONDS). */
  coachAttemptSeconds: number;
  chunking: ChunkOptions;
  blobs: BlobStore;
  limits: LoadLimits;
  /** The speech recogniser for spoken answers, opened on first use. */
  asr: () => Promise<AsrEngine>;
  /** Recordings older than this are deleted by a sweep every hour (0: kept until their owner deletes them). */
  audioRetentionDays: number;
  /** Review notices by email (SMTP_URL) and the origin their links start with; unset: no email. */
  mail?: { mailer: Mailer; origin: string };
  /** host:port for the SDK's Prometheus exporter (`/metrics`); unset: no worker metrics endpoint. */
  metricsAddress?: string;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles the workflow code once per process (a few seconds), so restarting a worker is quick. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./index.ts', import.meta.url)),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: console.warn,
      error: console.error,
    },
  });
  return bundle;
}

let runtimeInstalled = false;

/**
 * The SDK logs every worker state change at INFO on stderr; warnings and errors are what operators need.
 * With a metrics address, the SDK's Prometheus exporter serves `temporal_*` worker metrics there. The
 * runtime is process-wide and installed once: the first worker's address wins.
 */
function installRuntime(metricsAddress?: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    ...(metricsAddress && {
      telemetryOptions: {
        metrics: {
          prometheus: {
            bindAddress: metricsAddress,
            countersTotalSuffix: true,
            useSecondsForDurations: true,
          },
        },
      },
    }),
  });
}

/**
 * A worker (re)started while Temporal is down or restarting waits for it instead of exiting: once running,
 * the SDK rides out an outage by itself; only the first connection would otherwise fail.
 */
async function connectUntilUp(address: string): Promise<NativeConnection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await NativeConnection.connect({ address });
    } catch (err) {
      if (attempt === 1 || attempt % 10 === 0)
        console.warn(`Temporal at ${address} is not reachable yet (${String(err)}); retrying`);
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** Math.min(attempt, 5))));
    }
  }
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  installRuntime(deps.metricsAddress);
  const connection = await connectUntilUp(deps.temporalAddress);
  const worker = await Worker.create({
    connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      ...createSessionActivities({
        db: deps.db,
        events: deps.events,
        graph: buildCoachGraph(),
        coach: deps.coach,
        attemptSeconds: deps.coachAttemptSeconds,
      }),
      ...createVoiceActivities({
        db: deps.db,
        events: deps.events,
        blobs: deps.blobs,
        asr: deps.asr,
        decode: decodeRecording,
      }),
      ...createDeleteActivities({ db: deps.db, store: deps.store, blobs: deps.blobs }),
      ...createReviewActivities({ db: deps.db, events: deps.events }),
      ...createReviewMailActivities({ db: deps.db, mail: deps.mail }),
      ...createIngestActivities({
        db: deps.db,
        events: deps.events,
        store: deps.store,
        blobs: deps.blobs,
        chunking: deps.chunking,
        limits: deps.limits,
      }),
    },
    shutdownGraceTime: '5 seconds',
  });
  if (deps.audioRetentionDays > 0)
    whileRunning(worker, RETENTION_SWEEP_MS, () =>
      deleteExpiredRecordings(deps.db, deps.blobs, deps.audioRetentionDays),
    );
  return worker;
}

const RETENTION_SWEEP_MS = 60 * 60 * 1000;

/**
 * Runs `task` now and every `everyMs` while the worker runs. The retention sweep is a plain timer rather
 * than a Temporal schedule: it is one idempotent query plus deletes, so several workers sweeping at once
 * do no harm, and there is no schedule to create, migrate or clean up per task queue.
 */
function whileRunning(worker: Worker, everyMs: number, task: () => Promise<unknown>): void {
  const run = () => {
    if (['STOPPING', 'DRAINING', 'DRAINED', 'STOPPED', 'FAILED'].includes(worker.getState())) {
      clearInterval(timer);
      return;
    }
    task().catch((err: unknown) => {
      errorsTotal.inc({ where: 'worker' });
      console.error('audio retention sweep failed', err);
    });
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  setImmediate(run);
}
