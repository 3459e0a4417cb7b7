// Ingestion runs: started for a new job, an upload, or a reindex; listed, watched and cancelled by admins.
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import * as documents from '../../core/stores/documents.js';
import * as jobs from '../../core/stores/jobs.js';
import * as runs from '../../core/stores/runs.js';
import type { Ingestion } from '../../contract/index.js';
import type { PreparedDocument, PreparedRun } from '../../core/stores/runs.js';
import type { IngestionRunKind, IngestionStatus } from '../../core/types.js';
import { ingestProgress, ingestWorkflowId, type IngestInput } from '../../workflows/messages.js';
import type { ApiDeps } from '../context.js';
import { conflict, notFound } from '../errors.js';

/** A job's ingestion as GET /api/jobs/:id shows it (the contract's shape). */
export type JobIngestion = Ingestion;

/**
 * A job's ingestion as the user sees it, derived from its documents: running while any is in flight,
 * ready once none is and one is indexed, failed when none could be.
 */
export function ingestionOf(
  rows: { status: IngestionStatus; chunks: number; error: string | null }[],
): JobIngestion {
  const inFlight = rows.some((d) => d.status === 'pending' || d.status === 'running');
  const ready = rows.filter((d) => d.status === 'ready');
  const error = rows.find((d) => d.status === 'failed')?.error ?? undefined;
  const status: IngestionStatus = inFlight
    ? rows.some((d) => d.status !== 'pending')
      ? 'running'
      : 'pending'
    : ready.length > 0
      ? 'ready'
      : rows.length > 0
        ? 'failed'
        : 'pending';
  return { status, chunks: ready.reduce((n, d) => n + d.chunks, 0), ...(error && { error }) };
}

export function createIngestionService({ db, temporal, config, store }: ApiDeps) {
  /**
   * Starts a run: its workflow first, with an id from `runId` (derived from the request for a new job), then
   * the run's rows, which the workflow's first activity writes too (whichever is first; the other is a
   * no-op). A request that dies after the start leaves a run that completes itself; one that dies before it
   * leaves nothing. `documents` are inserted (or, edited, reset to pending); `job` is created with them.
   */
  async function start(opts: {
    ownerId: string;
    requestedBy: string;
    jobId: string;
    kind: IngestionRunKind;
    documentIds: string[];
    indexVersion: number;
    runId?: string;
    job?: PreparedRun['job'];
    documents?: PreparedDocument[];
  }): Promise<string> {
    const runId = opts.runId ?? randomUUID();
    const input: IngestInput = {
      jobId: opts.jobId,
      runId,
      documentIds: opts.documentIds,
      mode: opts.kind === 'reindex' ? 'reindex' : 'incremental',
      indexVersion: opts.indexVersion,
      prepare: {
        run: {
          ownerId: opts.ownerId,
          requestedBy: opts.requestedBy,
          kind: opts.kind,
          embedder: store.embedderId,
          chunkSize: config.CHUNK_SIZE,
          chunkOverlap: config.CHUNK_OVERLAP,
        },
        ...(opts.job && { job: opts.job }),
        ...(opts.documents && { documents: opts.documents }),
      },
    };
    await temporal.workflow
      .start('ingestJob', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: ingestWorkflowId(runId),
        args: [input],
      })
      .catch((err: unknown) => {
        // A repeated request (the same Idempotency-Key) started it a moment ago.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      });
    const { jobId, indexVersion, documentIds } = input;
    await runs.prepareRun(db, { ...input.prepare!, runId, jobId, indexVersion, documentIds });
    return runId;
  }

  const runningReindex = (jobId: string) => runs.runningReindex(db, jobId);

  /**
   * Builds the job's next index from every indexed document; the current one serves until it is complete.
   * `ownerId` limits it to that owner's jobs (the embedded default's local admin: see api/context.ts).
   */
  async function reindex(requestedBy: string, jobId: string, ownerId?: string): Promise<string> {
    const job = await jobs.byId(db, jobId);
    if (!job || (ownerId && job.ownerId !== ownerId)) throw notFound(`job ${jobId}`);
    if (job.status === 'deleting') throw conflict(`job ${jobId} is being deleted`);
    const busy = await runningReindex(jobId);
    if (busy) throw conflict(`job ${jobId} is already being re-indexed (run ${busy})`);
    const docs = await documents.readyIds(db, jobId);
    if (docs.length === 0) throw conflict(`job ${jobId} has no indexed document to re-index`);
    return start({
      ownerId: job.ownerId,
      requestedBy,
      jobId,
      kind: 'reindex',
      documentIds: docs,
      indexVersion: job.indexVersion + 1,
    });
  }

  return {
    start,
    runningReindex,
    reindex,

    async reindexAll(
      requestedBy: string,
      ownerId?: string,
    ): Promise<{ jobId: string; runId?: string; error?: string }[]> {
      const all = await jobs.ids(db, ownerId);
      const out: { jobId: string; runId?: string; error?: string }[] = [];
      for (const id of all) {
        try {
          out.push({ jobId: id, runId: await reindex(requestedBy, id) });
        } catch (err) {
          out.push({ jobId: id, error: err instanceof Error ? err.message : String(err) });
        }
      }
      return out;
    },

    /** Every run, newest first; running ones carry live progress from their workflow. */
    async list(opts: { jobId?: string; limit: number; ownerId?: string }) {
      const rows = await runs.list(db, opts);
      return Promise.all(
        rows.map(async ({ run, title }) => {
          let { documentsDone: done, documentsFailed: failed, chunks } = run;
          if (run.status === 'running') {
            const live = await temporal.workflow
              .getHandle(ingestWorkflowId(run.id))
              .query(ingestProgress)
              .catch(() => undefined);
            if (live) ({ done, failed, chunks } = live);
          }
          const end = run.finishedAt ?? new Date();
          return {
            id: run.id,
            jobId: run.jobId,
            jobTitle: title,
            requestedBy: run.requestedBy,
            kind: run.kind,
            status: run.status,
            documents: run.documents,
            documentsDone: done,
            documentsFailed: failed,
            chunks,
            embedder: run.embedder,
            chunkSize: run.chunkSize,
            chunkOverlap: run.chunkOverlap,
            indexVersion: run.indexVersion,
            errors: run.errors,
            startedAt: run.startedAt.toISOString(),
            finishedAt: run.finishedAt?.toISOString() ?? null,
            durationMs: end.getTime() - run.startedAt.getTime(),
          };
        }),
      );
    },

    async cancel(runId: string, ownerId?: string): Promise<void> {
      const run = await runs.byId(db, runId);
      if (!run || (ownerId && run.ownerId !== ownerId)) throw notFound(`ingestion run ${runId}`);
      if (run.status !== 'running') throw conflict(`ingestion run ${runId} is ${run.status}, not running`);
      await temporal.workflow.getHandle(ingestWorkflowId(runId)).cancel();
    },

    /** Ingestion as shown per job, for many jobs in one query. */
    async ofJobs(jobIds: string[]): Promise<Map<string, JobIngestion>> {
      const rows = await documents.statusesOf(db, jobIds);
      return new Map(jobIds.map((id) => [id, ingestionOf(rows.filter((r) => r.jobId === id))]));
    },
  };
}
