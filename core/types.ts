// Domain types shared by every room. The public shapes mirror ../shared/API.md exactly.
import { z } from 'zod';

export const MODULES = ['behavioral', 'technical', 'culture', 'mixed'] as const;
export type Module = (typeof MODULES)[number];

export const MODES = ['text', 'voice'] as const;
export type Mode = (typeof MODES)[number];

/** How the interviewer comes across: the wording of questions and probes, and how readily it probes. */
export const PERSONAS = ['friendly', 'neutral', 'tough'] as const;
export type Persona = (typeof PERSONAS)[number];

export const ROLES = ['candidate', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const SENIORITIES = ['entry', 'mid', 'senior', 'staff'] as const;
export type Seniority = (typeof SENIORITIES)[number];

export const DOCUMENT_KINDS = ['jd', 'resume', 'company', 'notes'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const INGESTION_STATUSES = ['pending', 'running', 'ready', 'failed'] as const;
export type IngestionStatus = (typeof INGESTION_STATUSES)[number];

/** Where one document is in its ingestion; shown live per file. */
export const INGESTION_STAGES = ['queued', 'parsing', 'chunking', 'embedding', 'indexed', 'failed'] as const;
export type IngestionStage = (typeof INGESTION_STAGES)[number];

/**
 * initial: a new job's pasted documents; upload: one added file; edit: pasted text changed by PATCH /api/jobs/:id;
 * reindex: every document into a new index.
 */
export type IngestionRunKind = 'initial' | 'upload' | 'edit' | 'reindex';
export type IngestionRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export const SESSION_STATUSES = ['active', 'awaiting_answer', 'coaching', 'reviewing', 'completed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const SCORE_DIMENSIONS = ['star', 'clarity', 'impact', 'conciseness', 'relevance'] as const;
export type ScoreDimension = (typeof SCORE_DIMENSIONS)[number];

/** Integer 1..5. */
export type Score = 1 | 2 | 3 | 4 | 5;
export type Scores = Record<ScoreDimension, Score>;

export const clampScore = (n: number): Score => Math.min(5, Math.max(1, Math.round(n))) as Score;

export interface Citation {
  documentId: string;
  chunkId: string;
  kind: DocumentKind;
  text: string;
}

/** How a spoken answer sounded, from the transcript's word timings (voice answers only). */
export interface SpeechMetrics {
  durationSec: number;
  words: number;
  /** Words per minute over the speaking time; the target band is 130-160. */
  wpm: number;
  fillerCount: number;
  fillersPerMin: number;
  /** Which fillers, most frequent first. */
  fillers: { word: string; count: number }[];
  /** Indexes into the transcript split on whitespace, so the UI can highlight each filler. */
  fillerWordIndexes: number[];
  /** Silences of 2 s or more inside the answer: after which word (index) and how long. */
  longPauses: { afterWord: number; seconds: number }[];
}

export type StarPart = 'situation' | 'task' | 'action' | 'result';

export interface Feedback {
  turnId: string;
  scores: Scores;
  reasons: Record<ScoreDimension, string>;
  /** Each STAR part as the candidate said it (quoted from the answer), or null where it is missing. */
  starParts?: Record<StarPart, string | null>;
  strengths: string[];
  gaps: string[];
  critique: string;
  rewrite: string;
  drill: string;
  citations: Citation[];
  /** How the answer sounded, for a voice answer (an extension of the contract's event). */
  speech?: SpeechMetrics;
}

/** A session's summary once it ends: averages of the final attempts, what to keep and what to drill next. */
export interface Debrief {
  scores: Record<ScoreDimension, number>;
  strengths: string[];
  gaps: string[];
  drills: string[];
  answered: number;
}

export interface Turn {
  id: string;
  round: number;
  question: string;
  retryOf?: string;
  probeOf?: string;
  answer?: string;
  feedback?: Feedback;
}

/** The graph nodes whose progress streams to the client. */
export const GRAPH_NODES = ['retrieve', 'select_question', 'assess', 'critique', 'rewrite', 'drill'] as const;
export type GraphNode = (typeof GRAPH_NODES)[number];

/** What a session event carries; the event log adds the per-session increasing id. */
export type SessionEvent =
  | { type: 'node'; node: GraphNode; status: 'start' | 'end' }
  | { type: 'token'; node: GraphNode; text: string }
  | {
      type: 'question';
      turnId: string;
      text: string;
      citations: Citation[];
      /** A follow-up probe of this earlier turn's answer (an extension of the contract's event). */
      probeOf?: string;
      /** The same question asked again after this turn's feedback (an extension of the contract's event). */
      retryOf?: string;
      round?: number;
    }
  | { type: 'transcript'; turnId: string; text: string }
  | ({ type: 'feedback' } & Feedback)
  | { type: 'state'; status: SessionStatus; round: number }
  | { type: 'error'; message: string; retryable: boolean }
  /** On a job's stream (`jobStream`): one document's ingestion moved on. */
  | {
      type: 'document';
      documentId: string;
      name: string;
      stage: IngestionStage;
      status: IngestionStatus;
      chunks: number;
      error?: string;
    };

/** The event-log stream of a job's ingestion progress, beside the per-session streams. */
export const jobStream = (jobId: string) => `job:${jobId}`;

export interface StoredEvent {
  id: number;
  event: SessionEvent;
}

export const LOCAL_USER_ID = 'local';

export const answerTextSchema = z
  .string()
  .trim()
  .min(1, 'the answer is empty')
  .max(20_000, 'the answer is longer than 20000 characters');
