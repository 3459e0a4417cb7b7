// The one list of hedges (words that weaken a claim without changing it), shared by clarity scoring
// (agents/rubric.ts) and the stronger answer, which cuts them (agents/coach-text).

/** A hedge found in a text: `text.slice(start, end)` is the hedge as written, `phrase` its list entry. */
export interface Hedge {
  phrase: string;
  start: number;
  end: number;
  /** Whether cutting it leaves a sentence ("I think we" → "we"); "might have broken" → "broken" would not. */
  cuttable: boolean;
}

const CUTTABLE = ['i think', 'i guess', 'i believe', 'maybe', 'probably', 'perhaps', 'hopefully', 'somewhat'];
const KEPT = ['might have'];

/**
 * "I believe in owning the problem" and "I think about my patients" say what the candidate values or
 * does; cutting "I believe" left "and in owning the problem".
 */
const NOT_A_HEDGE_AFTER = /^\s+(?:in|of|about)\b/i;
/** "I think that we" is cut whole, so "that" is not left dangling. */
const THAT_CLAUSE = /^\s+that\b(?=\s+(?:I|we|it|they|the|our|my)\b)/i;

const PATTERN = new RegExp(`\\b(?:${[...CUTTABLE, ...KEPT].join('|')})\\b`, 'gi');

export function findHedges(text: string): Hedge[] {
  const out: Hedge[] = [];
  for (const m of text.matchAll(PATTERN)) {
    const phrase = m[0].toLowerCase();
    const after = text.slice(m.index + m[0].length);
    if (phrase.startsWith('i ') && NOT_A_HEDGE_AFTER.test(after)) continue;
    const that = THAT_CLAUSE.exec(after)?.[0].length ?? 0;
    out.push({ phrase, start: m.index, end: m.index + m[0].length + that, cuttable: !KEPT.includes(phrase) });
  }
  return out;
}
