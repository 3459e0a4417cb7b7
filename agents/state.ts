import { Annotation } from '@langchain/langgraph';
import type { Citation, GraphNode, Module, Persona, Seniority } from '../core/types.js';
import type { ScoredChunk } from '../ingestion/store.js';
import type { Assessment } from './rubric.js';
import type { Direction, DirectorState } from './panel/director.js';

/** 'ask' selects the next question; 'coach' critiques an answer. One graph serves both. */
export type Phase = 'ask' | 'coach';

const value = <T>(initial: T) => Annotation<T>({ reducer: (_old, next) => next, default: () => initial });

export const CoachState = Annotation.Root({
  phase: Annotation<Phase>,
  jobId: Annotation<string>,
  role: Annotation<string>,
  company: Annotation<string>,
  module: Annotation<Module>,
  round: Annotation<number>,
  /** The level the candidate is interviewing for; undefined until sessions carry it (any level fits). */
  seniority: value<Seniority | undefined>(undefined),
  /** Who asks: how questions are worded (agents/persona.ts). */
  persona: value<Persona>('neutral'),
  asked: value<string[]>([]),
  /** Competencies the candidate is weakest in, from earlier sessions: questions on them come first. */
  focus: value<string[]>([]),
  /** The competency the chosen question trains (from the question bank). */
  competency: value<string>(''),
  question: value<string>(''),
  answer: value<string>(''),
  passages: value<ScoredChunk[]>([]),
  questionCitations: value<Citation[]>([]),
  assessment: value<Assessment | null>(null),
  critiqueText: value<string>(''),
  rewriteText: value<string>(''),
  drillText: value<string>(''),
  /** A mock panel's interview so far: the director (nodes/direct.ts) picks who asks next from it. */
  panel: value<DirectorState | null>(null),
  /** The director's choice for this question: who asks about what, or that the interview ends. */
  direction: value<Direction | null>(null),
  /** Nodes whose text is the offline coach's although a model is configured (its reply was unusable). */
  offlineParts: value<GraphNode[]>([]),
});

export type CoachStateType = typeof CoachState.State;
export type CoachStateUpdate = typeof CoachState.Update;
