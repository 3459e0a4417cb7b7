// A job's documents: pasted texts and uploads, with their ingestion progress.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { documents } from '../db/schema.js';
import type { IngestionStage, IngestionStatus } from '../types.js';

export type DocumentRow = typeof documents.$inferSelect;

/** One document of a job. */
export async function ofJob(db: Db, jobId: string, documentId: string): Promise<DocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.jobId, jobId)));
  return row;
}

/** Where its ingestion is (and, once indexed, its chunk count; once failed, why). */
export async function setProgress(
  db: Db,
  documentId: string,
  progress: { stage: IngestionStage; status: IngestionStatus; chunks?: number; error?: string | null },
): Promise<void> {
  await db.update(documents).set(progress).where(eq(documents.id, documentId));
}

/** An upload's extracted text (what citations open) and the format it was read as. */
export async function setParsed(db: Db, documentId: string, text: string, format: string): Promise<void> {
  await db.update(documents).set({ text, format }).where(eq(documents.id, documentId));
}

/** Deletes one document's row (its passages are dropped from the index first, by the caller). */
export async function remove(db: Db, jobId: string, documentId: string): Promise<void> {
  await db.delete(documents).where(and(eq(documents.id, documentId), eq(documents.jobId, jobId)));
}

/** The owner's documents of a job, oldest first. */
export function ofJobOwner(db: Db, ownerId: string, jobId: string): Promise<DocumentRow[]> {
  return db
    .select()
    .from(documents)
    .where(and(eq(documents.jobId, jobId), eq(documents.ownerId, ownerId)))
    .orderBy(documents.createdAt);
}

/** The owner's document of a job, or undefined. */
export async function ofJobAndOwner(
  db: Db,
  ownerId: string,
  jobId: string,
  documentId: string,
): Promise<DocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.jobId, jobId), eq(documents.ownerId, ownerId)));
  return row;
}

/** A job's pasted texts (documents that are not uploads). */
export function pastedOf(db: Db, jobId: string): Promise<DocumentRow[]> {
  return db
    .select()
    .from(documents)
    .where(and(eq(documents.jobId, jobId), isNull(documents.blobKey)));
}

/** The ids of a job's indexed documents. */
export async function readyIds(db: Db, jobId: string): Promise<string[]> {
  const rows = await db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.jobId, jobId), eq(documents.status, 'ready')));
  return rows.map((r) => r.id);
}

/** Every document's status and chunks of these jobs, oldest first (what a job's ingestion shows). */
export function statusesOf(db: Db, jobIds: string[]) {
  if (jobIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      jobId: documents.jobId,
      status: documents.status,
      chunks: documents.chunks,
      error: documents.error,
    })
    .from(documents)
    .where(inArray(documents.jobId, jobIds))
    .orderBy(documents.createdAt);
}
