// The composition root: opens every dependency once from the config, for the API, the worker, or both.
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { Config } from '../core/config.js';
import { openDatabase, type Database } from '../core/db/client.js';
import { createBus, EventLog } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { createEmbedder } from '../ingestion/embed.js';
import { ChunkStore, indexKey } from '../ingestion/store.js';
import { HybridRetriever } from '../ingestion/retrieval/retriever.js';
import { createBlobStore, type BlobStore } from '../core/blobs.js';
import { indexStamp } from '../core/stores/jobs.js';
import { coachModelFor } from '../agents/provider.js';
import type { CoachContext, Retriever } from '../agents/context.js';
import type { ApiDeps, CoachVersionInfo } from '../api/context.js';
import { loadCoachVersion, type LoadedCoachVersion } from '../agents/registry/coach-registry.js';
import { loadJudgement, type ServedJudgement } from '../agents/registry/judgement-registry.js';
import { judgeWith, type TrainedJudge } from '../agents/judgement/index.js';
import { cachedEmbedder, JUDGEMENT_EMBEDDER_ID, judgementEmbedder } from '../agents/judgement/embedder.js';
import { createWorker } from '../workflows/worker.js';
import { createMailer } from '../core/mail.js';
import { createAsrEngine } from '../voice/asr/index.js';
import { createTtsEngine } from '../voice/tts/index.js';
import type { AsrEngine, TtsEngine } from '../voice/types.js';

export interface Services {
  database: Database;
  events: EventLog;
  store: ChunkStore;
  blobs: BlobStore;
  /** The coach's retrieval: the job's active index version, hybrid lexical + vector. */
  retrieve: Retriever;
  /** What the worker's coach runs: its model and prompt version are swapped in place by reloadCoach. */
  coach: CoachContext;
  coachVersion(): CoachVersionInfo;
  /**
   * Loads the registry's `production` coach version and judgement weights again (or the repo files); the next
   * coach run uses them. A part the registry cannot serve now keeps what runs, with the reason as its warning.
   */
  reloadCoach(): Promise<CoachVersionInfo>;
  embedderId: string;
  /** The speech engines, each opened on first use (seconds and a model in memory) and closed with the rest. */
  asr: () => Promise<AsrEngine>;
  tts: () => Promise<TtsEngine>;
  close(): Promise<void>;
}

/** Opens `open()` once, on first use; a failed open is tried again on the next use. */
function lazily<T extends { close(): Promise<void> }>(open: () => Promise<T>) {
  let opened: Promise<T> | undefined;
  const get = () => {
    opened ??= open().catch((err: unknown) => {
      opened = undefined;
      throw err;
    });
    return opened;
  };
  const close = async () => {
    const engine = await opened?.catch(() => undefined);
    opened = undefined;
    await engine?.close();
  };
  return { get, close };
}

