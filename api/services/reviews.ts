// Peer review requests (issue 13): made by the candidate from a session, reviewed by named accounts, by
// anyone holding the share link, or by the members of a cohort (its pool), and moved on only by the request's workflow (workflows/review.workflow.ts),
// which the API reaches through Temporal Updates. What each party sees is shaped here: a reviewer sees the
// coach and the other reviews only once they have submitted.
import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import type {
  CommentMarksInput,
  CreateReviewRequest,
  ReviewComment,
  ReviewCommentView,
  ReviewRequestView,
  ReviewSubmission,
  ReviewerView,
  SubmittedReviewView,
} from '../../contract/index.js';
import { reviewRequestsCreated } from '../../core/metrics.js';
import { calibrate } from '../../core/review/calibration.js';
import { commentIdOf } from '../../core/review/comments.js';
import { exportLabelledSet, type ReviewedAnswer } from '../../core/review/export.js';
import {
  mayOpen,
  openRequest,
  type Audience,
  type ReviewRequest as ClaimsState,
} from '../../core/review/claims.js';
import type { SubmittedReview } from '../../core/review/reviews.js';
import type { Scores } from '../../core/types.js';
import { checkShareAccess, createShareLink, hashShareToken } from '../../core/review/share-link.js';
import { snapshotOf } from '../../core/review/snapshot.js';
import * as cohorts from '../../core/stores/cohorts.js';
import * as reviews from '../../core/stores/reviews.js';
import * as sessions from '../../core/stores/sessions.js';
import * as turns from '../../core/stores/turns.js';
import { titleOf } from '../../core/stores/jobs.js';
import {
  claimReview,
  reviewWorkflowId,
  submitReview,
  withdrawReview,
  type ReviewWorkflowInput,
} from '../../workflows/messages.js';
import type { ApiDeps } from '../context.js';
import { badRequest, conflict, HttpError, notFound } from '../errors.js';
import { createSessionService } from './sessions.js';
import { createVoiceService } from './voice.js';
import { sendUpdate } from './workflow-update.js';

/** A link reviewer's key: 32 random bytes, base64url. */
const REVIEWER_KEY = /^[A-Za-z0-9_-]{43}$/;

const iso = (ms: number | Date) => new Date(ms).toISOString();

/** Who is reviewing: an account, or a link reviewer known only by the hash of the key they were given. */
export type Reviewer = { kind: 'account'; id: string } | { kind: 'guest'; id: string };

export const guestReviewerId = (reviewerKey: string) => `guest:${hashShareToken(reviewerKey)}`;

/** What has been added to the reviewers' comments: the candidate's marks, and the thread of replies. */
interface CommentNotes {
  /** The candidate: their replies are the candidate's, any other is the comment's reviewer answering. */
  ownerId: string;
  marks: ReadonlyMap<string, reviews.CommentMarks>;
  replies: readonly reviews.ReplyRow[];
}

const replyView = (r: reviews.ReplyRow, ownerId: string) => ({
  id: r.id,
  text: r.text,
  createdAt: iso(r.createdAt),
  by: r.authorId === ownerId ? ('candidate' as const) : ('reviewer' as const),
});

/** Submitted reviews grouped per reviewer, named as the request allows (an email, or "Reviewer N"). */
function groupReviews(
  row: reviews.ReviewRequestRow,
  submissions: readonly reviews.SubmissionRow[],
  emails: ReadonlyMap<string, string>,
  notes: CommentNotes,
): (SubmittedReviewView & { reviewerId: string })[] {
  const byReviewer = new Map<string, reviews.SubmissionRow[]>();
  for (const s of submissions) byReviewer.set(s.reviewerId, [...(byReviewer.get(s.reviewerId) ?? []), s]);
  return [...byReviewer].map(([reviewerId, rows], i) => ({
    reviewerId,
    reviewer: (!row.anonymous && emails.get(reviewerId)) || `Reviewer ${i + 1}`,
    submittedAt: iso(rows[0]!.submittedAt),
    answers: rows.map((r) => ({
      answerId: r.answerId,
      scores: r.scores,
      comments: r.comments.map((c, index) =>
        commentView(c, commentIdOf(reviewerId, r.answerId, index), notes),
      ),
    })),
  }));
}

