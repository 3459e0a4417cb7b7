// Workflow names, inputs and messages, declared once. The API imports this file (types and names only).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Citation, Module, Seniority, SessionStatus } from '../core/types.js';

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
  /** Whether the answer was already checked for a follow-up probe (at most one per question). */
  probed?: boolean;
}

/** Where the session's loop is; the public status derives from it. */
export type SessionPhase = 'ask' | 'await' | 'coach' | 'review' | 'repeat' | 'done';

export const STATUS_OF_PHASE: Record<SessionPhase, SessionStatus> = {
  ask: 'active',
  await: 'awaiting_answer',
  coach: 'coaching',
  review: 'reviewing',
  repeat: 'active',
  done: 'completed',
};

export interface SessionSnapshot {
  phase: SessionPhase;
  round: number;
  turns: TurnState[];
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
  /** Ask again questions the candidate saw in their last sessions (by default they are avoided). */
  allowRepeats?: boolean;
  /** Continue-as-new after this many history events (tests lower it). */
  historyLimit?: number;
  /** Present when the workflow continued as new. */
  resume?: SessionSnapshot;
}

export interface AnswerInput {
  text: string;
  turnId?: string;
}

export const submitAnswer = defineUpdate<{ turnId: string }, [AnswerInput]>('submitAnswer');
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
