// Markdown to plain text the chunker understands: "## Heading" lines stay as they are, markup noise goes.
import { decodeText } from './sniff.js';
import type { Loader } from './types.js';

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

function inline(line: string): string {
  return (
    line
      // Images first (their alt text is not document text), then links to their text.
      .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
      .replace(/!\[[^\]]*\]\[[^\]]*\]/g, '')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/<((?:https?:\/\/|mailto:)[^>\s]+)>/g, '$1')
      // Inline HTML tags (not "a < b").
      .replace(/<\/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?\/?>/g, '')
      // Inline code keeps its text.
      .replace(/`+([^`]+)`+/g, '$1')
      // Emphasis: ** __ ~~ then single * and _ (underscores only at word edges, so snake_case survives).
      .replace(/(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1/g, '$2')
      .replace(/\*(?=\S)([^*]+?)(?<=\S)\*/g, '$1')
      .replace(/(?<![\w\\])_(?=\S)([^_]+?)(?<=\S)_(?!\w)/g, '$1')
      // Backslash escapes.
      .replace(/\\([\\`*_{}[\]()#+\-.!|~<>])/g, '$1')
  );
}

export function markdownToText(source: string): string {
  const out: string[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  // YAML front matter is metadata, not document text.
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
    if (end > 0) lines.splice(0, end + 1);
  }
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMatch = FENCE.exec(line);
    if (fence !== null) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length) fence = null;
      else out.push(line);
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      continue;
    }
    // Setext headings ("Title" over "=====") become "# Title" so they read as headings.
    const next = lines[i + 1];
    if (line.trim() && next !== undefined && /^\s{0,3}(=+|-+)\s*$/.test(next) && !/^\s*[-*+>|]/.test(line)) {
      out.push(`${/=/.test(next) ? '#' : '##'} ${inline(line.trim())}`);
      i++;
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) continue; // horizontal rule
    if (/^\s{0,3}\[[^\]]+\]:\s*\S+/.test(line)) continue; // reference definition
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) continue; // table separator
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (heading) {
      out.push(`${heading[1]} ${inline(heading[2]!)}`);
      continue;
    }
    let body = line.replace(/^(\s*>)+\s?/, ''); // blockquote
    body = body.replace(/^(\s*)[*+](\s+)/, '$1-$2'); // bullets all read as "-"
    body = body.replace(/^(\s*)- \[[ xX]\]\s+/, '$1- '); // task lists
    if (/^\s*\|.*\|\s*$/.test(body)) {
      body = body
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim())
        .join(' | ');
    }
    out.push(inline(body));
  }
  return out.join('\n');
}

export const markdownLoader: Loader = {
  format: 'markdown',
  async load(bytes, { name }) {
    return { text: markdownToText(await decodeText(bytes, name, 'Markdown text')) };
  },
};
