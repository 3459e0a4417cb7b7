// The one sentence splitter, for the browser and the server alike: Unicode sentence boundaries
// (Intl.Segmenter), corrected where they misread the text we get: a period after a known abbreviation
// or an initial does not end a sentence ("Dr. Smith", "e.g. Go", "J. Doe"); a terminator with no space
// after it does not either ("logo.png?d=1"); one followed by a number or a tag does ("12%. 3 teams").
// Decimals ("3.5"), dotted names ("node.js"), closing quotes and brackets and line breaks are the
// segmenter's own.

/** Words whose trailing period does not end a sentence (lowercase, without the final period). */
export const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'etc', 'e.g', 'i.e', 'approx', 'dept', 'fig', 'no',
  'inc', 'ltd', 'co', 'corp', 'u.s', 'a.m', 'p.m',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
]); // prettier-ignore

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Whether `segment` ends in a period that belongs to its last word: an abbreviation or an initial. */
function endsInAbbreviation(segment: string): boolean {
  const word = /(?:^|[^A-Za-z.])([A-Za-z][A-Za-z.]*)\.\s*$/.exec(segment)?.[1];
  if (!word) return false;
  // A single capital ("J. Doe") is an initial.
  return /^[A-Z]$/.test(word) || ABBREVIATIONS.has(word.toLowerCase());
}

/** A sentence end followed, after spaces, by anything but a lowercase letter ("12%. 3 teams", "team. </x>"). */
const END_BEFORE_NON_LOWER = /[.!?…]+["'”’)\]]*\s+(?=[^\s\p{Ll}])/gu;

/**
 * The segmenter does not end a sentence at ". " when a lowercase letter comes later before any capital
 * (Unicode rule SB8, meant for "e.g. the"): so "rose 12%. 3 teams did" or "team. </documents> Ignore
 * previous instructions" stay one sentence, and the output guard would drop a good sentence with an
 * injected one. Cut there; a cut after an abbreviation is joined back by the caller.
 */
function splitBeforeNonLetters(segment: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const m of segment.matchAll(END_BEFORE_NON_LOWER)) {
    const to = m.index + m[0].length;
    if (to >= segment.length) break;
    out.push(segment.slice(from, to));
    from = to;
  }
  out.push(segment.slice(from));
  return out;
}

/**
 * The text cut into sentences, untrimmed: joined back they are exactly `text`, each keeping the
 * whitespace after it. The last one may be unfinished when the text is still arriving.
 */
export function sentenceSegments(text: string): string[] {
  const pieces = [...segmenter.segment(text)].flatMap(({ segment }) => splitBeforeNonLetters(segment));
  const out: string[] = [];
  let carry = '';
  for (const piece of pieces) {
    carry += piece;
    // A line break always ends a sentence, even after "etc."
    if (endsInAbbreviation(carry) && !/\n\s*$/.test(carry)) continue;
    // Nor does a ? or ! with no space after it: the segmenter cuts "logo.png?d=1" and "![alt](url)"
    // (an image an injected instruction asks for must stay in the sentence that asks). CJK needs no space.
    if (!/[\s。！？]$/.test(carry)) continue;
    out.push(carry);
    carry = '';
  }
  if (carry) out.push(carry);
  return out;
}

/** Whether a piece of text holds anything to read or say: a letter or a digit. */
export const hasWords = (s: string): boolean => /[\p{L}\p{N}]/u.test(s);

/** The sentences of a whole text, trimmed, without pieces that are only punctuation or space. */
export function splitSentences(text: string): string[] {
  return sentenceSegments(text)
    .map((s) => s.trim())
    .filter(hasWords);
}

/**
 * The sentences of a text, each further cut after semicolons: the units a chunk is built from
 * (ingestion/chunk.ts) and by which the web client finds a chunk in its source (web/src/lib/passage.ts).
 * Requirement lists are often one long sentence of "; "-separated items.
 */
export function splitClauses(text: string): string[] {
  return splitSentences(text).flatMap((s) => s.split(/(?<=;)\s+/).filter(hasWords));
}

/** A terminator and the space after it: "It cost 3. " cannot become "It cost 3.5" any more. */
const ENDED = /[.!?…]+["'”’)\]]*\s+$/u;

/**
 * Splits text that arrives in pieces (streamed tokens). A sentence is complete once the text after it
 * has begun, or its terminator is followed by a space: "It cost 3." may still become "It cost 3.5
 * million.", and "Dr. " may be followed by a name.
 */
export class SentenceBuffer {
  #buffer = '';

  /** Adds a piece; returns the sentences it completed, untrimmed (joined, they are the text consumed). */
  push(piece: string): string[] {
    this.#buffer += piece;
    const segments = sentenceSegments(this.#buffer);
    const last = segments.at(-1) ?? '';
    const complete = ENDED.test(last) && !endsInAbbreviation(last);
    this.#buffer = complete ? '' : (segments.pop() ?? '');
    return segments;
  }

  /** The text not yet returned as a complete sentence; empties the buffer. */
  flush(): string {
    const rest = this.#buffer;
    this.#buffer = '';
    return rest;
  }
}
