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
  Feedback,
  IngestionStatus,
  Module,
  Mode,
  SessionEvent,
  SessionStatus,
} from '../types.js';

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  role: text('role').$type<'candidate' | 'reviewer' | 'admin'>().notNull().default('candidate'),
  passwordHash: text('password_hash'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

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
    ingestionStatus: text('ingestion_status').$type<IngestionStatus>().notNull().default('pending'),
    ingestionChunks: integer('ingestion_chunks').notNull().default(0),
    ingestionError: text('ingestion_error'),
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
    text: text('text').notNull(),
    status: text('status').$type<IngestionStatus>().notNull().default('pending'),
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
    answer: text('answer'),
    feedback: jsonb('feedback').$type<Feedback>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('turns_session_idx').on(t.sessionId, t.createdAt)],
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
