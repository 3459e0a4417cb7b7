// Ingestion activities: parse, chunk, embed and upsert one document; close a run. Idempotent: chunk ids
// derive from the document and the chunk's content, and every write is an upsert or a set.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { BlobStore } from '../../core/blobs.js';
import type { Db } from '../../core/db/client.js';
import * as documents from '../../core/stores/documents.js';
import * as jobs from '../../core/stores/jobs.js';
import * as runs from '../../core/stores/runs.js';
import { jobStream, type IngestionStage, type IngestionStatus } from '../../core/types.js';
import type { EventLog } from '../../core/events.js';
import { chunkText, type ChunkOptions } from '../../ingestion/chunk.js';
import { DocumentRejected, loadDocument, type LoadLimits } from '../../ingestion/loaders/index.js';
import { indexKey, type ChunkStore } from '../../ingestion/store.js';
import type { IngestInput } from '../messages.js';

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
      const doc = await documents.ofJob(db, input.jobId, input.documentId);
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
          await documents.setProgress(db, doc.id, { stage, status, ...extra });
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
          await documents.setParsed(db, doc.id, text, loaded.format);
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
        if (tracked) await jobs.touch(db, input.jobId);
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
      await runs.prepareRun(db, { ...input.prepare, jobId, runId, indexVersion, documentIds });
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
          await jobs.swapIndexVersion(db, input.jobId, input.indexVersion);
          for (let v = input.indexVersion - 1; v >= 1; v--) await store.dropIndex(indexKey(input.jobId, v));
        } else {
          await store.dropIndex(indexKey(input.jobId, input.indexVersion));
        }
      }
      await runs.finish(db, input.runId, { ...input, status: input.outcome });
    },
  };
}
