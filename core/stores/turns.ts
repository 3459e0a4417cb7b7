// Turns: a question asked in a session, and the answer and feedback it got. Every write is idempotent
// (an upsert or a set), so a retried activity writes nothing twice.
import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { sessions, turns } from '../db/schema.js';
import type { Citation, Feedback, Module } from '../types.js';

export interface SessionKey {
  sessionId: string;
  ownerId: string;
}

/** Saves a question as a turn (a retried save keeps the turn and updates its text). */
export async function saveQuestion(
  db: Db,
  ref: SessionKey,
  t: {
    turnId: string;
    round: number;
    question: string;
    citations: Citation[];
    retryOf?: string;
    probeOf?: string;
    competency?: string | null;
    panel?: TurnRow['panel'];
  },
): Promise<void> {
  await db
    .insert(turns)
    .values({
      id: t.turnId,
      sessionId: ref.sessionId,
      ownerId: ref.ownerId,
      round: t.round,
      question: t.question,
      questionCitations: t.citations,
      retryOf: t.retryOf,
      probeOf: t.probeOf,
      competency: t.competency,
      panel: t.panel,
    })
    .onConflictDoUpdate({
      target: turns.id,
      set: { question: t.question, questionCitations: t.citations },
    });
}

/** The question a turn asks, once saved. */
export async function savedQuestion(
  db: Db,
  turnId: string,
): Promise<{ text: string; citations: Citation[]; panel: TurnRow['panel'] } | undefined> {
  const [row] = await db
    .select({ text: turns.question, citations: turns.questionCitations, panel: turns.panel })
    .from(turns)
    .where(eq(turns.id, turnId));
  return row;
}

/** The feedback a turn got, once saved. */
export async function savedFeedback(db: Db, turnId: string): Promise<Feedback | null | undefined> {
  const [row] = await db.select({ feedback: turns.feedback }).from(turns).where(eq(turns.id, turnId));
  return row?.feedback;
}

/** The competency a turn's question probes (null or undefined: none known). */
export async function competencyOf(db: Db, turnId: string): Promise<string | null | undefined> {
  const [row] = await db.select({ competency: turns.competency }).from(turns).where(eq(turns.id, turnId));
  return row?.competency;
}

/** Saves the answer given to a turn (`ownerId`: only the owner's turn). */
export async function setAnswer(db: Db, turnId: string, answer: string, ownerId?: string): Promise<void> {
  await db
    .update(turns)
    .set({ answer })
    .where(and(eq(turns.id, turnId), ownerId ? eq(turns.ownerId, ownerId) : undefined));
}

export async function setFeedback(db: Db, turnId: string, feedback: Feedback): Promise<void> {
  await db.update(turns).set({ feedback }).where(eq(turns.id, turnId));
}

/** The questions (not follow-up probes) of the owner's turns in these sessions, oldest first. */
export async function questionsOf(db: Db, ownerId: string, sessionIds: string[]): Promise<string[]> {
  if (sessionIds.length === 0) return [];
  const rows = await db
    .select({ question: turns.question })
    .from(turns)
    .where(and(eq(turns.ownerId, ownerId), inArray(turns.sessionId, sessionIds), isNull(turns.probeOf)))
    .orderBy(asc(turns.createdAt));
  return rows.map((r) => r.question);
}

export interface CoachedTurn {
  id: string;
  sessionId: string;
  retryOf: string | null;
  competency: string | null;
  feedback: Feedback | null;
  createdAt: Date;
}

/** Which sessions' turns: the owner's, optionally one session, one job or one module. */
export interface SessionFilter {
  ownerId: string;
  sessionId?: string;
  jobId?: string;
  module?: Module;
}

export const sessionsWhere = (f: SessionFilter) =>
  and(
    eq(sessions.ownerId, f.ownerId),
    f.sessionId ? eq(sessions.id, f.sessionId) : undefined,
    f.jobId ? eq(sessions.jobId, f.jobId) : undefined,
    f.module ? eq(sessions.module, f.module) : undefined,
  );

/** The coached turns of the sessions `which` selects, oldest first. */
export function coachedTurns(db: Db, which: SessionFilter): Promise<CoachedTurn[]> {
  return db
    .select({
      id: turns.id,
      sessionId: turns.sessionId,
      retryOf: turns.retryOf,
      competency: turns.competency,
      feedback: turns.feedback,
      createdAt: turns.createdAt,
    })
    .from(turns)
    .innerJoin(sessions, eq(sessions.id, turns.sessionId))
    .where(and(sessionsWhere(which), isNotNull(turns.feedback)))
    .orderBy(asc(turns.createdAt));
}

export type TurnRow = typeof turns.$inferSelect;

/** A session's turns of the owner, in the order they were asked. */
export function ofSession(db: Db, ownerId: string, sessionId: string): Promise<TurnRow[]> {
  return db
    .select()
    .from(turns)
    .where(and(eq(turns.sessionId, sessionId), eq(turns.ownerId, ownerId)))
    .orderBy(asc(turns.createdAt));
}

/** One turn of a session (`ownerId`: only the owner's), or undefined. */
export async function inSession(
  db: Db,
  sessionId: string,
  turnId: string,
  ownerId?: string,
): Promise<TurnRow | undefined> {
  const [row] = await db
    .select()
    .from(turns)
    .where(
      and(
        eq(turns.id, turnId),
        eq(turns.sessionId, sessionId),
        ownerId ? eq(turns.ownerId, ownerId) : undefined,
      ),
    );
  return row;
}
