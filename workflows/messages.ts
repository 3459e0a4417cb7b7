// Workflow names, inputs and messages, declared once. The API imports this file (types and names only).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Audience, Refusal, ReviewRequest } from '../core/review/claims.js';
import type { PreparedRun } from '../core/stores/runs.js';
import type { AnswerReviewInput } from '../core/stores/reviews.js';
import type { PanelTemplate } from '../agents/panel/template.js';
import type { Scores } from '../core/types.js';
import type {
  Citation,
  DocumentKind,
  Mode,
  Module,
  Persona,
  Seniority,
  SessionStatus,
  SpeechMetrics,
} from '../core/types.js';

export const TASK_QUEUE_DEFAULT = 'interview-helper';

export interface TurnState {
  id: string;
  round: number;
  question: string;
  citations: Citation[];
  retryOf?: string;
  /** A follow-up probe asked about this earlier turn's answer; the two answers are coached together. */
  probeOf?: string;
  answer?: string;
  coached: boolean;
  /**
   * Whether the answer was already checked for a follow-up probe (at most one per question); in a panel,
   * whether its panelist already considered cutting in (at most once per question).
   */
  probed?: boolean;
  /** A spoken answer's recording, while it is being transcribed (the blob key, never the bytes). */
  audio?: AudioRef;
  /** The streamed answer's segments, in order, while it is being transcribed (see audioSegment). */
  segments?: AudioRef[];
  /** How the spoken answer sounded; coached into the feedback's `speech`. */
  speech?: SpeechMetrics;
  /**
   * In a mock panel: who asked, about what, whether they may cut into the answer (agents/panel/interrupt.ts),
   * and once judged, the answer's scores (what the director reads).
   */
  panel?: {
    panelistId: string;
    competency: string;
    followUp: boolean;
    mayInterrupt?: boolean;
    scores?: Scores;
  };
  /** How many times coaching this answer gave up (every attempt failed) and the answer was asked for again. */
  coachFailures?: number;
}

/** Attempts to coach one answer before the candidate is told the coach did not answer. */
export const COACH_ATTEMPTS = 3;

/** Where the session's loop is; the public status derives from it. */
export type SessionPhase = 'ask' | 'await' | 'transcribe' | 'coach' | 'review' | 'repeat' | 'done';

export const STATUS_OF_PHASE: Record<SessionPhase, SessionStatus> = {
  ask: 'active',
  await: 'awaiting_answer',
  // The answer is in; to the candidate, turning speech into text is part of the coach's work.
  transcribe: 'coaching',
  coach: 'coaching',
  review: 'reviewing',
  repeat: 'active',
  done: 'completed',
};

export interface SessionSnapshot {
  phase: SessionPhase;
  round: number;
  turns: TurnState[];
  /** A panel interview the director ended, and why. */
  panelEnd?: 'covered' | 'time_up' | 'budgets_spent';
}

export interface SessionInput {
  sessionId: string;
  ownerId: string;
  jobId: string;
  module: Module;
  rounds: number;
  autoAdvance: boolean;
  /** The level questions are pitched at; unset: any. */
  difficulty?: Seniority;
  /** Who interviews: question wording and how readily a vague answer is probed; unset (older sessions): neutral. */
  persona?: Persona;
  /**
   * Text or voice. Present when the API started the workflow before writing the session's row: the
   * workflow's first activity writes it then (absent in sessions started before that, whose row existed).
   */
  mode?: Mode;
  /** Ask again questions the candidate saw in their last sessions (by default they are avoided). */
  allowRepeats?: boolean;
  /**
   * "Practise again with this feedback" (peer review): the first round asks this question, the one of an
   * earlier session's turn, instead of choosing one.
   */
  practise?: PractiseQuestion;
  /**
   * A mock panel: the template as it was when the session started (a user's template may change later). Its
   * director picks each question; the session moves on by itself and ends when the director says so.
   */
  panel?: PanelTemplate;
  /** Continue-as-new after this many history events (tests lower it). */
  historyLimit?: number;
  /** Present when the workflow continued as new. */
  resume?: SessionSnapshot;
}

/** A question asked again in a new session: its text as the reviewers saw it, and the turn it came from. */
export interface PractiseQuestion {
  turnId: string;
  question: string;
}

/** A recording in the blob store: what a workflow carries of a spoken answer. */
export interface AudioRef {
  key: string;
  bytes: number;
  /** A streamed segment's length, and how much of it is sound: short ones are heard with the next (voice/pieces.ts). */
  seconds?: number;
  voicedSec?: number;
}