export async function openServices(config: Config, logger?: Logger): Promise<Services> {
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const bus = await createBus(database);
  const events = new EventLog(database.db, bus);
  const embedder = createEmbedder(config);
  const store = new ChunkStore(config.CHROMA_URL, embedder);
  const hybrid = new HybridRetriever(store);
  // The job row's updatedAt moves when a document's chunks change (ingestion, edits): the lexical index
  // cached for that index version is then rebuilt, even when the chunk count stayed the same.
  const stamps = new Map<string, number>();
  const activeIndex = async (jobId: string) => {
    const job = await indexStamp(database.db, jobId);
    const key = indexKey(jobId, job?.v ?? 1);
    const stamp = job?.updatedAt.getTime() ?? 0;
    if (stamps.get(key) !== stamp) {
      if (stamps.has(key)) hybrid.invalidate(key);
      stamps.set(key, stamp);
    }
    return key;
  };
  const retrieve: Retriever = async (jobId, query, k, kinds) =>
    hybrid.search(await activeIndex(jobId), query, k, kinds);
  const registry = { trackingUri: config.MLFLOW_TRACKING_URI, warn: (m: string) => logger?.warn(m) };
  // Both at once: each waits at most its timeout on an unreachable registry, and start-up waits for one.
  let [loaded, judgement]: [LoadedCoachVersion, ServedJudgement] = await Promise.all([
    loadCoachVersion(registry),
    loadJudgement({ ...registry, embedderId: JUDGEMENT_EMBEDDER_ID }),
  ]);
  // One MiniLM per process: when ingestion embeds with the judgement's model, the judgement reads with it too.
  const sharedReader = embedder.id === JUDGEMENT_EMBEDDER_ID ? cachedEmbedder(embedder) : undefined;
  /** The trained judge on the served weights; null when the embedding model is not set up (the rubric scores). */
  const judgeOf = (weights: ServedJudgement['value']): TrainedJudge | null => {
    try {
      return judgeWith(weights, sharedReader ?? judgementEmbedder());
    } catch (err) {
      logger?.warn(`the trained judgement cannot run, the rubric scores: ${(err as Error).message}`);
      return null;
    }
  };
  const coach: CoachContext = {
    model: coachModelFor(config, loaded.version),
    retrieve,
    k: config.RETRIEVAL_K,
    version: loaded.version,
    embedder,
    judgement: judgeOf(judgement.value),
    ...(logger && { log: logger }),
  };
  const coachVersion = (): CoachVersionInfo => ({
    version: loaded.version.version,
    source: loaded.source,
    registryVersion: loaded.registryVersion,
    mode: coach.model.kind === 'offline' ? 'offline' : 'model',
    model: coach.model.kind === 'offline' ? null : coach.model.name,
    temperature:
      coach.model.kind === 'offline' ? null : (loaded.version.temperature ?? config.LLM_TEMPERATURE),
    loadedAt: loaded.loadedAt,
    warning: loaded.warning,
    judgement: {
      source: judgement.source,
      registryVersion: judgement.registryVersion,
      trainedAt: judgement.value.trainedAt,
      embedder: judgement.value.embedder,
      active: coach.judgement !== null,
      loadedAt: judgement.loadedAt,
      warning: judgement.warning,
    },
  });
  const asr = lazily(() => createAsrEngine(config));
  const tts = lazily(() => createTtsEngine(config));
  return {
    database,
    events,
    store,
    blobs: createBlobStore(config),
    retrieve,
    coach,
    coachVersion,
    async reloadCoach() {
      const [next, nextJudgement] = await Promise.all([
        loadCoachVersion({ trackingUri: config.MLFLOW_TRACKING_URI }),
        loadJudgement({ trackingUri: config.MLFLOW_TRACKING_URI, embedderId: JUDGEMENT_EMBEDDER_ID }),
      ]);
      // A part the registry cannot serve now keeps running what was loaded (the registry's, or the repo's
      // after a failed start), and says why. Swapped in place: the worker's activities hold `coach`, and each
      // coach run copies it when it starts.
      // A warning that was already given (e.g. nothing promoted yet) is logged again at info: it is no news.
      const log = (again: boolean, message: string) =>
        again ? logger?.info(message) : logger?.warn(message);
      if (next.warning) {
        log(loaded.warning === next.warning, `coach version not reloaded: ${next.warning}`);
        loaded = { ...loaded, warning: next.warning };
      } else {
        Object.assign(coach, { model: coachModelFor(config, next.version), version: next.version });
        loaded = next;
      }
      if (nextJudgement.warning) {
        log(
          judgement.warning === nextJudgement.warning,
          `judgement weights not reloaded: ${nextJudgement.warning}`,
        );
        judgement = { ...judgement, warning: nextJudgement.warning };
      } else {
        coach.judgement = judgeOf(nextJudgement.value);
        judgement = nextJudgement;
      }
      const info = coachVersion();
      logger?.info({ coach: info }, 'coach version loaded');
      return info;
    },
    embedderId: embedder.id,
    asr: asr.get,
    tts: tts.get,
    async close() {
      await Promise.all([asr.close(), tts.close()]);
      await bus.close();
      await database.close();
    },
  };
}

export async function connectTemporal(config: Config): Promise<{ client: Client; close(): Promise<void> }> {
  // Lazy: the API starts (and serves reads, event streams and /readyz) while Temporal is down or
  // restarting; the first call that needs it connects, and gRPC reconnects after an outage by itself.
  const connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS });
  return {
    client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    close: () => connection.close(),
  };
}

export function apiDeps(config: Config, logger: Logger, services: Services, temporal: Client): ApiDeps {
  return {
    config,
    logger,
    db: services.database.db,
    events: services.events,
    temporal,
    store: services.store,
    blobs: services.blobs,
    retrieve: services.retrieve,
    tts: services.tts,
    checks: {
      database: () => services.database.ping(),
      chroma: () => services.store.heartbeat(),
      temporal: () => temporal.workflowService.getSystemInfo({}),
    },
    meta: {
      // A getter: a reloaded coach version may run another model.
      get coach() {
        const { mode, model } = services.coachVersion();
        return { mode, model };
      },
      embeddings: { model: services.embedderId },
    },
    coachVersion: { current: services.coachVersion, reload: services.reloadCoach },
  };
}

export function startWorker(config: Config, services: Services): Promise<Worker> {
  return createWorker({
    temporalAddress: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db: services.database.db,
    events: services.events,
    store: services.store,
    coach: services.coach,
    coachAttemptSeconds: config.COACH_ATTEMPT_SECONDS,
    chunking: { size: config.CHUNK_SIZE, overlap: config.CHUNK_OVERLAP },
    blobs: services.blobs,
    limits: {
      maxBytes: config.UPLOAD_MAX_BYTES,
      maxUnzippedBytes: config.UPLOAD_MAX_UNZIPPED_BYTES,
      maxZipEntries: config.UPLOAD_MAX_ZIP_ENTRIES,
      timeoutMs: config.PARSE_TIMEOUT_MS,
    },
    asr: services.asr,
    audioRetentionDays: config.AUDIO_RETENTION_DAYS,
    mail: config.SMTP_URL
      ? {
          mailer: createMailer(config.SMTP_URL, config.MAIL_FROM),
          origin: (config.PUBLIC_ORIGIN || `http://${config.HOST}:${config.PORT}`).replace(/\/+$/, ''),
        }
      : undefined,
    metricsAddress: config.WORKER_METRICS_PORT ? `${config.HOST}:${config.WORKER_METRICS_PORT}` : undefined,
  });
}
