// Domain types shared by every room. The HTTP-facing vocabulary and shapes live in ../contract (the one
// HTTP contract, zod only); core re-exports what the domain needs, so each shape has one home.
import type { DocumentEvent, ReviewEvent, SessionEvent as SessionStreamEvent } from '../contract/index.js';
import type { Score } from '../contract/index.js';

export {
  DOCUMENT_KINDS,
  GRAPH_NODES,
  INGESTION_STAGES,
  INGESTION_STATUSES,
  MODES,
  MODULES,
  PERSONAS,
  ROLES,
  SCORE_DIMENSIONS,
  SENIORITIES,
  SESSION_STATUSES,
  PANEL_ROLES,
  DECISION_RULES,
  LEANS,
  LEAN_NAMES,
  PANEL_ROLE_NAMES,
  ROLE_FAMILIES,
  answerTextSchema,
} from '../contract/index.js';
export type {
  Citation,
  Debrief,
  DocumentKind,
  Feedback,
  GraphNode,
  IngestionRunKind,
  IngestionRunStatus,
  IngestionStage,
  IngestionStatus,
  JobStatus,
  Mode,
  Module,
  Persona,
  Role,
  Score,
  Scores,
  ScoreDimension,
  Seniority,
  SessionStatus,
  SpeechMetrics,
  StarPart,
  Turn,
} from '../contract/index.js';

export const clampScore = (n: number): Score => Math.min(5, Math.max(1, Math.round(n))) as Score;

/**
 * What an event-log stream carries: a session's events, (on `jobStream`) a job's document events, or (on
 * core/stores/reviews.ts `reviewStream`) a review request's steps.
 */
export type SessionEvent = SessionStreamEvent | DocumentEvent | ReviewEvent;

/** The event-log stream of a job's ingestion progress, beside the per-session streams. */
export const jobStream = (jobId: string) => `job:${jobId}`;

export interface StoredEvent {
  id: number;
  event: SessionEvent;
}

export const LOCAL_USER_ID = 'local';
