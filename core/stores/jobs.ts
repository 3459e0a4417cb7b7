// A job's deletion, as the delete workflow's activities do it: mark it, find what runs for it and what it
// stored, then remove its rows. Every step can be repeated.
import { and, desc, eq, inArray, isNotNull, lt, ne } from 'drizzle-orm';
import type { BlobStore } from '../blobs.js';
import type { Db } from '../db/client.js';
import { documents, ingestionRuns, jobs, reviewRequests, sessionEvents, sessions } from '../db/schema.js';
import { deleteRecordings } from './recordings.js';
import { jobStream } from '../types.js';
import { reviewStream } from './reviews.js';

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

/** The workflows still running for a job: its ingestion runs, its unfinished sessions and their open reviews. */
export async function jobWorkflows(
  db: Db,
  jobId: string,
): Promise<{ runs: string[]; sessions: string[]; reviews: string[] }> {
  const [runs, open, reviews] = await Promise.all([
    db
      .select({ id: ingestionRuns.id })
      .from(ingestionRuns)
      .where(and(eq(ingestionRuns.jobId, jobId), eq(ingestionRuns.status, 'running'))),
    db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.jobId, jobId), ne(sessions.status, 'completed'))),
    db
      .select({ id: reviewRequests.id })
      .from(reviewRequests)
      .innerJoin(sessions, eq(sessions.id, reviewRequests.sessionId))
      .where(and(eq(sessions.jobId, jobId), eq(reviewRequests.status, 'open'))),
  ]);
  return { runs: runs.map((r) => r.id), sessions: open.map((s) => s.id), reviews: reviews.map((r) => r.id) };
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
  await deleteRecordings(db, blobs, { sessionIds: ids });
}

/**
 * Deletes the job's rows: the event logs of its sessions, of their review requests and of its ingestion (the
 * job's own stream), then the job, whose documents, sessions (with their turns and review requests) and
 * ingestion runs go with it (ON DELETE CASCADE).
 */
export async function deleteJobRows(db: Db, jobId: string, ownerId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const ids = (await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.jobId, jobId))).map(
      (s) => s.id,
    );
    const reviewIds = ids.length
      ? (
          await tx
            .select({ id: reviewRequests.id })
            .from(reviewRequests)
            .where(inArray(reviewRequests.sessionId, ids))
        ).map((r) => reviewStream(r.id))
      : [];
    await tx
      .delete(sessionEvents)
      .where(inArray(sessionEvents.sessionId, [...ids, ...reviewIds, jobStream(jobId)]));
    await tx.delete(jobs).where(and(eq(jobs.id, jobId), eq(jobs.ownerId, ownerId)));
  });
}

/** The job's title and company, as the coach is told them. Throws when the owner has no such job. */
export async function titleOf(
  db: Db,
  jobId: string,
  ownerId: string,
): Promise<{ title: string; company: string }> {
  const [row] = await db
    .select({ title: jobs.title, company: jobs.company })
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.ownerId, ownerId)));
  if (!row) throw new Error(`job ${jobId} not found`);
  return row;
}

/** Tells retrievers the job's chunks changed (a cached lexical index is rebuilt; see server/services.ts). */
export async function touch(db: Db, jobId: string): Promise<void> {
  await db.update(jobs).set({ updatedAt: new Date() }).where(eq(jobs.id, jobId));
}

/** Swaps in a rebuilt index version (never back to an older one). */
export async function swapIndexVersion(db: Db, jobId: string, indexVersion: number): Promise<void> {
  await db
    .update(jobs)
    .set({ indexVersion, updatedAt: new Date() })
    .where(and(eq(jobs.id, jobId), lt(jobs.indexVersion, indexVersion)));
}

export type JobRow = typeof jobs.$inferSelect;

/** The owner's job, or undefined. */
export async function ofOwner(db: Db, ownerId: string, id: string): Promise<JobRow | undefined> {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.ownerId, ownerId)));
  return row;
}

/** Any owner's job (admin routes check the owner themselves), or undefined. */
export async function byId(db: Db, id: string): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row;
}

/** The owner's jobs, newest first. */
export function listOf(db: Db, ownerId: string): Promise<JobRow[]> {
  return db.select().from(jobs).where(eq(jobs.ownerId, ownerId)).orderBy(desc(jobs.createdAt));
}

/** The ids of every job (or of one owner's), oldest first. */
export async function ids(db: Db, ownerId?: string): Promise<string[]> {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(ownerId ? eq(jobs.ownerId, ownerId) : undefined)
    .orderBy(jobs.createdAt);
  return rows.map((r) => r.id);
}

/** Changes the owner's job's fields (those given); returns the row, or undefined when there is none. */
export async function setFields(
  db: Db,
  ownerId: string,
  id: string,
  fields: { title?: string; company?: string; seniority?: JobRow['seniority'] },
): Promise<JobRow | undefined> {
  const [row] = await db
    .update(jobs)
    .set({
      ...(fields.title !== undefined && { title: fields.title }),
      ...(fields.company !== undefined && { company: fields.company }),
      ...(fields.seniority !== undefined && { seniority: fields.seniority }),
      updatedAt: new Date(),
    })
    .where(and(eq(jobs.id, id), eq(jobs.ownerId, ownerId)))
    .returning();
  return row;
}

/** Shows the owner's job as `deleting` (see markJobDeleting); returns the row, or undefined when gone. */
export async function setDeleting(db: Db, ownerId: string, id: string): Promise<JobRow | undefined> {
  const [row] = await db
    .update(jobs)
    .set({ status: 'deleting' })
    .where(and(eq(jobs.id, id), eq(jobs.ownerId, ownerId)))
    .returning();
  return row;
}

/** The job's serving index version and when its chunks last changed (undefined: no such job). */
export async function indexStamp(db: Db, jobId: string): Promise<{ v: number; updatedAt: Date } | undefined> {
  const [row] = await db
    .select({ v: jobs.indexVersion, updatedAt: jobs.updatedAt })
    .from(jobs)
    .where(eq(jobs.id, jobId));
  return row;
}
