// The database schema. Every row that belongs to someone carries owner_id, and every query filters by it.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type {
  Citation,
  DocumentKind,
  Debrief,
  Feedback,
  IngestionRunKind,
  IngestionRunStatus,
  IngestionStage,
  IngestionStatus,
  JobStatus,
  Module,
  Mode,
  Persona,
  Role,
  Seniority,
  SessionEvent,
  SessionStatus,
} from '../types.js';
import type { ReviewComment, ReviewScores } from '../../contract/reviews.js';
import type { PanelTemplateBody, PanelistRef, SessionPanel } from '../../contract/index.js';
import type { ReviewRequest as ClaimsState } from '../review/claims.js';
import type { PasscodeHash } from '../review/share-link.js';
import type { JobProfile, ReviewSnapshotAnswer } from '../review/snapshot.js';

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  role: text('role').$type<Role>().notNull().default('candidate'),
  passwordHash: text('password_hash'),
  /** The OIDC issuer's subject, for users who sign in through a company identity provider. */
  oidcSubject: text('oidc_subject').unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A signed-in browser or client. The cookie holds a random token; only its sha256 is stored here. */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    userAgent: text('user_agent'),
  },
  (t) => [index('auth_sessions_user_idx').on(t.userId)],
);

/** Model tokens spent per user per UTC day, for the daily quota. */
export const tokenUsage = pgTable(
  'token_usage',
  {
    userId: text('user_id').notNull(),
    day: text('day').notNull(),
    tokens: integer('tokens').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] })],
);

export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id),
    title: text('title').notNull(),
    company: text('company').notNull(),
    seniority: text('seniority'),
    /** The Chroma collection version sessions retrieve from; a re-ingestion builds the next one, then swaps. */
    indexVersion: integer('index_version').notNull().default(1),
    /** `deleting` from the moment a delete is accepted until its workflow has removed the row. */
    status: text('status').$type<JobStatus>().notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('jobs_owner_idx').on(t.ownerId, t.createdAt)],
);

export const documents = pgTable(
  'documents',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    ownerId: text('owner_id').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<DocumentKind>().notNull(),
    /** Pasted text at once; an upload's extracted text once parsed (what citations open). */
    text: text('text').notNull().default(''),
    /** Where an upload's bytes live in the blob store; null for pasted text. */
    blobKey: text('blob_key'),
    format: text('format'),
    sizeBytes: integer('size_bytes').notNull().default(0),
    status: text('status').$type<IngestionStatus>().notNull().default('pending'),
    stage: text('stage').$type<IngestionStage>().notNull().default('queued'),
    chunks: integer('chunks').notNull().default(0),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('documents_job_idx').on(t.jobId)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id),
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    module: text('module').$type<Module>().notNull(),
    mode: text('mode').$type<Mode>().notNull(),
    rounds: integer('rounds').notNull(),
    autoAdvance: boolean('auto_advance').notNull().default(false),
    difficulty: text('difficulty').$type<Seniority>(),
    persona: text('persona').$type<Persona>().notNull().default('neutral'),
    debrief: jsonb('debrief').$type<Debrief>(),
    /** A mock panel session: its template (as it was when the session started), then scorecards and debrief. */
    panel: jsonb('panel').$type<SessionPanel>(),
    status: text('status').$type<SessionStatus>().notNull().default('active'),
    round: integer('round').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sessions_owner_idx').on(t.ownerId, t.createdAt)],
);

export const turns = pgTable(
  'turns',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    ownerId: text('owner_id').notNull(),
    round: integer('round').notNull(),
    question: text('question').notNull(),
    questionCitations: jsonb('question_citations')
      .$type<Citation[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    retryOf: text('retry_of'),
    probeOf: text('probe_of'),
    /** What the question trains, from the bank (analytics group by it). */
    competency: text('competency'),
    /**
     * In a panel session: who asked, whether it followed up their own question (`cutIn`: by cutting into
     * the answer), and the hand-over said first.
     */
    panel: jsonb('panel').$type<{
      panelist: PanelistRef;
      followUp: boolean;
      handOver?: string;
      cutIn?: boolean;
    }>(),
    answer: text('answer'),
    feedback: jsonb('feedback').$type<Feedback>(),
    /** A voice answer's recording in the blob store; null for text answers and once deleted or expired. */
    audioKey: text('audio_key'),
    audioBytes: integer('audio_bytes'),
    audioRecordedAt: timestamp('audio_recorded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('turns_session_idx').on(t.sessionId, t.createdAt)],
);

export const ingestionRuns = pgTable(
  'ingestion_runs',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    ownerId: text('owner_id').notNull(),
    requestedBy: text('requested_by').notNull(),
    kind: text('kind').$type<IngestionRunKind>().notNull(),
    status: text('status').$type<IngestionRunStatus>().notNull().default('running'),
    documents: integer('documents').notNull().default(0),
    documentsDone: integer('documents_done').notNull().default(0),
    documentsFailed: integer('documents_failed').notNull().default(0),
    chunks: integer('chunks').notNull().default(0),
    embedder: text('embedder').notNull(),
    chunkSize: integer('chunk_size').notNull(),
    chunkOverlap: integer('chunk_overlap').notNull(),
    indexVersion: integer('index_version').notNull(),
    errors: jsonb('errors')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('ingestion_runs_job_idx').on(t.jobId, t.startedAt),
    index('ingestion_runs_started_idx').on(t.startedAt),
  ],
);

/** Append-only. seq increases per session; key makes a retried append a no-op. */
export const sessionEvents = pgTable(
  'session_events',
  {
    sessionId: text('session_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    key: text('key').notNull(),
    data: jsonb('data').$type<SessionEvent>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.seq] }),
    uniqueIndex('session_events_key_idx').on(t.sessionId, t.key),
  ],
);