function commentView(comment: ReviewComment, id: string, notes: CommentNotes): ReviewCommentView {
  const marks = notes.marks.get(id);
  return {
    ...comment,
    id,
    resolved: marks?.resolved ?? false,
    helpful: marks?.helpful ?? false,
    replies: notes.replies.filter((r) => r.commentId === id).map((r) => replyView(r, notes.ownerId)),
  };
}

/** The comment of a request's submissions with this id, and who wrote it on which answer. */
function findComment(submissions: readonly reviews.SubmissionRow[], commentId: string) {
  for (const s of submissions)
    for (const [index, comment] of s.comments.entries())
      if (commentIdOf(s.reviewerId, s.answerId, index) === commentId) return { submission: s, comment };
  return undefined;
}

const answersOf = (row: reviews.ReviewRequestRow) =>
  row.snapshot.map((a) => ({
    answerId: a.answerId,
    round: a.round,
    question: a.question,
    answer: a.answer,
    hasRecording: a.audioKey !== null,
  }));

const coachOf = (row: reviews.ReviewRequestRow) =>
  row.snapshot.flatMap((a) => (a.feedback ? [{ answerId: a.answerId, feedback: a.feedback }] : []));

export function createReviewService(deps: ApiDeps) {
  const { db, temporal, config } = deps;
  const sessionService = createSessionService(deps);
  const voice = createVoiceService(deps);

  /**
   * The recording of an answer of the snapshot, for whoever may open the request: the candidate's own
   * recording, as long as they keep it (a deleted one, or one past the retention, is a 404 here too).
   */
  async function recordingOf(row: reviews.ReviewRequestRow, answerId: string) {
    const answer = row.snapshot.find((a) => a.answerId === answerId);
    if (!answer?.audioKey) throw notFound(`a recording of answer ${answerId} in this review request`);
    return voice.recording(row.ownerId, row.sessionId, answer.answerId);
  }

  /** Sends an Update to the request's workflow; a refusal is a 409 with the workflow's reason. */
  const update = <Ret>(requestId: string, send: (handle: WorkflowHandle) => Promise<Ret>): Promise<Ret> =>
    sendUpdate(
      temporal,
      reviewWorkflowId(requestId),
      {
        ended: 'the review request has ended',
        timedOut: 'the review service did not respond in time; try again',
      },
      send,
    );

  /** Starts the request's workflow; one already started (a repeated create) is fine. */
  async function startWorkflow(requestId: string, state: ClaimsState): Promise<void> {
    const input: ReviewWorkflowInput = {
      requestId,
      dueAt: state.dueAt,
      wanted: state.wanted,
      audience: state.audience,
      claimHoldMs: config.REVIEW_CLAIM_HOLD_MS,
    };
    try {
      await temporal.workflow.start('reviewRequest', {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflowId: reviewWorkflowId(requestId),
        args: [input],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  async function emailsFor(row: reviews.ReviewRequestRow, submissions: readonly reviews.SubmissionRow[]) {
    return reviews.emailsOf(db, [row.ownerId, ...row.invited, ...submissions.map((s) => s.reviewerId)]);
  }

  const notesOf = async (row: reviews.ReviewRequestRow): Promise<CommentNotes> => {
    const [marks, replies] = await Promise.all([reviews.marksOf(db, row.id), reviews.repliesOf(db, row.id)]);
    return { ownerId: row.ownerId, marks, replies };
  };

  /**
   * Adds a reply to a comment's thread as `authorId`; `replyId` from an Idempotency-Key makes a repeat one
   * reply (a key used for another thread is a 422).
   */
  async function addReply(
    row: reviews.ReviewRequestRow,
    commentId: string,
    authorId: string,
    text: string,
    replyId: string,
  ) {
    const saved = await reviews.addReply(db, { id: replyId, requestId: row.id, commentId, authorId, text });
    if (saved.requestId !== row.id || saved.commentId !== commentId)
      throw new HttpError(422, 'Unprocessable Entity', 'this Idempotency-Key was used for another request');
    // Tell the request's stream, so open pages show the thread without a reload. Keyed by the reply: a
    // repeat tells nothing twice. No text on the stream (a link's stream is open to anyone with the link):
    // each page fetches the threads it may see.
    const reply = replyView(saved, row.ownerId);
    await deps.events.append(reviews.reviewStream(row.id), [
      {
        key: `replied:${saved.id}`,
        event: { type: 'review', step: 'replied', at: reply.createdAt, reviewer: null, by: reply.by },
      },
    ]);
    return reply;
  }

  /**
   * A reviewer answers the candidate's replies to one of their own comments: only the comment's author, only
   * once the candidate has replied (a reviewer adds no comments after submitting), never once withdrawn.
   */
  async function answerReply(
    row: reviews.ReviewRequestRow,
    reviewerId: string,
    commentId: string,
    text: string,
    replyId: string = randomUUID(),
  ) {
    assertMayOpen(row, reviewerId);
    const found = findComment(await reviews.submissionsOf(db, row.id), commentId);
    if (!found || found.submission.reviewerId !== reviewerId) throw notFound(`comment ${commentId}`);
    const thread = (await reviews.repliesOf(db, row.id)).filter((r) => r.commentId === commentId);
    if (!thread.some((r) => r.authorId === row.ownerId))
      throw conflict('the candidate has not replied to this comment yet');
    return addReply(row, commentId, reviewerId, text, replyId);
  }

  async function ownerView(row: reviews.ReviewRequestRow): Promise<ReviewRequestView> {
    const [submissions, share, notes] = await Promise.all([
      reviews.submissionsOf(db, row.id),
      reviews.shareOf(db, row.id),
      notesOf(row),
    ]);
    const emails = await emailsFor(row, submissions);
    return {
      id: row.id,
      sessionId: row.sessionId,
      status: row.status,
      focus: row.focus,
      dueAt: iso(row.dueAt),
      createdAt: iso(row.createdAt),
      wanted: row.state.wanted,
      anonymous: row.anonymous,
      reviewers: row.invited.map((id) => emails.get(id) ?? id),
      share: share
        ? { expiresAt: iso(share.expiresAt), passcode: share.passcode !== null, revoked: !!share.revokedAt }
        : null,
      claims:
        row.state.status === 'open' ? row.state.claims.map((c) => ({ expiresAt: iso(c.expiresAt) })) : [],
      answers: answersOf(row),
      coach: coachOf(row),
      reviews: groupReviews(row, submissions, emails, notes).map(({ reviewerId: _id, ...r }) => r),
    };
  }

  /**
   * A reviewer may open a request while it is open, and, once it has ended, only if they submitted (to see
   * where they differ): to anyone else an ended request is gone (410). Withdrawn ones never get this far.
   */
  function assertMayOpen(row: reviews.ReviewRequestRow, reviewerId: string): void {
    if (!mayOpen(row.state, reviewerId, Date.now()))
      throw new HttpError(
        410,
        'Gone',
        `ended: this review request is ${row.status === 'open' ? 'past its due date' : row.status}`,
      );
  }

  async function reviewerView(row: reviews.ReviewRequestRow, reviewerId: string): Promise<ReviewerView> {
    assertMayOpen(row, reviewerId);
    const submissions = await reviews.submissionsOf(db, row.id);
    const emails = await emailsFor(row, submissions);
    const submitted = submissions.some((s) => s.reviewerId === reviewerId);
    const held =
      row.state.status === 'open' ? row.state.claims.find((c) => c.reviewerId === reviewerId) : undefined;
    return {
      id: row.id,
      status: row.status,
      focus: row.focus,
      dueAt: iso(row.dueAt),
      candidate: row.anonymous ? null : (emails.get(row.ownerId) ?? null),
      jobTitle: row.jobTitle,
      answers: answersOf(row),
      claim: held ? { expiresAt: iso(held.expiresAt) } : null,
      submitted,
      // Blind until they have given their own view: then they see where they differ.
      coach: submitted ? coachOf(row) : null,
      reviews: submitted
        ? groupReviews(row, submissions, emails, await notesOf(row)).map(({ reviewerId: id, ...r }) => ({
            ...r,
            ...(id === reviewerId && { mine: true }),
          }))
        : null,
    };
  }

  /**
   * Whether an account may review the request: it was named, or the request is for the pool of a cohort it
   * is a member of (the candidate never reviews their own). Nobody, once withdrawn.
   */
  async function mayReview(row: reviews.ReviewRequestRow, userId: string): Promise<boolean> {
    if (row.status === 'withdrawn' || row.ownerId === userId) return false;
    if (row.invited.includes(userId)) return true;
    return row.cohortId !== null && (await cohorts.isMember(db, row.cohortId, userId));
  }

  /** The request `reviewerId` may review as an account; 404 for anyone else, and once withdrawn. */
  async function invitedRow(reviewerId: string, id: string) {
    const row = await reviews.byId(db, id);
    if (!row || !(await mayReview(row, reviewerId))) throw notFound(`review request ${id}`);
    return row;
  }

  /** The request a share link opens, or the refusal its state comes to (core/review/share-link.ts). */
  async function sharedRow(token: string, passcode: string | undefined) {
    const link = await reviews.shareByTokenHash(db, hashShareToken(token));
    const access = await checkShareAccess(link, token, passcode, new Date());
    switch (access.kind) {
      case 'ok': {
        const row = await reviews.byId(db, access.requestId);
        if (!row || row.status === 'withdrawn') throw notFound('shared review');
        return row;
      }
      case 'not_found':
      case 'revoked':
        throw notFound('shared review');
      case 'expired':
        throw new HttpError(410, 'Gone', 'expired: this review link has expired; ask for a new one');
      case 'passcode_required':
        throw new HttpError(401, 'Unauthorized', 'passcode_required: this review link needs its passcode');
      case 'wrong_passcode':
        throw new HttpError(401, 'Unauthorized', 'wrong_passcode: the passcode is not right');
    }
  }

  function checkAnswers(row: reviews.ReviewRequestRow, submission: ReviewSubmission) {
    const known = new Set(row.snapshot.map((a) => a.answerId));
    const unknown = submission.answers.find((a) => !known.has(a.answerId));
    if (unknown) throw badRequest(`answer ${unknown.answerId} is not part of this review request`);
  }

  async function claim(row: reviews.ReviewRequestRow, reviewerId: string) {
    assertMayOpen(row, reviewerId);
    const { expiresAt } = await update(row.id, (h) =>
      h.executeUpdate(claimReview, { args: [{ reviewerId }] }),
    );
    return { expiresAt: iso(expiresAt) };
  }

  async function submit(row: reviews.ReviewRequestRow, reviewerId: string, submission: ReviewSubmission) {
    assertMayOpen(row, reviewerId);
    checkAnswers(row, submission);
    await update(row.id, (h) =>
      h.executeUpdate(submitReview, {
        args: [{ reviewerId, answers: submission.answers }],
      }),
    );
    const fresh = await reviews.byId(db, row.id);
    if (!fresh) throw notFound(`review request ${row.id}`);
    return reviewerView(fresh, reviewerId);
  }

  return {
    /** A request from the owner's session; `id` from an Idempotency-Key makes a repeat return the first. */
    async create(ownerId: string, sessionId: string, input: CreateReviewRequest, id: string = randomUUID()) {
      const session = await sessions.ofOwner(db, ownerId, sessionId);
      if (!session) throw notFound(`session ${sessionId}`);
      const earlier = await reviews.ofOwner(db, ownerId, id);
      if (earlier) {
        // A repeated create (same Idempotency-Key): the first may have died between its row and its start.
        // Only while open: a closed workflow's id may be started again, and an ended request must stay ended.
        if (earlier.status === 'open') await startWorkflow(id, earlier.state);
        return { id };
      }
      const now = Date.now();
      const dueAt = Date.parse(input.dueAt);
      if (dueAt <= now) throw badRequest('dueAt must be in the future');
      const snapshot = snapshotOf(await turns.ofSession(db, ownerId, sessionId), input.turnIds);
      if (!snapshot.ok)
        throw snapshot.reason === 'no_answers'
          ? conflict('the session has no coached answer to review yet')
          : badRequest(
              `turn ${snapshot.turnId} ${snapshot.reason === 'unknown_turn' ? 'is not in this session' : 'has no coached answer yet'}`,
            );
      const accounts = await reviews.accountsByEmail(db, input.reviewers);
      const missing = input.reviewers.find((e) => !accounts.has(e.toLowerCase()));
      if (missing) throw badRequest(`no account here has the email ${missing}`);
      const invited = [...new Set(accounts.values())];
      if (invited.includes(ownerId)) throw badRequest('you cannot review your own answers');
      if (input.cohortId && !(await cohorts.isMember(db, input.cohortId, ownerId)))
        throw notFound(`cohort ${input.cohortId}`);
      // A link or a pool: whoever reaches the request may claim it (the API decides who reaches it).
      const audience: Audience =
        input.share || input.cohortId ? { kind: 'anyone' } : { kind: 'named', reviewerIds: invited };
      const opened = openRequest({ requestId: id, dueAt, wanted: input.wanted, audience }, now);
      if (!opened.ok) throw badRequest(JSON.stringify(opened.refusal));
      const shared = input.share
        ? await createShareLink({
            requestId: id,
            expiresAt: new Date(input.share.expiresAt),
            passcode: input.share.passcode,
            now: new Date(now),
          }).catch((err: unknown) => {
            throw badRequest(err instanceof Error ? err.message : String(err));
          })
        : null;
      const { title } = await titleOf(db, session.jobId, ownerId);
      const created = await reviews.create(
        db,
        {
          id,
          ownerId,
          sessionId,
          jobTitle: title,
          focus: input.focus,
          // A link's or a pool's reviewers are strangers by default; a named coach is named.
          anonymous: input.anonymous ?? (input.share !== undefined || input.cohortId !== undefined),
          invited,
          cohortId: input.cohortId ?? null,
          snapshot: snapshot.answers,
          state: opened.state,
          status: 'open',
          dueAt: new Date(dueAt),
        },
        shared?.link ?? null,
      );
      if (!created) return { id };
      try {
        await startWorkflow(id, opened.state);
      } catch (err) {
        // Nothing may be left that no workflow moves on: the candidate asks again (503: try again).
        await reviews.remove(db, id);
        throw err;
      }
      reviewRequestsCreated.inc({
        audience: input.cohortId ? 'pool' : input.share ? (invited.length ? 'both' : 'link') : 'named',
      });
      return {
        id,
        ...(shared && { share: { token: shared.token, expiresAt: iso(shared.link.expiresAt) } }),
      };
    },

    async list(userId: string) {
      const [owned, invited, pooled] = await Promise.all([
        reviews.listOwned(db, userId),
        reviews.listInvited(db, userId),
        reviews.listPooled(db, userId),
      ]);
      const visible = invited.filter((r) => r.status !== 'withdrawn');
      // A pool request: open to claim, or one I reviewed (to see where I differ); named ones are listed once.
      const now = Date.now();
      const pool = pooled.filter((r) => !r.invited.includes(userId) && mayOpen(r.state, userId, now));
      const counts = await reviews.reviewCounts(
        db,
        [...owned, ...visible, ...pool].map((r) => r.id),
      );
      const summary = (r: reviews.ReviewRequestRow, mine: boolean) => ({
        id: r.id,
        ...(mine && { sessionId: r.sessionId }),
        status: r.status,
        focus: r.focus,
        dueAt: iso(r.dueAt),
        createdAt: iso(r.createdAt),
        reviews: counts.get(r.id) ?? 0,
        wanted: r.state.wanted,
      });
      return {
        requested: owned.map((r) => summary(r, true)),
        invited: visible.map((r) => summary(r, false)),
        pool: pool.map((r) => summary(r, false)),
      };
    },

    /** Review notices `userId` has not seen: the nav's count. */
    async notices(userId: string) {
      const { arrived, invitations } = await reviews.unreadNotices(db, userId);
      return { unread: arrived + invitations, arrived, invitations };
    },

    /** `userId` opened their reviews: every notice so far is seen. */
    noticesSeen: (userId: string) => reviews.markNoticesSeen(db, userId, new Date()),

    async get(ownerId: string, id: string) {
      const row = await reviews.ofOwner(db, ownerId, id);
      if (!row) throw notFound(`review request ${id}`);
      return ownerView(row);
    },

    async withdraw(ownerId: string, id: string) {
      const row = await reviews.ofOwner(db, ownerId, id);
      if (!row) throw notFound(`review request ${id}`);
      await update(row.id, (h) => h.executeUpdate(withdrawReview));
      const fresh = await reviews.ofOwner(db, ownerId, id);
      return ownerView(fresh ?? row);
    },

    /** The candidate marks a reviewer's comment resolved and/or helpful; answers with the comment as shown. */
    async markComment(ownerId: string, id: string, commentId: string, marks: CommentMarksInput) {
      const row = await reviews.ofOwner(db, ownerId, id);
      if (!row) throw notFound(`review request ${id}`);
      const found = findComment(await reviews.submissionsOf(db, row.id), commentId);
      if (!found) throw notFound(`comment ${commentId}`);
      await reviews.setMarks(db, row.id, commentId, marks);
      return commentView(found.comment, commentId, await notesOf(row));
    },

    /** The candidate replies to a reviewer's comment; `replyId` from an Idempotency-Key makes a repeat one reply. */
    async reply(
      ownerId: string,
      id: string,
      commentId: string,
      text: string,
      replyId: string = randomUUID(),
    ) {
      const row = await reviews.ofOwner(db, ownerId, id);
      if (!row) throw notFound(`review request ${id}`);
      if (!findComment(await reviews.submissionsOf(db, row.id), commentId))
        throw notFound(`comment ${commentId}`);
      return addReply(row, commentId, ownerId, text, replyId);
    },

    /**
     * "Practise again with this feedback": a new one-round session on the same job, in the same module, mode
     * and persona, whose question is the reviewed one. The comments are the request's: the session page shows
     * them beside the question when it is opened from the review.
     */
    async practise(ownerId: string, id: string, answerId: string, sessionId?: string) {
      const row = await reviews.ofOwner(db, ownerId, id);
      if (!row) throw notFound(`review request ${id}`);
      const answer = row.snapshot.find((a) => a.answerId === answerId);
      if (!answer) throw notFound(`answer ${answerId} of review request ${id}`);
      const session = await sessions.ofOwner(db, ownerId, row.sessionId);
      if (!session) throw notFound(`session ${row.sessionId}`);
      return sessionService.create(
        ownerId,
        {
          jobId: session.jobId,
          module: session.module,
          mode: session.mode,
          rounds: 1,
          persona: session.persona,
          ...(session.difficulty && { difficulty: session.difficulty }),
        },
        sessionId,
        { turnId: answer.answerId, question: answer.question },
      );
    },

    /** An answer's recording: for the candidate, or an account reviewer who may open the request. */
    async recording(userId: string, id: string, answerId: string) {
      const owned = await reviews.ofOwner(db, userId, id);
      if (owned) return recordingOf(owned, answerId);
      const row = await invitedRow(userId, id);
      assertMayOpen(row, userId);
      return recordingOf(row, answerId);
    },

    /** The stream of a request: its owner's, or an account's that may review it. */
    async streamOf(userId: string, id: string) {
      const row = await reviews.byId(db, id);
      if (!row || (row.ownerId !== userId && !(await mayReview(row, userId))))
        throw notFound(`review request ${id}`);
      return reviews.reviewStream(row.id);
    },

    asReviewer: {
      view: async (reviewerId: string, id: string) =>
        reviewerView(await invitedRow(reviewerId, id), reviewerId),
      claim: async (reviewerId: string, id: string) => claim(await invitedRow(reviewerId, id), reviewerId),
      submit: async (reviewerId: string, id: string, s: ReviewSubmission) =>
        submit(await invitedRow(reviewerId, id), reviewerId, s),
      answer: async (reviewerId: string, id: string, commentId: string, text: string, replyId?: string) =>
        answerReply(await invitedRow(reviewerId, id), reviewerId, commentId, text, replyId),
    },

    /**
     * Calibration over every submitted review (`scope`: one owner's requests only). An answer is a turn of one
     * request: the same turn sent for review twice is two answers, each reviewed once per reviewer.
     */
    async calibration(scope: string | undefined) {
      const rows = await reviews.submissionsWithSnapshots(db, scope);
      const submitted: SubmittedReview[] = [];
      const coach = new Map<string, Scores>();
      for (const { submission: s, snapshot } of rows) {
        const answerId = `${s.requestId}/${s.answerId}`;
        submitted.push({ reviewerId: s.reviewerId, answerId, scores: s.scores });
        const feedback = snapshot.find((a) => a.answerId === s.answerId)?.feedback;
        if (feedback) coach.set(answerId, feedback.scores);
      }
      return calibrate(submitted, coach);
    },

    /**
     * The human scores as a labelled set for the coach's eval. An answer whose job has no role family or too
     * few requirement sentences cannot be a corpus line; it is listed as skipped (`no_job_profile`).
     */
    async labelledSet(scope: string | undefined) {
      const rows = await reviews.submissionsWithSnapshots(db, scope);
      const submitted: SubmittedReview[] = [];
      const answers = new Map<string, ReviewedAnswer>();
      const unprofiled = new Set<string>();
      for (const { submission: s, snapshot, jobTitle, jobProfile, sessionId } of rows) {
        const answerId = `${s.requestId}/${s.answerId}`;
        const a = snapshot.find((x) => x.answerId === s.answerId);
        if (!a) continue;
        if (!jobProfile?.role || jobProfile.requirements.length < 3) {
          unprofiled.add(answerId);
          continue;
        }
        submitted.push({ reviewerId: s.reviewerId, answerId, scores: s.scores });
        answers.set(answerId, {
          answerId,
          family: `${sessionId}/${a.round}`,
          role: jobProfile.role,
          job: { title: jobTitle, requirements: jobProfile.requirements },
          question: a.question,
          answer: a.answer,
        });
      }
      const set = exportLabelledSet([...answers.values()], submitted);
      return {
        answers: set.answers,
        skipped: [
          ...set.skipped,
          ...[...unprofiled].map((answerId) => ({ answerId, reason: 'no_job_profile' as const })),
        ],
      };
    },

    shared: {
      /** Opens a link: the reviewer gets a key that names them on this link from now on (kept by their browser). */
      async open(token: string, passcode: string | undefined, reviewerKey: string | undefined) {
        const row = await sharedRow(token, passcode);
        const key =
          reviewerKey && REVIEWER_KEY.test(reviewerKey) ? reviewerKey : randomBytes(32).toString('base64url');
        return { reviewerKey: key, review: await reviewerView(row, guestReviewerId(key)) };
      },
      // The link is checked before the reviewer key: an unknown or withdrawn link is a 404 to anyone.
      async view(token: string, passcode: string | undefined, keyHeader: string | undefined) {
        const row = await sharedRow(token, passcode);
        return reviewerView(row, guestReviewerId(reviewerKeyOf(keyHeader)));
      },
      async claim(token: string, passcode: string | undefined, keyHeader: string | undefined) {
        const row = await sharedRow(token, passcode);
        return claim(row, guestReviewerId(reviewerKeyOf(keyHeader)));
      },
      async submit(
        token: string,
        passcode: string | undefined,
        keyHeader: string | undefined,
        s: ReviewSubmission,
      ) {
        const row = await sharedRow(token, passcode);
        return submit(row, guestReviewerId(reviewerKeyOf(keyHeader)), s);
      },
      async recording(
        token: string,
        passcode: string | undefined,
        keyHeader: string | undefined,
        answerId: string,
      ) {
        const row = await sharedRow(token, passcode);
        assertMayOpen(row, guestReviewerId(reviewerKeyOf(keyHeader)));
        return recordingOf(row, answerId);
      },
      async answer(
        token: string,
        passcode: string | undefined,
        keyHeader: string | undefined,
        commentId: string,
        text: string,
      ) {
        const row = await sharedRow(token, passcode);
        return answerReply(row, guestReviewerId(reviewerKeyOf(keyHeader)), commentId, text);
      },
      async stream(token: string, passcode: string | undefined) {
        return reviews.reviewStream((await sharedRow(token, passcode)).id);
      },
    },
  };
}

/** A link reviewer's key from its header; 401 without one (they must open the link first). */
export function reviewerKeyOf(header: string | undefined): string {
  if (!header || !REVIEWER_KEY.test(header))
    throw new HttpError(
      401,
      'Unauthorized',
      'reviewer_key_required: open the link first and send x-reviewer-key',
    );
  return header;
}
