// Ingestion activities: parse, chunk, embed and upsert one document; close a run. Idempotent: chunk ids
// derive from the document and the chunk's content, and every write is an upsert or a set.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { and, eq, lt } from 'drizzle-orm';
import type { BlobStore } from '../../core/blobs.js';
import type { Db } from '../../core/db/client.js';
import { documents, ingestionRuns, jobs } from '../../core/db/schema.js';
import { jobStream, type IngestionStage, type IngestionStatus } from '../../core/types.js';
import type { EventLog } from '../../core/events.js';
import { chunkText, type ChunkOptions } from '../../ingestion/chunk.js';
import { DocumentRejected, loadDocument, type LoadLimits } from '../../ingestion/loaders/index.js';
import { indexKey, type ChunkStore } from '../../ingestion/store.js';
import type { IngestInput } from '../messages.js';
import { prepareRun } from '../../core/stores/ingestion.js';

export interface IngestActivityDeps {
  db: Db;
  events: EventLog;
  store: ChunkStore;
  blobs: BlobStore;
  chunking: ChunkOptions;
  limits: LoadLimits;
}

/** The last attempt the workflow's retry policy allows (see ingest.workflow.ts). */
const LAST_ATTEMPT = 5;

export function createIngestActivities({ db, events, store, blobs, chunking, limits }: IngestActivityDeps) {
  return {
    async ingestDocument(input: IngestInput & { documentId: string }): Promise<{ chunks: number }> {
      const [doc] = await db
        .select()
        .from(documents)
        .where(and(eq(documents.id, input.documentId), eq(documents.jobId, input.jobId)));
      if (!doc)
        throw ApplicationFailure.nonRetryable(
          `document ${input.documentId} no longer exists`,
          'DocumentRejected',
        );
      // A reindex leaves the documents as they are: they keep describing the index that is serving.
      const tracked = input.mode === 'incremental';
      const show = async (
        stage: IngestionStage,
        status: IngestionStatus,
        extra: { chunks?: number; error?: string | null } = {},
      ) => {
        if (tracked) {
          await db
            .update(documents)
            .set({ stage, status, ...extra })
            .where(eq(documents.id, doc.id));
          // Mirrored into the job's event stream, keyed so a retried stage is not shown twice.
          await events.append(jobStream(input.jobId), [
            {
              key: `${input.runId}:${doc.id}:${stage}`,
              event: {
                type: 'document',
                documentId: doc.id,
                name: doc.name,
                stage,
                status,
                chunks: extra.chunks ?? 0,
                ...(extra.error && { error: extra.error }),
              },
            },
          ]);
        }
        Context.current().heartbeat(stage);
      };
      try {
        await show('parsing', 'running', { error: null });
        let text = doc.text;
        if (doc.blobKey) {
          const loaded = await loadDocument(await blobs.get(doc.blobKey), doc.name, limits);
          text = loaded.text;
          await db.update(documents).set({ text, format: loaded.format }).where(eq(documents.id, doc.id));
        }
        await show('chunking', 'running');
        const chunks = chunkText(text, chunking);
        if (chunks.length === 0) throw new DocumentRejected(`${doc.name} has no text to index`, 'empty');
        await show('embedding', 'running');
        const count = await store.upsertDocument({
          jobId: indexKey(input.jobId, input.indexVersion),
          documentId: doc.id,
          kind: doc.kind,
          chunks,
        });
        await show('indexed', 'ready', { chunks: count });
        // Tells retrievers the job's chunks changed (a cached lexical index is rebuilt; see server/services.ts).
        if (tracked) await db.update(jobs).set({ updatedAt: new Date() }).where(eq(jobs.id, input.jobId));
        return { chunks: count };
      } catch (err) {
        const rejected = err instanceof DocumentRejected;
        if (rejected || Context.current().info.attempt >= LAST_ATTEMPT) {
          const reason = rejected
            ? err.reason
            : `${doc.name}: ${err instanceof Error ? err.message : String(err)}`;
          await show('failed', 'failed', { error: reason });
          // The run's report names the document either way.
          throw ApplicationFailure.nonRetryable(reason, rejected ? 'DocumentRejected' : 'IngestFailed');
        }
        throw err;
      }
    },

    /** Writes the run's rows (the run, its new job, its new or edited documents) unless they exist. */
    async prepareRun(input: IngestInput): Promise<void> {
      if (!input.prepare) return;
      const { jobId, runId, indexVersion, documentIds } = input;
      await prepareRun(db, { ...input.prepare, jobId, runId, indexVersion, documentIds });
    },

    async finishRun(
      input: IngestInput & {
        outcome: 'succeeded' | 'failed' | 'cancelled';
        errors: string[];
        done: number;
        failed: number;
        chunks: number;
      },
    ): Promise<void> {
      if (input.mode === 'reindex') {
        if (input.outcome === 'succeeded') {
          // The swap: one row update. Sessions read the version on every retrieval.
          await db
            .update(jobs)
            .set({ indexVersion: input.indexVersion, updatedAt: new Date() })
            .where(and(eq(jobs.id, input.jobId), lt(jobs.indexVersion, input.indexVersion)));
          for (let v = input.indexVersion - 1; v >= 1; v--) await store.dropIndex(indexKey(input.jobId, v));
        } else {
          await store.dropIndex(indexKey(input.jobId, input.indexVersion));
        }
      }
      await db
        .update(ingestionRuns)
        .set({
          status: input.outcome,
          documentsDone: input.done,
          documentsFailed: input.failed,
          chunks: input.chunks,
          errors: input.errors,
          finishedAt: new Date(),
        })
        .where(eq(ingestionRuns.id, input.runId));
    },
  };
}
