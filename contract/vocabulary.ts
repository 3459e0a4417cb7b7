// The closed word lists of the HTTP contract. Each is a const tuple (for code that loops over it) and a zod
// enum (for schemas); server, web and CLI all take them from here.
import { z } from 'zod';

export const MODULES = ['behavioral', 'technical', 'culture', 'mixed'] as const;
export const moduleSchema = z.enum(MODULES);
export type Module = z.infer<typeof moduleSchema>;

export const MODES = ['text', 'voice'] as const;
export const modeSchema = z.enum(MODES);
export type Mode = z.infer<typeof modeSchema>;

/** How the interviewer comes across: the wording of questions and probes, and how readily it probes. */
export const PERSONAS = ['friendly', 'neutral', 'tough'] as const;
export const personaSchema = z.enum(PERSONAS, { error: `persona must be one of ${PERSONAS.join(', ')}` });
export type Persona = z.infer<typeof personaSchema>;

export const ROLES = ['candidate', 'reviewer', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** A job's level, and how hard a session's questions are. */
export const SENIORITIES = ['entry', 'mid', 'senior', 'staff'] as const;
export const senioritySchema = z.enum(SENIORITIES);
export type Seniority = z.infer<typeof senioritySchema>;

export const DOCUMENT_KINDS = ['jd', 'resume', 'company', 'notes'] as const;
export const documentKindSchema = z.enum(DOCUMENT_KINDS, {
  error: `kind must be one of ${DOCUMENT_KINDS.join(', ')}`,
});
export type DocumentKind = z.infer<typeof documentKindSchema>;

export const INGESTION_STATUSES = ['pending', 'running', 'ready', 'failed'] as const;
export const ingestionStatusSchema = z.enum(INGESTION_STATUSES);
export type IngestionStatus = z.infer<typeof ingestionStatusSchema>;

/** Where one document is in its ingestion; shown live per file. */
export const INGESTION_STAGES = ['queued', 'parsing', 'chunking', 'embedding', 'indexed', 'failed'] as const;
export const ingestionStageSchema = z.enum(INGESTION_STAGES);
export type IngestionStage = z.infer<typeof ingestionStageSchema>;

/**
 * initial: a new job's pasted documents; upload: one added file; edit: pasted text changed by PATCH /api/jobs/:id;
 * reindex: every document into a new index.
 */
export const INGESTION_RUN_KINDS = ['initial', 'upload', 'edit', 'reindex'] as const;
export const ingestionRunKindSchema = z.enum(INGESTION_RUN_KINDS);
export type IngestionRunKind = z.infer<typeof ingestionRunKindSchema>;

export const INGESTION_RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export const ingestionRunStatusSchema = z.enum(INGESTION_RUN_STATUSES);
export type IngestionRunStatus = z.infer<typeof ingestionRunStatusSchema>;

export const SESSION_STATUSES = ['active', 'awaiting_answer', 'coaching', 'reviewing', 'completed'] as const;
export const sessionStatusSchema = z.enum(SESSION_STATUSES);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

export const SCORE_DIMENSIONS = ['star', 'clarity', 'impact', 'conciseness', 'relevance'] as const;
export const scoreDimensionSchema = z.enum(SCORE_DIMENSIONS);
export type ScoreDimension = z.infer<typeof scoreDimensionSchema>;

/** The graph nodes whose progress streams to the client. */
export const GRAPH_NODES = ['retrieve', 'select_question', 'assess', 'critique', 'rewrite', 'drill'] as const;
export const graphNodeSchema = z.enum(GRAPH_NODES);
export type GraphNode = z.infer<typeof graphNodeSchema>;

export const AUTH_MODES = ['local', 'accounts'] as const;
export const authModeSchema = z.enum(AUTH_MODES);
export type AuthMode = z.infer<typeof authModeSchema>;
