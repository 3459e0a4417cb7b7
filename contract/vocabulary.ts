// The zod enums of the contract's word lists (./words.ts) and their types; server, web and CLI take them
// from here.
import { z } from 'zod';
import {
  MODULES,
  MODES,
  PERSONAS,
  ROLES,
  SENIORITIES,
  DOCUMENT_KINDS,
  INGESTION_STATUSES,
  INGESTION_STAGES,
  INGESTION_RUN_KINDS,
  INGESTION_RUN_STATUSES,
  SESSION_STATUSES,
  SCORE_DIMENSIONS,
  GRAPH_NODES,
  AUTH_MODES,
  PANEL_ROLES,
  DECISION_RULES,
  LEANS,
  PANEL_ROLE_NAMES,
  LEAN_NAMES,
  ROLE_FAMILIES,
  PANEL_VOICES,
} from './words.js';

export {
  MODULES,
  MODES,
  PERSONAS,
  ROLES,
  SENIORITIES,
  DOCUMENT_KINDS,
  INGESTION_STATUSES,
  INGESTION_STAGES,
  INGESTION_RUN_KINDS,
  INGESTION_RUN_STATUSES,
  SESSION_STATUSES,
  SCORE_DIMENSIONS,
  GRAPH_NODES,
  AUTH_MODES,
  PANEL_ROLES,
  DECISION_RULES,
  LEANS,
  PANEL_ROLE_NAMES,
  LEAN_NAMES,
  ROLE_FAMILIES,
  PANEL_VOICES,
};

export const moduleSchema = z.enum(MODULES);
export type Module = z.infer<typeof moduleSchema>;

export const modeSchema = z.enum(MODES);
export type Mode = z.infer<typeof modeSchema>;

export const personaSchema = z.enum(PERSONAS, { error: `persona must be one of ${PERSONAS.join(', ')}` });
export type Persona = z.infer<typeof personaSchema>;

export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const senioritySchema = z.enum(SENIORITIES);
export type Seniority = z.infer<typeof senioritySchema>;

export const documentKindSchema = z.enum(DOCUMENT_KINDS, {
  error: `kind must be one of ${DOCUMENT_KINDS.join(', ')}`,
});
export type DocumentKind = z.infer<typeof documentKindSchema>;

export const ingestionStatusSchema = z.enum(INGESTION_STATUSES);
export type IngestionStatus = z.infer<typeof ingestionStatusSchema>;

export const ingestionStageSchema = z.enum(INGESTION_STAGES);
export type IngestionStage = z.infer<typeof ingestionStageSchema>;

export const ingestionRunKindSchema = z.enum(INGESTION_RUN_KINDS);
export type IngestionRunKind = z.infer<typeof ingestionRunKindSchema>;

/** A job is `active` until its deletion starts; it is `deleting` while the delete workflow removes it. */
export const JOB_STATUSES = ['active', 'deleting'] as const;
export const jobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const ingestionRunStatusSchema = z.enum(INGESTION_RUN_STATUSES);
export type IngestionRunStatus = z.infer<typeof ingestionRunStatusSchema>;

export const sessionStatusSchema = z.enum(SESSION_STATUSES);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

export const scoreDimensionSchema = z.enum(SCORE_DIMENSIONS);
export type ScoreDimension = z.infer<typeof scoreDimensionSchema>;

export const graphNodeSchema = z.enum(GRAPH_NODES);
export type GraphNode = z.infer<typeof graphNodeSchema>;

export const authModeSchema = z.enum(AUTH_MODES);
export type AuthMode = z.infer<typeof authModeSchema>;

export const panelRoleSchema = z.enum(PANEL_ROLES);
export type PanelRole = z.infer<typeof panelRoleSchema>;

export const decisionRuleSchema = z.enum(DECISION_RULES);
export type DecisionRule = z.infer<typeof decisionRuleSchema>;

export const leanSchema = z.enum(LEANS);
export type Lean = z.infer<typeof leanSchema>;
