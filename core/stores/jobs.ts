// A job's deletion, as the delete workflow's activities do it: mark it, find what runs for it and what it
// stored, then remove its rows. Every step can be repeated.
import { and, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import type { BlobStore } from '../blobs.js';
import type { Db } from '../db/client.js';
import { documents, ingestionRuns, jobs, sessionEvents, sessions, turns } from '../db/schema.js';
import { deleteRecordings } from '../recordings.js';
import { jobStream } from '../types.js';

/** Shows the job as `deleting`. Returns its index version, or undefined when the job is gone already. */
export async function markJobDeleting(
  db: Db,
  jobId: string,
  ownerId: string,
): Promise<{ indexVersion: number } | undefined> {
  const [row] = await db
    .update(jobs)
    .set({ status: 'deleting' })
    .where(and(eq(jobs.id, jobId), eq(jobs.ownerId, ownerId)))
    .returning({ indexVersion: jobs.indexVersion });
  return row;
}

/** The workflows still running for a job: its ingestion runs and its unfinished sessions. */
export async function jobWorkflows(db: Db, jobId: string): Promise<{ runs: string[]; sessions: string[] }> {
  const [runs, open] = await Promise.all([
    db
      .select({ id: ingestionRuns.id })
      .from(ingestionRuns)
      .where(and(eq(ingestionRuns.jobId, jobId), eq(ingestionRuns.status, 'running'))),
    db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.jobId, jobId), ne(sessions.status, 'completed'))),
  ]);
  return { runs: runs.map((r) => r.id), sessions: open.map((s) => s.id) };
}

/** Deletes the job's uploaded files and its sessions' voice recordings (a missing file is fine). */
export async function deleteJobFiles(db: Db, blobs: BlobStore, jobId: string): Promise<void> {
  const files = await db
    .select({ key: documents.blobKey })
    .from(documents)
    .where(and(eq(documents.jobId, jobId), isNotNull(documents.blobKey)));
  for (const { key } of files) if (key) await blobs.delete(key);
  const ids = (await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.jobId, jobId))).map(
    (s) => s.id,
  );
  if (ids.length > 0) await deleteRecordings(db, blobs, inArray(turns.sessionId, ids));
}

/**
 * Deletes the job's rows: the event logs of its sessions and of its ingestion (the job's own stream), then
 * the job, whose documents, sessions (with their turns) and ingestion runs go with it (ON DELETE CASCADE).
 */
export async function deleteJobRows(db: Db, jobId: string, ownerId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const ids = (await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.jobId, jobId))).map(
      (s) => s.id,
    );
    await tx.delete(sessionEvents).where(inArray(sessionEvents.sessionId, [...ids, jobStream(jobId)]));
    await tx.delete(jobs).where(and(eq(jobs.id, jobId), eq(jobs.ownerId, ownerId)));
  });
}

/** Deletes one document's row (its passages are dropped from the index first, by the caller). */
export async function deleteDocumentRow(db: Db, jobId: string, documentId: string): Promise<void> {
  await db.delete(documents).where(and(eq(documents.id, documentId), eq(documents.jobId, jobId)));
}
