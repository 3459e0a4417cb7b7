// Local adapter for sentence splitting, the filler and hedge lists and content terms, until the shared
// home in core/text/ lands (merged from main): the coach-text modules import these names only from here,
// so switching is a change to this one file.
import { terms } from '../../ingestion/embed.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** The sentences of a text, trimmed, by Unicode sentence boundaries (so "e.g." and "3.5" stay inside). */
export function sentencesOf(text: string): string[] {
  return [...segmenter.segment(text.replace(/\s+/g, ' '))].map((s) => s.segment.trim()).filter(Boolean);
}

/** Spoken fillers: words that carry no meaning in an answer. */
export const FILLERS = [
  'um',
  'umm',
  'uh',
  'uhh',
  'erm',
  'er',
  'you know',
  'basically',
  'actually',
  'literally',
  'i mean',
  'like i said',
  'kind of',
  'sort of',
];

/** Hedges: words that weaken a claim without changing it. */
export const HEDGES = [
  'i think',
  'i guess',
  'i believe',
  'maybe',
  'probably',
  'perhaps',
  'hopefully',
  'somewhat',
];

/** Words that frame a question rather than say what it is about. */
const QUESTION_WORDS = new Set(
  'what when where which who whom whose why how tell describe walk through about time can could would did do does give example me us one ever'.split(
    ' ',
  ),
);

/** Stemmed content terms, without stopwords and question words. */
export function contentTerms(text: string): string[] {
  return terms(text).filter((t) => !QUESTION_WORDS.has(t) && t.length > 1);
}

export const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;
