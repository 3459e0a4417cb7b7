// Questions generated from the job description itself: each stated requirement, as one short phrase,
// becomes a question that asks the candidate to prove it, beside the curated bank's questions.
import { createHash } from 'node:crypto';
import type { ScoredChunk } from '../../ingestion/store.js';
import type { BankQuestion } from './bank.js';
import { requirementPhrases, type RequirementPhrase } from '../coach-text/requirements.js';
import { requirementQuestion } from '../coach-text/question-wording.js';

const REQUIREMENT_SECTIONS =
  /requirement|responsibilit|qualification|what you('|’)ll do|you will|must have|nice to have|skills|experience|duties/i;

/** The requirement phrases of the passages under a requirements-like heading. */
function statedRequirements(passages: ScoredChunk[]): RequirementPhrase[] {
  return requirementPhrases(
    passages.filter(
      (p) =>
        p.kind === 'jd' &&
        (REQUIREMENT_SECTIONS.test(p.section) || REQUIREMENT_SECTIONS.test(p.text.slice(0, 60))),
    ),
  );
}

/** The job's stated requirements, each as one short phrase (no Markdown, never a whole chunk). */
export function requirementsOf(passages: ScoredChunk[]): string[] {
  return statedRequirements(passages).map((r) => r.phrase);
}

/**
 * One question per requirement, with the phrase it quotes and the passage that states it (the citation).
 * `seed` picks the wording (the same seed, the same words).
 */
export function generatedQuestions(
  passages: ScoredChunk[],
  ...seed: readonly (string | number)[]
): { question: BankQuestion; phrase: string; passage: ScoredChunk }[] {
  return statedRequirements(passages).map(({ phrase, passage }) => ({
    phrase,
    passage,
    question: {
      id: `jd-${createHash('sha1').update(phrase).digest('hex').slice(0, 8)}`,
      module: 'behavioral',
      competency: 'job requirement',
      seniority: ['entry', 'mid', 'senior', 'staff'],
      text: requirementQuestion(phrase, ...seed),
      keywords: [],
      followUps: ['What did you personally do?', 'How did you measure the result?'],
    },
  }));
}
