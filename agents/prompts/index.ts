// Versioned prompt templates (agents/versions.ts): the builders render a coach version's templates, the repo's
// coach-prompts@1.json unless given another. Text from documents and answers is data, wrapped in tags, never
// instructions: every user-supplied value passes `fence` (agents/guard.ts) on its way in.
import type { ScoredChunk } from '../../ingestion/store.js';
import { fence } from '../guard.js';
import { DEFAULT_COACH_VERSION, renderTemplate, type CoachVersion } from '../versions.js';

/** The repo's prompt version (the default when no registry version is loaded). */
export const PROMPT_VERSION = DEFAULT_COACH_VERSION.version;

/** The repo version's system prompt. */
export const SYSTEM = DEFAULT_COACH_VERSION.prompts.system;

export interface Prompt {
  system: string;
  user: string;
}

export function passagesBlock(passages: ScoredChunk[]): string {
  return passages.map((p, i) => `[${i + 1}] (${p.kind}) ${fence(p.text)}`).join('\n');
}

const build = (
  version: CoachVersion,
  name: Exclude<keyof CoachVersion['prompts'], 'system'>,
  values: Record<string, string>,
): Prompt => ({
  system: version.prompts.system,
  user: renderTemplate(version.prompts[name], values),
});

export const selectQuestionPrompt = (
  input: {
    role: string;
    company: string;
    module: string;
    seed: string;
    asked: string[];
    passages: ScoredChunk[];
  },
  version: CoachVersion = DEFAULT_COACH_VERSION,
): Prompt =>
  build(version, 'selectQuestion', {
    role: fence(input.role),
    company: fence(input.company),
    module: input.module,
    seed: input.seed,
    asked: input.asked.map((a) => `"${fence(a)}"`).join('; ') || 'nothing asked yet',
    passages: passagesBlock(input.passages),
  });

export const critiquePrompt = (
  input: { question: string; answer: string; rubric: string; passages: ScoredChunk[] },
  version: CoachVersion = DEFAULT_COACH_VERSION,
): Prompt =>
  build(version, 'critique', {
    question: fence(input.question),
    answer: fence(input.answer),
    rubric: input.rubric,
    passages: passagesBlock(input.passages),
  });

export const rewritePrompt = (
  input: { question: string; answer: string },
  version: CoachVersion = DEFAULT_COACH_VERSION,
): Prompt => build(version, 'rewrite', { question: fence(input.question), answer: fence(input.answer) });

export const drillPrompt = (
  input: { weakest: string; question: string },
  version: CoachVersion = DEFAULT_COACH_VERSION,
): Prompt => build(version, 'drill', { weakest: input.weakest, question: fence(input.question) });

export const judgePrompt = (
  input: {
    question: string;
    answer: string;
    passages: ScoredChunk[];
    assessment: { scores: Record<string, number>; reasons: Record<string, string> };
  },
  version: CoachVersion = DEFAULT_COACH_VERSION,
): Prompt =>
  build(version, 'judge', {
    metrics: Object.entries(input.assessment.reasons)
      .map(([d, r]) => `${d}: ${r}`)
      .join(' '),
    question: fence(input.question),
    answer: fence(input.answer),
    passages: passagesBlock(input.passages),
  });
