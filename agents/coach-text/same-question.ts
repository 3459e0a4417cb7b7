// Whether a question was asked before, by what it asks rather than its exact text: the coach words the
// same bank question in several ways and frames it with a quote from the job, so an exact match misses
// repeats. A question counts as asked when nearly all of its content terms (question words like "tell",
// "describe", "how" aside) appear in one asked text.
import { contentTerms } from './text.js';

/** The share of content terms a rewording must keep to count as the same question. */
export const SAME_QUESTION_COVERAGE = 0.8;

// Term sets of texts seen lately: the bank's questions are compared with every asked text on every turn.
const cache = new Map<string, ReadonlySet<string>>();
function termSet(text: string): ReadonlySet<string> {
  let set = cache.get(text);
  if (!set) {
    if (cache.size >= 2000) cache.clear();
    set = new Set(contentTerms(text));
    cache.set(text, set);
  }
  return set;
}

/** The share of `question`'s content terms found in `asked` (0 when it has none). */
export function coverage(question: string, asked: string): number {
  const own = [...termSet(question)];
  if (own.length === 0) return 0;
  const there = termSet(asked);
  return own.filter((t) => there.has(t)).length / own.length;
}

export const sameQuestion = (question: string, asked: string): boolean =>
  coverage(question, asked) >= SAME_QUESTION_COVERAGE;

/** The index of the last asked text that asks `question`, or -1. */
export function lastAskedAt(question: string, asked: readonly string[]): number {
  for (let i = asked.length - 1; i >= 0; i--) if (sameQuestion(question, asked[i]!)) return i;
  return -1;
}
