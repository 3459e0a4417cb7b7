// Short phrases of the candidate's own words, for a follow-up or a drill to quote back ("You said 'we
// moved the deploys to a pipeline'..."). A quote is always a verbatim piece of the answer, at most
// MAX_QUOTE_WORDS words, cut at a clause boundary and never ending on "the" or "and".
import { ASIDE, contentTerms, noiseSpans, sentencesOf } from './text.js';

export const MAX_QUOTE_WORDS = 8;

const CLAUSE_BREAK =
  /\s*[,;:()—–]\s*|\s+(?=(?:and then|but|because|so that|so|which|while|although|until)\s)|\s+and\s+(?=(?:I|we|the team|they|our|it|that)\b)/i;
/** Words a quote cut at its length limit must not end on: "I looked at the tickets and about" says nothing. */
const TRAILING =
  /\s+(?:and|or|but|so|of|to|in|on|for|with|within|without|through|across|under|during|between|per|about|into|over|after|before|than|the|a|an|as|at|by|from|that|which|our|my|their|its|his|her|was|were|is|are|be|been|had|have|would|could|will|can|just|very|really)$/i;
/** Words that open a phrase: a quote cut at its length ends before the last of them. */
const JOINING =
  /^(?:and|or|but|so|of|to|in|on|for|with|within|without|through|across|under|during|between|per|about|into|over|after|before|than|at|by|from|which|that|who|because|while|a|an|the|no)$/i;
const LEADING = /^(?:and|but|so|then|also|anyway|well|yeah|okay|ok)\s+/i;

/** The clauses of an answer, verbatim (whitespace normalised), in order; a marked aside is no quote. */
export function clausesOf(answer: string): string[] {
  return sentencesOf(answer)
    .filter((s) => !ASIDE.test(s))
    .flatMap((s) => s.split(CLAUSE_BREAK))
    .map((c) => c.replace(/[.!?"]+$/, '').trim())
    .filter(Boolean);
}

/** A clause cut to a quotable length at a word boundary, or null when too little of it is left. */
export function shorten(clause: string, maxWords = MAX_QUOTE_WORDS): string | null {
  const words = clause.replace(LEADING, '').split(/\s+/);
  let kept = words.slice(0, maxWords);
  // Cut short, a quote ends before the phrase it broke off ("our onboarding package at no" → "…package").
  if (words.length > maxWords) {
    let lastJoin = -1;
    kept.forEach((w, i) => JOINING.test(w) && (lastJoin = i));
    if (lastJoin >= 3 && lastJoin >= kept.length - 3) kept = kept.slice(0, lastJoin);
  }
  let q = kept.join(' ');
  q = q.replace(/[^\p{L}\p{N}%)]+$/u, '');
  while (TRAILING.test(q)) q = q.replace(TRAILING, '');
  return contentTerms(q).length >= 2 ? q : null;
}

/**
 * The first quotable clause of the answer that `wanted` accepts (any clause when none does), free of
 * fillers and hedges, or null when the answer has none.
 */
export function quoteFrom(answer: string, wanted: (clause: string) => boolean = () => true): string | null {
  // Fillers and hedges are cut out: what is left between them is still the candidate's words, verbatim.
  const clauses = clausesOf(answer).flatMap((c) => {
    const pieces: string[] = [];
    let from = 0;
    for (const span of noiseSpans(c).sort((a, b) => a.start - b.start)) {
      pieces.push(c.slice(from, span.start));
      from = Math.max(from, span.end);
    }
    return [...pieces, c.slice(from)].map((p) => p.trim()).filter(Boolean);
  });
  for (const pool of [clauses.filter(wanted), clauses]) {
    for (const clause of pool) {
      const q = shorten(clause);
      if (q) return q;
    }
  }
  return null;
}

/** A clause saying what a team did ("we rolled it out", "the team fixed..."). */
export const TEAM_CLAUSE =
  /^(?:\w+\s+)?(?:we|our team|the team|they|everyone)\s+(?!had\b|were\b|are\b|was\b|is\b)\w+/i;
/** A clause saying what the candidate did. */
export const OWN_CLAUSE = /\bI\s+(?!think|guess|mean|believe|was|am|had)\w+/;
