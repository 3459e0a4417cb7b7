// The coach-text modules' view of the shared text home (core/text/): sentences, fillers, hedges and terms
// come from there, so the rewrite, the drill and the scorer agree on what a filler or a hedge is. The spans
// helpers are the coach's own.
import { findFillers, findHedges, splitSentences, terms } from '../../core/text/index.js';

export { findFillers, findHedges };

/** The sentences of a text, trimmed (Unicode boundaries; "Dr." and "3.5" stay inside). */
export const sentencesOf = (text: string): string[] => splitSentences(text.replace(/\s+/g, ' '));

/** Question framing the shared stopwords leave in ("ever", "one"), which says nothing of the topic. */
const FRAME = new Set(['ever', 'one', 'ask', 'question']);

/** Stemmed content terms: the shared terms without question framing or single letters. */
export function contentTerms(text: string): string[] {
  return terms(text).filter((t) => !FRAME.has(t) && t.length > 1);
}

/** The words that mark a sentence as an aside from the story ("By the way, I also coached football"). */
export const ASIDE =
  /\b(?:by the way|funny enough|funnily enough|side note|as an aside|that reminds me|fun fact|off topic|i digress|unrelated)\b/i;

export const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;

const FUNCTION_WORD_BEFORE =
  /\b(?:where|when|that|which|and|but|so|because|the|a|an|we|i|it|they|our|my|their|was|were|is|are|be|been|had|has|have|got|to|of|in|with|at|on|for|from|by|into|about)\s*$/i;

/** Words that open a clause: after "Contoso, um," the comma before "I was" marks a boundary. */
const CLAUSE_START_AFTER =
  /^\s*(?:(?:i|we|they|he|she|it|you|the|a|an|our|my|their|his|her|its|this|that|these|those|there|and|but|so|then|which|who|because|when|after|before|while|if|once|since)\b|[A-Z0-9])/;

/**
 * `text` with the character spans cut out. A span set off by commas leaves one comma where a clause
 * boundary needs it ("Contoso, um, I was" → "Contoso, I was") and none inside a clause: not after a
 * function word ("where, you know, the" → "where the") nor before a word that goes on the clause
 * ("really, you know, key" → "really key").
 */
export function cutSpans(text: string, spans: readonly { start: number; end: number }[]): string {
  let out = text;
  for (const { start, end } of [...spans].sort((a, b) => b.start - a.start)) {
    const before = /,\s*$/.exec(out.slice(0, start));
    const after = /^\s*,/.exec(out.slice(end));
    const from = before ? start - before[0].length : start;
    const to = after ? end + after[0].length : end;
    const head = out.slice(0, from);
    const keepComma = before && !FUNCTION_WORD_BEFORE.test(head) && CLAUSE_START_AFTER.test(out.slice(to));
    out = `${head}${keepComma ? ', ' : ' '}${out.slice(to)}`;
  }
  return out;
}

/** Spoken padding beyond the shared fillers and hedges: phrases that announce rather than say. */
const PADDING =
  /\b(?:long story short|to be honest|honestly|if that makes sense|(?<!\bwhat\s)I mean(?!\s+(?:is|it|that|to|by|what)\b))\b/gi;

/** The spans of fillers, padding and the hedges that can be cut in `text`, in order, overlapping ones joined. */
export function noiseSpans(text: string): { start: number; end: number }[] {
  const spans = [
    ...findFillers(text).map(({ start, end }) => ({ start, end })),
    ...findHedges(text)
      .filter((h) => h.cuttable)
      .map(({ start, end }) => ({ start, end })),
    ...[...text.matchAll(PADDING)].map((m) => ({ start: m.index, end: m.index + m[0].length })),
  ].sort((a, b) => a.start - b.start);
  const joined: { start: number; end: number }[] = [];
  for (const span of spans) {
    const last = joined.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else joined.push({ ...span });
  }
  return joined;
}
