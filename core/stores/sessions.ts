// Sessions' rows (the read model the workflow keeps up to date): status, round, debrief.
import { and, asc, desc, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { jobs, sessions } from '../db/schema.js';
import type { Debrief, SessionStatus } from '../types.js';
import type { SessionPanel } from '../../contract/index.js';
import { sessionsWhere, type SessionFilter, type SessionKey } from './turns.js';

export async function setStatus(
  db: Db,
  ref: SessionKey,
  status: SessionStatus,
  round: number,
): Promise<void> {
  await db
    .update(sessions)
    .set({ status, round, updatedAt: new Date() })
    .where(and(eq(sessions.id, ref.sessionId), eq(sessions.ownerId, ref.ownerId)));
}

export async function setDebrief(db: Db, ref: SessionKey, debrief: Debrief): Promise<void> {
  await db
    .update(sessions)
    .set({ debrief })
    .where(and(eq(sessions.id, ref.sessionId), eq(sessions.ownerId, ref.ownerId)));
}

/** A panel session's panel: its template at the start, its scorecards and debrief at the end. */
export async function setPanel(db: Db, ref: SessionKey, panel: SessionPanel): Promise<void> {
  await db
    .update(sessions)
    .set({ panel })
    .where(and(eq(sessions.id, ref.sessionId), eq(sessions.ownerId, ref.ownerId)));
}

/** The ids of the owner's last `limit` sessions other than `ref`'s, newest first. */
export async function recentIds(db: Db, ref: SessionKey, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.ownerId, ref.ownerId), ne(sessions.id, ref.sessionId)))
    .orderBy(desc(sessions.createdAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** The sessions `which` selects with their job's title, oldest first. */
export function withJobTitles(db: Db, which: SessionFilter) {
  return db
    .select({ s: sessions, title: jobs.title })
    .from(sessions)
    .innerJoin(jobs, eq(jobs.id, sessions.jobId))
    .where(sessionsWhere(which))
    .orderBy(asc(sessions.createdAt));
}

export type SessionRow = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;

/** The owner's session, or undefined. */
export async function ofOwner(db: Db, ownerId: string, id: string): Promise<SessionRow | undefined> {
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.ownerId, ownerId)));
  return row;
}

/** Inserts a session unless one with its id exists; returns whether it did. */
export async function create(db: Db, session: NewSession): Promise<boolean> {
  const inserted = await db
    .insert(sessions)
    .values(session)
    .onConflictDoNothing()
    .returning({ id: sessions.id });
  return inserted.length > 0;
}

/** The owner's sessions with their job's title and company, newest first. */
export function listOf(db: Db, ownerId: string) {
  return db
    .select({ s: sessions, title: jobs.title, company: jobs.company })
    .from(sessions)
    .innerJoin(jobs, eq(jobs.id, sessions.jobId))
    .where(eq(sessions.ownerId, ownerId))
    .orderBy(desc(sessions.createdAt));
}
