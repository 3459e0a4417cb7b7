// The coach's text as sentences a speech engine can say one at a time, so the first sentence is
// synthesised (and heard) before the rest is written. Questions and critiques sometimes carry Markdown
// bullets and emphasis that must not be read aloud, and one long sentence must not delay the first audio.
import { splitSentences } from './sentences.js';

/** A sentence longer than this is cut at a clause boundary. */
export const MAX_SENTENCE_CHARS = 220;

/** The line without Markdown and list decoration. */
function undecorated(line: string): string {
  return line
    .replace(/^\s{0,8}(?:[-*+•‣◦▪]|\d{1,3}[.)]|#{1,6})\s+/, '') // bullets, "1." / "2)" items, headings
    .replace(/(^|[^\w])([*_`]{1,3})([^*_`]+?)\2(?!\w)/g, '$1$3') // **bold**, _em_, `code`
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1') // [link](url) -> link
    .replace(/\s+/g, ' ')
    .trim();
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
export function speakableSentences(text: string, maxChars = MAX_SENTENCE_CHARS): string[] {
  return text
    .split(/\r?\n/)
    .map(undecorated)
    .filter(Boolean)
    .flatMap(splitSentences)
    .flatMap((s) => cutLong(s, maxChars));
}
