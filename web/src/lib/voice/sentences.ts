// Splits text that arrives in pieces (streamed `token` events) into whole sentences as soon as each
// one ends, so speech can start on the first sentence while the rest is still being written.

/** Words that end in a period without ending a sentence. */
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'etc',
  'vs',
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'inc',
  'ltd',
  'co',
  'corp',
  'approx',
  'no',
  'fig',
  'u.s',
]);

/**
 * The index just after the end of the first complete sentence in `text`, or -1 when no sentence is
 * known to be complete yet. A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or
 * brackets) followed by whitespace, or at a line break; the end of the text is not an end, since the
 * next token may continue it ("3." + "5 million").
 */
export function sentenceEnd(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      if (text.slice(0, i).trim() !== '') return i + 1;
      continue;
    }
    if (ch !== '.' && ch !== '!' && ch !== '?' && ch !== '…') continue;
    let j = i + 1;
    while (j < text.length && /[.!?…"'”’)\]]/.test(text[j]!)) j++;
    if (j >= text.length) return -1; // might continue in the next token
    if (!/\s/.test(text[j]!)) {
      i = j - 1;
      continue; // "3.5", "node.js", "U.S.A"
    }
    if (ch === '.' && isAbbreviation(text.slice(0, i))) continue;
    return j;
  }
  return -1;
}

function isAbbreviation(before: string): boolean {
  const word = /([A-Za-z.]+)$/.exec(before)?.[1];
  if (!word) return false;
  // A lone capital ("J. Smith") is an initial.
  if (/^[A-Z]$/.test(word)) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

/** Text worth sending to a speech engine: something besides punctuation and spaces. */
function speakable(s: string): boolean {
  return /[\p{L}\p{N}]/u.test(s);
}

/** Cuts a whole text into sentences (used for text that arrives in one piece). */
export function splitSentences(text: string): string[] {
  const splitter = new SentenceSplitter();
  return [...splitter.push(text), ...splitter.flush()];
}

/**
 * Accumulates streamed text. `push` returns the sentences completed by the new piece; `flush`
 * returns what is left once the stream is over. Sentences are trimmed and never empty.
 */
export class SentenceSplitter {
  #buffer = '';
  /** Everything pushed so far, to tell how much of a final text has already been seen. */
  #seen = '';

  get seen(): string {
    return this.#seen;
  }

  push(piece: string): string[] {
    this.#buffer += piece;
    this.#seen += piece;
    const out: string[] = [];
    for (;;) {
      const end = sentenceEnd(this.#buffer);
      if (end < 0) break;
      const sentence = this.#buffer.slice(0, end).trim();
      this.#buffer = this.#buffer.slice(end);
      if (speakable(sentence)) out.push(sentence);
    }
    return out;
  }

  flush(): string[] {
    const rest = this.#buffer.trim();
    this.#buffer = '';
    return speakable(rest) ? splitOnce(rest) : [];
  }

  /**
   * The stream ended with its full text (a `question` or `feedback` event): speak what the tokens
   * did not cover. When the final text does not continue the tokens (it was rewritten), the tokens
   * already spoken stand and only the pending buffer is dropped in favour of the final text's rest.
   */
  finish(finalText: string): string[] {
    const seen = this.#seen;
    if (seen === '') {
      this.reset();
      return splitSentences(finalText);
    }
    if (finalText.startsWith(seen)) {
      const out = this.push(finalText.slice(seen.length));
      out.push(...this.flush());
      this.reset();
      return out;
    }
    const out = this.flush();
    this.reset();
    return out;
  }

  reset(): void {
    this.#buffer = '';
    this.#seen = '';
  }
}

/** A trailing fragment may hold a sentence end that waited for more text ("Why?"). */
function splitOnce(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  for (;;) {
    const end = sentenceEnd(rest + ' ');
    if (end < 0 || end >= rest.length) break;
    const s = rest.slice(0, end).trim();
    if (speakable(s)) out.push(s);
    rest = rest.slice(end);
  }
  if (speakable(rest)) out.push(rest.trim());
  return out;
}
