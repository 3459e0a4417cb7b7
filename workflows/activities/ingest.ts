// Ingestion activities: chunk, embed and upsert one document at a time; idempotent by chunk id.
import { and, eq, sum } from 'drizzle-orm';
import { Context } from '@temporalio/activity';
import type { Db } from '../../core/db/client.js';
import { documents, jobs } from '../../core/db/schema.js';
import type { IngestionStatus } from '../../core/types.js';
import { chunkText, type ChunkOptions } from '../../ingestion/chunk.js';
import type { ChunkStore } from '../../ingestion/store.js';

export interface IngestActivityDeps {
  db: Db;
  store: ChunkStore;
  chunking: ChunkOptions;
}

export function createIngestActivities({ db, store, chunking }: IngestActivityDeps) {
  return {
    async listDocuments({ jobId }: { jobId: string }): Promise<string[]> {
      const rows = await db.select({ id: documents.id }).from(documents).where(eq(documents.jobId, jobId));
      return rows.map((r) => r.id);
    },

    async ingestDocument({
      jobId,
      documentId,
    }: {
      jobId: string;
      documentId: string;
    }): Promise<{ chunks: number }> {
      const [doc] = await db
        .select()
        .from(documents)
        .where(and(eq(documents.id, documentId), eq(documents.jobId, jobId)));
      if (!doc) throw new Error(`document ${documentId} not found`);
      await db.update(documents).set({ status: 'running', error: null }).where(eq(documents.id, documentId));
      try {
        const chunks = chunkText(doc.text, chunking);
        if (chunks.length === 0) throw new Error(`${doc.name}: no text to index`);
        Context.current().heartbeat({ chunks: chunks.length });
        const count = await store.upsertDocument({ jobId, documentId, kind: doc.kind, chunks });
        await db
          .update(documents)
          .set({ status: 'ready', chunks: count })
          .where(eq(documents.id, documentId));
        return { chunks: count };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await db
          .update(documents)
          .set({ status: 'failed', error: message })
          .where(eq(documents.id, documentId));
        throw err;
      }
    },

    async markIngestion({
      jobId,
      status,
      error,
    }: {
      jobId: string;
      status: IngestionStatus;
      error?: string;
    }): Promise<void> {
      const [total] = await db
        .select({ chunks: sum(documents.chunks) })
        .from(documents)
        .where(and(eq(documents.jobId, jobId), eq(documents.status, 'ready')));
      await db
        .update(jobs)
        .set({
          ingestionStatus: status,
          ingestionChunks: Number(total?.chunks ?? 0),
          ingestionError: error ?? null,
          updatedAt: new Date(),
        })
        .where(eq(jobs.id, jobId));
    },
  };
}
