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
import { createIngestActivities } from './activities/ingest.js';
import { createSessionActivities } from './activities/session.js';

export interface WorkerDeps {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  db: Db;
  events: EventLog;
  store: ChunkStore;
  coach: CoachContext;
  chunking: ChunkOptions;
  blobs: BlobStore;
  limits: LoadLimits;
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

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  installRuntime(deps.metricsAddress);
  const connection = await NativeConnection.connect({ address: deps.temporalAddress });
  return Worker.create({
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
      }),
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
}
