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
import type { ChunkOptions } from '../ingestion/chunk.js';
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

/** The SDK logs every worker state change at INFO on stderr; warnings and errors are what operators need. */
function installRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  installRuntime();
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
      ...createIngestActivities({ db: deps.db, store: deps.store, chunking: deps.chunking }),
    },
    shutdownGraceTime: '5 seconds',
  });
}
