// Section-aware chunking: a heading ("Requirements", "## Experience", "Skills:") stays with its text,
// and each chunk carries the heading of the section it came from.
import { splitClauses } from '../core/text/index.js';

export interface Chunk {
  index: number;
  section: string;
  text: string;
}

export interface ChunkOptions {
  size: number;
  overlap: number;
}

const MARKDOWN_HEADING = /^#{1,6}\s+(.+)$/;
const LABEL_HEADING = /^([A-Z][A-Za-z0-9&/ ,'()-]{1,60}):\s*(.*)$/;

function headingOf(line: string): { title: string; rest: string } | null {
  const md = MARKDOWN_HEADING.exec(line);
  if (md?.[1]) return { title: md[1].trim(), rest: '' };
  const label = LABEL_HEADING.exec(line);
  if (label?.[1] && label[1].split(/\s+/).length <= 6)
    return { title: label[1].trim(), rest: label[2] ?? '' };
  // A short line without final punctuation, in Title Case or CAPS, reads as a heading.
  if (line.length <= 40 && !/[.!?,;]$/.test(line) && /^[A-Z]/.test(line) && line.split(/\s+/).length <= 5) {
    const words = line.split(/\s+/);
    if (words.every((w) => /^[A-Z&]/.test(w) || /^(and|of|the|for|to|in|&)$/.test(w)))
      return { title: line, rest: '' };
  }
  return null;
}

export function clean(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/(\w)-\n(\w)/g, '$1$2') // words hyphenated across lines
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function sections(text: string): { title: string; body: string }[] {
  const out: { title: string; body: string[] }[] = [{ title: '', body: [] }];
  for (const raw of clean(text).split('\n')) {
    const line = raw.trim();
    const heading = line ? headingOf(line) : null;
    if (heading) {
      out.push({ title: heading.title, body: heading.rest ? [heading.rest] : [] });
    } else {
      out.at(-1)!.body.push(line);
    }
  }
  return out
    .map((s) => ({ title: s.title, body: s.body.join('\n').trim() }))
    .filter((s) => s.body.length > 0 || s.title.length > 0);
}

export function chunkText(text: string, opts: ChunkOptions): Chunk[] {
  const chunks: Chunk[] = [];
  for (const { title, body } of sections(text)) {
    const parts = splitClauses(body);
    if (parts.length === 0) continue;
    let current: string[] = [];
    let length = 0;
    const flush = () => {
      if (current.length === 0) return;
      const joined = current.join(' ');
      chunks.push({ index: chunks.length, section: title, text: title ? `${title}: ${joined}` : joined });
      // Carry the tail of this chunk into the next one so no sentence loses its context.
      const carried: string[] = [];
      let carriedLength = 0;
      for (let i = current.length - 1; i >= 0 && carriedLength < opts.overlap; i--) {
        carried.unshift(current[i]!);
        carriedLength += current[i]!.length + 1;
      }
      current = carriedLength < length ? carried : [];
      length = current.reduce((n, s) => n + s.length + 1, 0);
    };
    for (const sentence of parts) {
      if (length + sentence.length > opts.size && length > 0) flush();
      current.push(sentence);
      length += sentence.length + 1;
    }
    flush();
  }
  return chunks.map((c, index) => ({ ...c, index }));
}
