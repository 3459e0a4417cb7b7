// The closed word lists of the HTTP contract as plain const tuples, without zod: the web bundle imports
// these (and ./limits.ts) at run time and stays free of the schemas; ./vocabulary.ts builds the zod enums.

export const MODULES = ['behavioral', 'technical', 'culture', 'mixed'] as const;

export const MODES = ['text', 'voice'] as const;

/** How the interviewer comes across: the wording of questions and probes, and how readily it probes. */
export const PERSONAS = ['friendly', 'neutral', 'tough'] as const;

export const ROLES = ['candidate', 'reviewer', 'admin'] as const;

/** A job's level, and how hard a session's questions are. */
export const SENIORITIES = ['entry', 'mid', 'senior', 'staff'] as const;

export const DOCUMENT_KINDS = ['jd', 'resume', 'company', 'notes'] as const;

export const INGESTION_STATUSES = ['pending', 'running', 'ready', 'failed'] as const;

/** Where one document is in its ingestion; shown live per file. */
export const INGESTION_STAGES = ['queued', 'parsing', 'chunking', 'embedding', 'indexed', 'failed'] as const;

/**
 * initial: a new job's pasted documents; upload: one added file; edit: pasted text changed by PATCH /api/jobs/:id;
 * reindex: every document into a new index.
 */
export const INGESTION_RUN_KINDS = ['initial', 'upload', 'edit', 'reindex'] as const;

export const INGESTION_RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;

export const SESSION_STATUSES = ['active', 'awaiting_answer', 'coaching', 'reviewing', 'completed'] as const;

export const SCORE_DIMENSIONS = ['star', 'clarity', 'impact', 'conciseness', 'relevance'] as const;

/** The graph nodes whose progress streams to the client. */
export const GRAPH_NODES = [
  'retrieve',
  'select_question',
  'assess',
  'critique',
  'rewrite',
  'drill',
  'score',
] as const;

export const AUTH_MODES = ['local', 'accounts'] as const;

/** Who sits on a mock panel (agents/panel/template.ts). */
export const PANEL_ROLES = [
  'hiring_manager',
  'peer',
  'cross_functional',
  'bar_raiser',
  'hr_partner',
] as const;

/** How a panel role is said out loud and in the debrief. */
export const PANEL_ROLE_NAMES: Record<(typeof PANEL_ROLES)[number], string> = {
  hiring_manager: 'hiring manager',
  peer: 'peer',
  cross_functional: 'cross-functional partner',
  bar_raiser: 'bar raiser',
  hr_partner: 'HR partner',
};

/** The role families a job belongs to (agents/coach-text/role-family.ts); a panel template names one. */
export const ROLE_FAMILIES = [
  'engineering',
  'sre',
  'data',
  'product',
  'design',
  'nursing',
  'sales',
  'support',
  'teaching',
  'finance',
  'operations',
  'hr',
  'retail',
  'marketing',
] as const;

/**
 * The voices a panel template form offers, "<engine>:<voice>" (voice/tts/voices.ts): the one Piper voice that
 * ships, as it is and at three other pitches (every machine speaks these), then Debian espeak-ng variants,
 * each a different pitch, accent and timbre (spoken by espeak-ng where it is installed, else by a Piper
 * variant no other panelist has). The API takes any voice of that shape; these are the ones known to sound
 * apart.
 */
export const PANEL_VOICES = [
  'piper:joe',
  'piper:joe+low',
  'piper:joe+high',
  'piper:joe+higher',
  'espeak:en-us+f3',
  'espeak:en-gb+m3',
  'espeak:en-gb+f2',
  'espeak:en-us+m2',
  'espeak:en-us+m7',
  'espeak:en-gb+f4',
] as const;

/** How a mock panel decides: the majority of leans, or the same with the bar raiser's veto. */
export const DECISION_RULES = ['consensus', 'bar_raiser_veto'] as const;

/** A panelist's lean on their scorecard. */
export const LEANS = ['strong_hire', 'hire', 'no_hire', 'strong_no_hire'] as const;

export const LEAN_NAMES: Record<(typeof LEANS)[number], string> = {
  strong_hire: 'strong hire',
  hire: 'hire',
  no_hire: 'no hire',
  strong_no_hire: 'strong no hire',
};