/**
 * A named group of this instance's accounts that review each other's answers: a request for the cohort's
 * pool is open to every member but its candidate. Whoever creates a cohort is its first member; others join
 * with its invite code, which any member can see and pass on.
 */
export const cohorts = pgTable('cohorts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  inviteCode: text('invite_code').notNull().unique(),
  createdBy: text('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const cohortMembers = pgTable(
  'cohort_members',
  {
    cohortId: text('cohort_id')
      .notNull()
      .references(() => cohorts.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.userId] }), index('cohort_members_user_idx').on(t.userId)],
);

/**
 * A review request (issue 13): a frozen snapshot of answers of a finished session, who may review it, and its
 * claims state (core/review/claims.ts), which the request's workflow alone writes. Goes with its session.
 */
export const reviewRequests = pgTable(
  'review_requests',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    jobTitle: text('job_title').notNull(),
    focus: text('focus').notNull().default(''),
    anonymous: boolean('anonymous').notNull(),
    /** Account ids of the named reviewers (whoever else may claim comes by the share link). */
    invited: jsonb('invited').$type<string[]>().notNull(),
    /** Set: the request is open to this cohort's pool (its members but the candidate). */
    cohortId: text('cohort_id').references(() => cohorts.id, { onDelete: 'set null' }),
    snapshot: jsonb('snapshot').$type<ReviewSnapshotAnswer[]>().notNull(),
    /** The job as the coach's eval describes one, for the labelled-set export; set by the workflow's first step. */
    jobProfile: jsonb('job_profile').$type<JobProfile>(),
    state: jsonb('state').$type<ClaimsState>().notNull(),
    status: text('status').$type<ClaimsState['status']>().notNull().default('open'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('review_requests_owner_idx').on(t.ownerId, t.createdAt),
    index('review_requests_session_idx').on(t.sessionId),
    index('review_requests_cohort_idx').on(t.cohortId, t.createdAt),
  ],
);

/** Anyone-with-the-link shares: only the token's sha256 is kept (core/review/share-link.ts). */
export const reviewShares = pgTable('review_shares', {
  id: text('id').primaryKey(),
  requestId: text('request_id')
    .notNull()
    .references(() => reviewRequests.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull().unique(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  passcode: jsonb('passcode').$type<PasscodeHash>(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/** One reviewer's submitted review of one answer of a request. */
export const reviewSubmissions = pgTable(
  'review_submissions',
  {
    requestId: text('request_id')
      .notNull()
      .references(() => reviewRequests.id, { onDelete: 'cascade' }),
    /** An account id, or `guest:` and the hash of a link reviewer's key. */
    reviewerId: text('reviewer_id').notNull(),
    answerId: text('answer_id').notNull(),
    scores: jsonb('scores').$type<ReviewScores>().notNull(),
    comments: jsonb('comments').$type<ReviewComment[]>().notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.reviewerId, t.answerId] })],
);

/** The candidate's marks on a reviewer's comment (core/review/comments.ts names the comment). */
export const reviewCommentMarks = pgTable(
  'review_comment_marks',
  {
    requestId: text('request_id')
      .notNull()
      .references(() => reviewRequests.id, { onDelete: 'cascade' }),
    commentId: text('comment_id').notNull(),
    resolved: boolean('resolved').notNull().default(false),
    helpful: boolean('helpful').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.commentId] })],
);

/**
 * When an account last looked at its reviews: review notices (a review arrived, an invitation, a pool
 * request) after this moment are unread, the count on the nav's Reviews link.
 */
export const reviewNoticesSeen = pgTable('review_notices_seen', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
});

/** The candidate's replies to reviewers' comments. */
export const reviewReplies = pgTable(
  'review_replies',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => reviewRequests.id, { onDelete: 'cascade' }),
    commentId: text('comment_id').notNull(),
    authorId: text('author_id').notNull(),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('review_replies_request_idx').on(t.requestId, t.createdAt)],
);

/** Mock panel templates a user made (the built-in ones live in agents/panel/templates.ts). */
export const panelTemplates = pgTable(
  'panel_templates',
  {
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    template: jsonb('template').$type<PanelTemplateBody>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.id] })],
);
