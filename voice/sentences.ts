// Splits text into sentences a speech engine can say one at a time, so the first sentence is synthesised
// (and heard) before the rest is. The text is the coach's: questions and critiques, sometimes with
// Markdown bullets and emphasis, abbreviations ("e.g.", "Dr."), decimals ("3.5") and enumerations.

/** Words whose trailing period does not end a sentence (lowercase, without the period). */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'approx',
  'dept',
  'inc',
  'ltd',
  'corp',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'u.s',
  'a.m',
  'p.m',
]);

/** A sentence longer than this is cut at a clause boundary, so one long sentence cannot delay the first audio. */
export const MAX_SENTENCE_CHARS = 220;

/** Markdown and list decoration that should not be read aloud. */
function speakable(line: string): string {
  return line
    .replace(/^\s{0,8}(?:[-*+•‣◦▪]|\d{1,3}[.)]|#{1,6})\s+/, '') // bullets, "1." / "2)" items, headings
    .replace(/(^|[^\w])([*_`]{1,3})([^*_`]+?)\2(?!\w)/g, '$1$3') // **bold**, _em_, `code`
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1') // [link](url) -> link
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether the period at `dot` in `text` ends the word before it as an abbreviation, initial or number. */
function periodBelongsToWord(text: string, dot: number): boolean {
  const before = /([A-Za-z.]+)$/.exec(text.slice(0, dot));
  if (before) {
    const word = before[1]!.toLowerCase();
    if (ABBREVIATIONS.has(word)) return true;
    // A single capital ("J. Smith") is an initial.
    if (/^[A-Z]$/.test(before[1]!)) return true;
  }
  // 3.5, v2.1: a digit on both sides.
  return /\d/.test(text[dot - 1] ?? '') && /\d/.test(text[dot + 1] ?? '');
}

/** Splits one line (no bullets) into sentences at . ! ? … followed by a space or the end. */
function splitLine(line: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch !== '.' && ch !== '!' && ch !== '?' && ch !== '…') continue;
    if (ch === '.' && periodBelongsToWord(line, i)) continue;
    // Take the whole run of terminators and any closing quotes or brackets: `?!`, `..."`, `.)`.
    let end = i + 1;
    while (end < line.length && /[.!?…"'”’)\]]/.test(line[end]!)) end++;
    if (end < line.length && line[end] !== ' ') {
      i = end - 1;
      continue;
    }
    out.push(line.slice(start, end).trim());
    start = end;
    i = end - 1;
  }
  out.push(line.slice(start).trim());
  return out.filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** Cuts a sentence over `max` characters at the last clause break (; : , —) before it, else a space. */
function cutLong(sentence: string, max: number): string[] {
  const parts: string[] = [];
  let rest = sentence;
  while (rest.length > max) {
    const head = rest.slice(0, max);
    let cut = Math.max(
      head.lastIndexOf('; '),
      head.lastIndexOf(': '),
      head.lastIndexOf(', '),
      head.lastIndexOf(' — '),
    );
    if (cut < max / 3) cut = head.lastIndexOf(' ');
    if (cut <= 0) cut = max - 1;
    parts.push(rest.slice(0, cut + 1).trim());
    rest = rest.slice(cut + 1).trim();
  }
  if (rest) parts.push(rest);
  return parts;
}

/**
 * The text as speakable sentences in order. Lines are separate (a bullet list becomes one sentence per
 * item); nothing but decoration is dropped.
 */
export function splitSentences(text: string, maxChars = MAX_SENTENCE_CHARS): string[] {
  return text
    .split(/\r?\n/)
    .map(speakable)
    .filter(Boolean)
    .flatMap(splitLine)
    .flatMap((s) => cutLong(s, maxChars));
}
