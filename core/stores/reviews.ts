// The review-request aggregate (issue 13): the request with its frozen snapshot and claims state, its share
// links and its submitted reviews. The request's workflow is the one writer of `state`; the API writes the
// request once, when it is made, and reads the rest.
import { and, asc, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { cohortsOf } from './cohorts.js';
import {
  documents,
  jobs,
  reviewCommentMarks,
  reviewNoticesSeen,
  reviewReplies,
  reviewRequests,
  reviewShares,
  reviewSubmissions,
  sessions,
  users,
} from '../db/schema.js';
import type { JobProfile } from '../review/snapshot.js';
import type { ReviewRequest as ClaimsState } from '../review/claims.js';
import type { ShareLink } from '../review/share-link.js';
import type { ReviewComment, ReviewScores } from '../../contract/reviews.js';

export type ReviewRequestRow = typeof reviewRequests.$inferSelect;
export type NewReviewRequest = typeof reviewRequests.$inferInsert;
export type SubmissionRow = typeof reviewSubmissions.$inferSelect;

/** The event-log stream of a review request, beside the per-session streams. */
export const reviewStream = (requestId: string) => `review:${requestId}`;

/** Inserts the request (and its share link) unless one with its id exists; returns whether it did. */
export async function create(db: Db, request: NewReviewRequest, share: ShareLink | null): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(reviewRequests)
      .values(request)
      .onConflictDoNothing()
      .returning({ id: reviewRequests.id });
    if (!inserted.length) return false;
    if (share) {
      await tx.insert(reviewShares).values({
        id: share.id,
        requestId: share.requestId,
        tokenHash: share.tokenHash,
        expiresAt: share.expiresAt,
        passcode: share.passcode,
        revokedAt: share.revokedAt,
      });
    }
    return true;
  });
}

/** Removes a request that never started (its share link and reviews go with it). */
export async function remove(db: Db, id: string): Promise<void> {
  await db.delete(reviewRequests).where(eq(reviewRequests.id, id));
}

export async function byId(db: Db, id: string): Promise<ReviewRequestRow | undefined> {
  const [row] = await db.select().from(reviewRequests).where(eq(reviewRequests.id, id));
  return row;
}

export async function ofOwner(db: Db, ownerId: string, id: string): Promise<ReviewRequestRow | undefined> {
  const [row] = await db
    .select()
    .from(reviewRequests)
    .where(and(eq(reviewRequests.id, id), eq(reviewRequests.ownerId, ownerId)));
  return row;
}

export function listOwned(db: Db, ownerId: string): Promise<ReviewRequestRow[]> {
  return db
    .select()
    .from(reviewRequests)
    .where(eq(reviewRequests.ownerId, ownerId))
    .orderBy(desc(reviewRequests.createdAt));
}

/** The requests that name `reviewerId` as a reviewer. */
export function listInvited(db: Db, reviewerId: string): Promise<ReviewRequestRow[]> {
  return db
    .select()
    .from(reviewRequests)
    .where(sql`${reviewRequests.invited} @> ${JSON.stringify([reviewerId])}::jsonb`)
    .orderBy(desc(reviewRequests.createdAt));
}

/** The requests for the pools of `userId`'s cohorts, but their own; newest first. */
export function listPooled(db: Db, userId: string): Promise<ReviewRequestRow[]> {
  return db
    .select()
    .from(reviewRequests)
    .where(and(inArray(reviewRequests.cohortId, cohortsOf(db, userId)), ne(reviewRequests.ownerId, userId)))
    .orderBy(desc(reviewRequests.createdAt));
}

/**
 * What `userId` has not seen since they last looked at their reviews: reviews that arrived on their requests
 * (one per reviewer and request), and open requests they may review that were made since (named or pool).
 */
