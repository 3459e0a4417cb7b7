// Finds a cited chunk inside its document's text, for highlighting. Chunks are the document's sentences
// joined by single spaces, possibly prefixed with their section heading ("Requirements: ..."), so the
// search ignores whitespace differences, drops that prefix, and falls back to the chunk's longest sentence.
import { splitClauses } from '../../../core/text/index.js';

export interface Span {
  start: number;
  end: number;
  /** 'exact': the whole chunk was found; 'sentence': only its longest sentence found in the text. */
  match: 'exact' | 'sentence';
}

/** The text with whitespace runs collapsed to one space, and each collapsed index's original index. */
function collapse(text: string): { flat: string; map: number[] } {
  let flat = '';
  const map: number[] = [];
  let inSpace = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      if (inSpace) continue;
      inSpace = true;
      flat += ' ';
    } else {
      inSpace = false;
      flat += ch;
    }
    map.push(i);
  }
  return { flat, map };
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

function locate(
  doc: { flat: string; lower: string; map: number[] },
  needle: string,
): { start: number; end: number } | null {
  const n = squash(needle);
  if (n.length < 3) return null;
  let at = doc.flat.indexOf(n);
  if (at < 0) at = doc.lower.indexOf(n.toLowerCase());
  if (at < 0) return null;
  const last = at + n.length - 1;
  return { start: doc.map[at]!, end: doc.map[last]! + 1 };
}

export function stripHeading(chunk: string): string {
  return chunk.replace(/^[^:]{1,60}: /, '');
}

export function findPassage(text: string, chunk: string): Span | null {
  if (!text || !chunk.trim()) return null;
  const { flat, map } = collapse(text);
  const doc = { flat, lower: flat.toLowerCase(), map };
  const body = stripHeading(squash(chunk));
  for (const candidate of [squash(chunk), body]) {
    const hit = locate(doc, candidate);
    if (hit) return { ...hit, match: 'exact' };
  }
  // The units the chunker built the chunk from (ingestion/chunk.ts).
  const sentences = splitClauses(body)
    .filter((s) => s.length >= 12)
    .sort((a, b) => b.length - a.length);
  for (const s of sentences) {
    const hit = locate(doc, s);
    if (hit) return { ...hit, match: 'sentence' };
  }
  return null;
}
