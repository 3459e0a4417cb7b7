// Questions generated from the job description itself: each stated requirement becomes a question that
// asks the candidate to prove it, beside the curated bank's questions.
import { createHash } from 'node:crypto';
import { splitSentences } from '../../core/text/index.js';
import type { ScoredChunk } from '../../ingestion/store.js';
import type { BankQuestion } from './bank.js';

const REQUIREMENT_SECTIONS =
  /requirement|responsibilit|qualification|what you('|’)ll do|you will|must have|nice to have|skills|experience/i;

/** The requirement-like sentences of the job's passages: short statements under a requirements heading. */
export function requirementsOf(passages: ScoredChunk[]): string[] {
  return requirementsWithPassages(passages).map((r) => r.requirement);
}

function requirementsWithPassages(passages: ScoredChunk[]): { requirement: string; passage: ScoredChunk }[] {
  const out: { requirement: string; passage: ScoredChunk }[] = [];
  for (const p of passages.filter((x) => x.kind === 'jd')) {
    if (!REQUIREMENT_SECTIONS.test(p.section) && !REQUIREMENT_SECTIONS.test(p.text.slice(0, 60))) continue;
    const body = p.text.replace(/^[^:]{1,60}:\s*/, '');
    for (const sentence of splitSentences(body)) {
      const s = sentence
        .replace(/^(?:[-*•]|\d+[.)])\s+/, '')
        .replace(/[.;]+$/, '')
        .trim();
      if (s.length >= 12 && s.length <= 140 && !out.some((r) => r.requirement === s))
        out.push({ requirement: s, passage: p });
    }
  }
  return out;
}

/** One question per requirement, with the passage that states it (the question's citation). */
export function generatedQuestions(
  passages: ScoredChunk[],
): { question: BankQuestion; passage: ScoredChunk }[] {
  return requirementsWithPassages(passages).map(({ requirement, passage }) => ({
    passage,
    question: {
      id: `jd-${createHash('sha1').update(requirement).digest('hex').slice(0, 8)}`,
      module: 'behavioral',
      competency: 'job requirement',
      seniority: ['entry', 'mid', 'senior', 'staff'],
      text: `The job asks for "${requirement}". Tell me about a specific time you showed this: the situation, what you did, and the result.`,
      keywords: [],
      followUps: ['What did you personally do?', 'How did you measure the result?'],
    },
  }));
}