export async function unreadNotices(
  db: Db,
  userId: string,
): Promise<{ arrived: number; invitations: number }> {
  const [seen] = await db
    .select({ at: reviewNoticesSeen.seenAt })
    .from(reviewNoticesSeen)
    .where(eq(reviewNoticesSeen.userId, userId));
  const since = seen?.at ?? new Date(0);
  const [arrived] = await db
    .select({
      n: sql<number>`count(distinct ${reviewSubmissions.requestId} || ' ' || ${reviewSubmissions.reviewerId})::int`,
    })
    .from(reviewSubmissions)
    .innerJoin(reviewRequests, eq(reviewRequests.id, reviewSubmissions.requestId))
    .where(and(eq(reviewRequests.ownerId, userId), gt(reviewSubmissions.submittedAt, since)));
  const [invitations] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(reviewRequests)
    .where(
      and(
        eq(reviewRequests.status, 'open'),
        gt(reviewRequests.createdAt, since),
        ne(reviewRequests.ownerId, userId),
        or(
          sql`${reviewRequests.invited} @> ${JSON.stringify([userId])}::jsonb`,
          inArray(reviewRequests.cohortId, cohortsOf(db, userId)),
        ),
      ),
    );
  return { arrived: Number(arrived?.n ?? 0), invitations: Number(invitations?.n ?? 0) };
}

/** `userId` has seen every review notice up to `at`. */
export async function markNoticesSeen(db: Db, userId: string, at: Date): Promise<void> {
  await db
    .insert(reviewNoticesSeen)
    .values({ userId, seenAt: at })
    .onConflictDoUpdate({ target: reviewNoticesSeen.userId, set: { seenAt: at } });
}

/** The share link whose token has this sha256, as core/review/share-link.ts checks it. */
export async function shareByTokenHash(db: Db, tokenHash: string): Promise<ShareLink | undefined> {
  const [row] = await db.select().from(reviewShares).where(eq(reviewShares.tokenHash, tokenHash));
  return row && { ...row, passcode: row.passcode ?? null };
}

export async function shareOf(db: Db, requestId: string): Promise<ShareLink | undefined> {
  const [row] = await db.select().from(reviewShares).where(eq(reviewShares.requestId, requestId));
  return row && { ...row, passcode: row.passcode ?? null };
}

/**
 * Saves the claims state the workflow holds. A withdrawn request's links are revoked in the same transaction,
 * so nobody opens it from the moment the withdrawal is answered.
 */
export async function saveState(db: Db, requestId: string, state: ClaimsState): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(reviewRequests)
      .set({ state, status: state.status })
      .where(eq(reviewRequests.id, requestId));
    if (state.status === 'withdrawn') {
      await tx
        .update(reviewShares)
        .set({ revokedAt: new Date(state.endedAt) })
        .where(and(eq(reviewShares.requestId, requestId), isNull(reviewShares.revokedAt)));
    }
  });
}

export interface AnswerReviewInput {
  answerId: string;
  scores: ReviewScores;
  comments: ReviewComment[];
}

/** Stores a reviewer's review of each answer; a repeated save (a retried activity) adds nothing. */
export async function saveSubmission(
  db: Db,
  requestId: string,
  reviewerId: string,
  answers: readonly AnswerReviewInput[],
  submittedAt: Date,
): Promise<void> {
  if (!answers.length) return;
  await db
    .insert(reviewSubmissions)
    .values(answers.map((a) => ({ requestId, reviewerId, submittedAt, ...a })))
    .onConflictDoNothing();
}

export function submissionsOf(db: Db, requestId: string): Promise<SubmissionRow[]> {
  return db
    .select()
    .from(reviewSubmissions)
    .where(eq(reviewSubmissions.requestId, requestId))
    .orderBy(asc(reviewSubmissions.submittedAt), asc(reviewSubmissions.reviewerId));
}

/** How many reviewers submitted, per request. */
export async function reviewCounts(db: Db, requestIds: readonly string[]): Promise<Map<string, number>> {
  if (!requestIds.length) return new Map();
  const rows = await db
    .select({
      requestId: reviewSubmissions.requestId,
      n: sql<number>`count(distinct ${reviewSubmissions.reviewerId})::int`,
    })
    .from(reviewSubmissions)
    .where(inArray(reviewSubmissions.requestId, [...requestIds]))
    .groupBy(reviewSubmissions.requestId);
  return new Map(rows.map((r) => [r.requestId, Number(r.n)]));
}