/**
 * A typed answer, or a spoken one by reference (audio bytes never travel in Temporal payloads). A streamed
 * answer also names its segments, whose transcripts (made while the candidate spoke) make up the final one.
 */
export type AnswerInput =
  | { text: string; audio?: never; segments?: never; turnId?: string }
  | { audio: AudioRef; segments?: AudioRef[]; text?: never; turnId?: string };

/**
 * One piece of an answer still being spoken, cut at a pause and already in the blob store. A signal, not an
 * update: the server records it even while no worker runs, so a segment acknowledged is never lost.
 */
export interface AudioSegment {
  turnId: string;
  index: number;
  audio: AudioRef;
  /** The segment's content hash: the same index with other audio means the answer was started over. */
  digest?: string;
}

/** Why the session refused an update: the `type` of the ApplicationFailure that rejects it. */
export const UPDATE_REJECTIONS = [
  'SessionEnded',
  'QuestionChanged',
  'NotAwaitingAnswer',
  'InvalidAnswer',
  'NotReviewing',
] as const;
export type UpdateRejection = (typeof UPDATE_REJECTIONS)[number];

export const submitAnswer = defineUpdate<{ turnId: string }, [AnswerInput]>('submitAnswer');
export const audioSegment = defineSignal<[AudioSegment]>('audioSegment');
export const retryQuestion = defineUpdate<{ turnId: string }, []>('retry');
export const nextRound = defineUpdate<{ round: number }, []>('next');
export const endSession = defineUpdate<{ round: number }, []>('end');
export const sessionState = defineQuery<SessionSnapshot & { status: SessionStatus }>('state');

export interface IngestInput {
  jobId: string;
  runId: string;
  documentIds: string[];
  /** incremental: into the job's current index; reindex: into `indexVersion`, swapped in on success. */
  mode: 'incremental' | 'reindex';
  indexVersion: number;
  /**
   * The rows the run writes first (its first activity): the run, and the job and documents it indexes.
   * Absent in runs started before the API started workflows first (those had their rows written for them).
   */
  prepare?: Omit<PreparedRun, 'runId' | 'jobId' | 'indexVersion' | 'documentIds'>;
}

export interface IngestProgress {
  total: number;
  done: number;
  failed: number;
  chunks: number;
}

export const ingestProgress = defineQuery<IngestProgress>('progress');

export const sessionWorkflowId = (sessionId: string) => sessionId;
export const ingestWorkflowId = (runId: string) => `ingest-${runId}`;

/** Deletes a job with everything made from it (workflows/delete.workflow.ts). */
export interface DeleteJobInput {
  jobId: string;
  ownerId: string;
}

/** Deletes one document: its passages leave the index, then its row goes. */
export interface DeleteDocumentInput {
  jobId: string;
  documentId: string;
  kind: DocumentKind;
  indexVersion: number;
}

export const deleteJobWorkflowId = (jobId: string) => `delete-job-${jobId}`;
export const deleteDocumentWorkflowId = (documentId: string) => `delete-document-${documentId}`;

/** A review request's workflow (workflows/review.workflow.ts): holds its claims until it ends. */
export interface ReviewWorkflowInput {
  requestId: string;
  /** Epoch milliseconds (times travel as numbers: a Date would come back from JSON as a string). */
  dueAt: number;
  wanted: number;
  audience: Audience;
  /** How long a claim holds a seat; unset: 24 h (REVIEW_CLAIM_HOLD_MS). */
  claimHoldMs?: number;
}

/** A review's content, as the workflow hands it to the activity that stores it with the submission. */
export interface ReviewSubmissionInput {
  reviewerId: string;
  answers: AnswerReviewInput[];
}

/** Why the review workflow refused an update: the `type` of its ApplicationFailure (core/review/claims.ts). */
export type ReviewRefusal = Refusal['reason'];

export const claimReview = defineUpdate<{ expiresAt: number }, [{ reviewerId: string }]>('claimReview');
export const submitReview = defineUpdate<{ submittedAt: number }, [ReviewSubmissionInput]>('submitReview');
export const withdrawReview = defineUpdate<{ endedAt: number }, []>('withdrawReview');
export const reviewState = defineQuery<ReviewRequest>('reviewState');

export const reviewWorkflowId = (requestId: string) => `review-${requestId}`;
