// Cohorts (issue 13's review pools): a named group of accounts, joined with an invite code. Membership is
// read live: who may open a pool request is whoever is a member when they ask.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cohortMembers, cohorts } from '../db/schema.js';

export interface CohortRow {
  id: string;
  name: string;
  inviteCode: string;
  members: number;
}

/** Creates a cohort with `userId` as its first member. */
export async function create(
  db: Db,
  cohort: { id: string; name: string; inviteCode: string; createdBy: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(cohorts).values(cohort);
    await tx.insert(cohortMembers).values({ cohortId: cohort.id, userId: cohort.createdBy });
  });
}

/** Adds `userId` to the cohort with this invite code (again: nothing changes); undefined for an unknown code. */
export async function join(db: Db, inviteCode: string, userId: string): Promise<string | undefined> {
  const [cohort] = await db
    .select({ id: cohorts.id })
    .from(cohorts)
    .where(eq(cohorts.inviteCode, inviteCode));
  if (!cohort) return undefined;
  await db.insert(cohortMembers).values({ cohortId: cohort.id, userId }).onConflictDoNothing();
  return cohort.id;
}

/** The ids of the cohorts `userId` is a member of, as a subquery. */
export const cohortsOf = (db: Db, userId: string) =>
  db.select({ cohortId: cohortMembers.cohortId }).from(cohortMembers).where(eq(cohortMembers.userId, userId));

/** The cohorts `userId` is a member of, with their member counts, by name. */
export async function ofMember(db: Db, userId: string): Promise<CohortRow[]> {
  const rows = await db
    .select({
      id: cohorts.id,
      name: cohorts.name,
      inviteCode: cohorts.inviteCode,
      members: sql<number>`(select count(*)::int from ${cohortMembers} m where m.cohort_id = ${cohorts.id})`,
    })
    .from(cohorts)
    .where(inArray(cohorts.id, cohortsOf(db, userId)))
    .orderBy(cohorts.name, cohorts.id);
  return rows.map((r) => ({ ...r, members: Number(r.members) }));
}

/** The ids of a cohort's members (its pool's reviewers), in a stable order. */
export async function memberIds(db: Db, cohortId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: cohortMembers.userId })
    .from(cohortMembers)
    .where(eq(cohortMembers.cohortId, cohortId))
    .orderBy(cohortMembers.userId);
  return rows.map((r) => r.userId);
}

export async function isMember(db: Db, cohortId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: cohortMembers.userId })
    .from(cohortMembers)
    .where(and(eq(cohortMembers.cohortId, cohortId), eq(cohortMembers.userId, userId)));
  return row !== undefined;
}