/** Every submitted review with the snapshot it reviewed; `ownerId` limits it to one candidate's requests. */
export function submissionsWithSnapshots(db: Db, ownerId?: string) {
  return db
    .select({
      submission: reviewSubmissions,
      snapshot: reviewRequests.snapshot,
      jobTitle: reviewRequests.jobTitle,
      jobProfile: reviewRequests.jobProfile,
      sessionId: reviewRequests.sessionId,
    })
    .from(reviewSubmissions)
    .innerJoin(reviewRequests, eq(reviewRequests.id, reviewSubmissions.requestId))
    .where(ownerId === undefined ? undefined : eq(reviewRequests.ownerId, ownerId))
    .orderBy(asc(reviewSubmissions.submittedAt));
}

/** The emails of these accounts, by id. */
export async function emailsOf(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r.email]));
}

/** The ids of the accounts with these emails (unknown emails are absent). */
export async function accountsByEmail(db: Db, emails: readonly string[]): Promise<Map<string, string>> {
  if (!emails.length) return new Map();
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      inArray(
        users.email,
        emails.map((e) => e.toLowerCase()),
      ),
    );
  return new Map(rows.map((r) => [r.email, r.id]));
}

/** The review requests made from a job's sessions: `open` ones still have a workflow to stop. */
export async function ofJob(db: Db, jobId: string): Promise<{ id: string; open: boolean }[]> {
  const rows = await db
    .select({ id: reviewRequests.id, status: reviewRequests.status })
    .from(reviewRequests)
    .innerJoin(sessions, eq(sessions.id, reviewRequests.sessionId))
    .where(eq(sessions.jobId, jobId));
  return rows.map((r) => ({ id: r.id, open: r.status === 'open' }));
}

/** The title and job-description text of the job a request's session practised for. */
export async function jobOfRequest(
  db: Db,
  requestId: string,
): Promise<{ title: string; description: string } | undefined> {
  const [job] = await db
    .select({ id: jobs.id, title: jobs.title })
    .from(reviewRequests)
    .innerJoin(sessions, eq(sessions.id, reviewRequests.sessionId))
    .innerJoin(jobs, eq(jobs.id, sessions.jobId))
    .where(eq(reviewRequests.id, requestId));
  if (!job) return undefined;
  const texts = await db
    .select({ text: documents.text })
    .from(documents)
    .where(and(eq(documents.jobId, job.id), eq(documents.kind, 'jd')))
    .orderBy(asc(documents.createdAt));
  return { title: job.title, description: texts.map((t) => t.text).join('\n') };
}

export async function setJobProfile(db: Db, requestId: string, profile: JobProfile): Promise<void> {
  await db.update(reviewRequests).set({ jobProfile: profile }).where(eq(reviewRequests.id, requestId));
}

export type CommentMarks = { resolved: boolean; helpful: boolean };
export type ReplyRow = typeof reviewReplies.$inferSelect;

/** The candidate's marks on a request's comments, by comment id (a comment never marked is absent). */
export async function marksOf(db: Db, requestId: string): Promise<Map<string, CommentMarks>> {
  const rows = await db.select().from(reviewCommentMarks).where(eq(reviewCommentMarks.requestId, requestId));
  return new Map(rows.map((r) => [r.commentId, { resolved: r.resolved, helpful: r.helpful }]));
}

/** Sets the marks given (the others keep their value); returns the comment's marks after. */
export async function setMarks(
  db: Db,
  requestId: string,
  commentId: string,
  marks: Partial<CommentMarks>,
): Promise<CommentMarks> {
  const [row] = await db
    .insert(reviewCommentMarks)
    .values({ requestId, commentId, resolved: false, helpful: false, ...marks })
    .onConflictDoUpdate({ target: [reviewCommentMarks.requestId, reviewCommentMarks.commentId], set: marks })
    .returning();
  return { resolved: row!.resolved, helpful: row!.helpful };
}

/** The replies to a request's comments, oldest first. */
export function repliesOf(db: Db, requestId: string): Promise<ReplyRow[]> {
  return db
    .select()
    .from(reviewReplies)
    .where(eq(reviewReplies.requestId, requestId))
    .orderBy(asc(reviewReplies.createdAt), asc(reviewReplies.id));
}

/** Adds a reply unless one with its id exists (a repeated request); returns the stored reply. */
export async function addReply(db: Db, reply: typeof reviewReplies.$inferInsert): Promise<ReplyRow> {
  await db.insert(reviewReplies).values(reply).onConflictDoNothing();
  const [row] = await db.select().from(reviewReplies).where(eq(reviewReplies.id, reply.id));
  return row!;
}
