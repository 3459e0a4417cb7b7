// A session exported as a document: Markdown for notes, PDF (pdf-lib, Helvetica) for sharing.
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import * as jobs from '../../core/stores/jobs.js';
import { SCORE_DIMENSIONS, type Debrief, type Feedback } from '../../core/types.js';
import type { ApiDeps } from '../context.js';
import { createSessionService } from './sessions.js';
import { DIMENSION_LABEL, mdInline } from './export-text.js';
import { panelMarkdown, panelistLabel } from './panel-export.js';
import type { PanelistRef, SessionPanel } from '../../contract/index.js';

export { mdInline };

interface ExportTurn {
  id: string;
  round: number;
  question: string;
  retryOf?: string;
  probeOf?: string;
  answer?: string;
  feedback?: Partial<Feedback>;
  citations?: unknown[];
  /** In a panel session: who asked, and what the previous panelist said to hand over. */
  panelist?: PanelistRef;
  handOver?: string;
}

/** Everything an export shows, independent of the format. */
export interface SessionExport {
  jobTitle: string;
  company: string;
  module: string;
  mode: string;
  status: string;
  date: Date;
  turns: ExportTurn[];
  debrief?: Debrief;
  panel?: SessionPanel;
}

export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'session';
}

export function exportFilename(data: SessionExport, ext: 'md' | 'pdf'): string {
  return `interview-${slugify(data.jobTitle)}-${data.date.toISOString().slice(0, 10)}.${ext}`;
}

/** Escapes multi-line user text: each line's start (#, >, -, +, 1., ---, ```) and inline markup. */
export function mdBlock(text: string): string {
  return mdInline(text.trim())
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*)([#>+=~-])/, '$1\\$2')
        .replace(/^(\s*)(\d+)([.)])/, '$1$2\\$3')
        .replace(/^( {4,}|\t)/, ''),
    )
    .join('\n');
}

function quoteBlock(text: string): string {
  return mdBlock(text)
    .split('\n')
    .map((l) => (l ? `> ${l}` : '>'))
    .join('\n');
}

function turnLabel(turn: ExportTurn, turns: ExportTurn[]): string {
  if (turn.probeOf) return 'Follow-up question';
  if (turn.retryOf) {
    let attempt = 2;
    let prev = turns.find((t) => t.id === turn.retryOf);
    while (prev?.retryOf) {
      attempt++;
      const id = prev.retryOf;
      prev = turns.find((t) => t.id === id);
    }
    return `Retry (attempt ${attempt})`;
  }
  return 'Question';
}

function citationText(c: unknown): string | null {
  if (!c || typeof c !== 'object') return null;
  const { kind, text } = c as { kind?: unknown; text?: unknown };
  if (typeof text !== 'string' || !text.trim()) return null;
  const snippet = text.replace(/\s+/g, ' ').trim();
  const short = snippet.length > 240 ? `${snippet.slice(0, 237)}...` : snippet;
  return `${typeof kind === 'string' ? `[${kind}] ` : ''}${short}`;
}

export function toMarkdown(data: SessionExport): string {
  const out: string[] = [];
  const title = `${data.jobTitle}${data.company ? ` at ${data.company}` : ''}`;
  out.push(`# Interview practice: ${mdInline(title)}`, '');
  out.push(`- **Job:** ${mdInline(data.jobTitle)}${data.company ? ` (${mdInline(data.company)})` : ''}`);
  out.push(`- **Module:** ${data.module}`);
  out.push(`- **Mode:** ${data.mode}`);
  out.push(`- **Date:** ${data.date.toISOString().slice(0, 10)}`);
  out.push(`- **Status:** ${data.status}`, '');

  for (const turn of data.turns) {
    const asker = turn.panelist ? ` (${mdInline(panelistLabel(turn.panelist))})` : '';
    out.push(`## Round ${turn.round}: ${turnLabel(turn, data.turns)}${asker}`, '');
    if (turn.handOver) out.push(`_${mdInline(turn.handOver)}_`, '');
    out.push(quoteBlock(turn.question), '');
    out.push('### Answer', '');
    out.push(turn.answer?.trim() ? mdBlock(turn.answer) : '_Not answered._', '');
    const fb = turn.feedback;
    if (fb) {
      if (fb.scores) {
        out.push('### Scores', '');
        for (const d of SCORE_DIMENSIONS) {
          const score = fb.scores[d];
          if (score === undefined) continue;
          const reason = fb.reasons?.[d];
          out.push(`- **${DIMENSION_LABEL[d]}:** ${score}/5${reason ? ` - ${mdInline(reason)}` : ''}`);
        }
        out.push('');
      }
      list(out, 'Strengths', fb.strengths);
      list(out, 'Gaps', fb.gaps);
      if (fb.critique?.trim()) out.push('### Critique', '', mdBlock(fb.critique), '');
      if (fb.rewrite?.trim()) out.push('### Suggested rewrite', '', mdBlock(fb.rewrite), '');
      if (fb.drill?.trim()) out.push('### Drill', '', mdBlock(fb.drill), '');
    }
    const cites = [...(turn.citations ?? []), ...(fb?.citations ?? [])]
      .map(citationText)
      .filter((c): c is string => c !== null);
    list(out, 'Citations', [...new Set(cites)]);
  }

  if (data.debrief) {
    const d = data.debrief;
    out.push('## Debrief', '');
    out.push(`Answered: ${d.answered}`, '');
    out.push('### Average scores', '');
    for (const k of SCORE_DIMENSIONS) out.push(`- **${DIMENSION_LABEL[k]}:** ${d.scores[k]}/5`);
    out.push('');
    list(out, 'Strengths', d.strengths);
    list(out, 'Gaps', d.gaps);
    list(out, 'Drills', d.drills);
  }
  if (data.panel) out.push(...panelMarkdown(data.panel, data.turns));
  return `${out.join('\n').trimEnd()}\n`;
}

function list(out: string[], heading: string, items: string[] | undefined): void {
  if (!items?.length) return;
  out.push(`### ${heading}`, '');
  for (const item of items) out.push(`- ${mdInline(item).replace(/\n+/g, ' ')}`);
  out.push('');
}

// ---- PDF ----

const REPLACEMENTS: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2032': "'",
  '\u2033': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2012': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u2022': '-',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u00d7': 'x',
  '\u2713': 'v',
  '\u2714': 'v',
};

/** Text Helvetica (WinAnsi) can draw: known substitutions, accents stripped, anything else as '?'. */
export function winAnsiSafe(text: string, font: PDFFont): string {
  const supported = new Set(font.getCharacterSet());
  let out = '';
  for (const ch of text.replace(/\t/g, '    ')) {
    const code = ch.codePointAt(0)!;
    if (supported.has(code)) {
      out += ch;
      continue;
    }
    const rep = REPLACEMENTS[ch];
    if (rep !== undefined) {
      out += rep;
      continue;
    }
    const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    if (base && [...base].every((c) => supported.has(c.codePointAt(0)!))) out += base;
    else if (/\p{Extended_Pictographic}|\u200b|\u200c|\u200d|\ufe0f|[\u{1f3fb}-\u{1f3ff}]/u.test(ch))
      continue;
    else out += '?';
  }
  return out;
}

interface Block {
  text: string;
  size: number;
  bold?: boolean;
  indent?: number;
  gapBefore?: number;
}

/** The Markdown export as PDF blocks: headings bold and larger, escapes removed. */
function toBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  const unescape = (s: string) => s.replace(/\\([\\`*_[\]<>|#>+=~.)-])/g, '$1').replace(/\*\*/g, '');
  for (const raw of md.split('\n')) {
    if (!raw.trim()) {
      blocks.push({ text: '', size: 5 });
      continue;
    }
    const h = /^(#{1,3}) (.*)$/.exec(raw);
    if (h) {
      const level = h[1]!.length;
      blocks.push({
        text: unescape(h[2]!),
        size: level === 1 ? 16 : level === 2 ? 13 : 11,
        bold: true,
        gapBefore: level === 1 ? 0 : 6,
      });
    } else if (raw.startsWith('> ') || raw === '>') {
      blocks.push({ text: unescape(raw.slice(2)), size: 10.5, indent: 12 });
    } else if (raw.startsWith('- ')) {
      blocks.push({ text: `- ${unescape(raw.slice(2))}`, size: 10, indent: 6 });
    } else {
      blocks.push({ text: unescape(raw.replace(/^_(.*)_$/, '$1')), size: 10 });
    }
  }
  return blocks;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    // A word wider than the line is broken by characters.
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let n = rest.length - 1;
      while (n > 1 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
      lines.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    line = rest;
  }
  lines.push(line);
  return lines;
}

export async function toPdf(data: SessionExport): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Interview practice: ${data.jobTitle}`);
  doc.setCreator('Interview Helper');
  doc.setCreationDate(data.date);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const [pageW, pageH] = [595.28, 841.89]; // A4
  const margin = 50;
  let page = doc.addPage([pageW, pageH]);
  let y = pageH - margin;

  for (const block of toBlocks(toMarkdown(data))) {
    const font = block.bold ? bold : regular;
    const indent = block.indent ?? 0;
    const lineHeight = block.size * 1.35;
    y -= block.gapBefore ?? 0;
    if (!block.text) {
      y -= block.size;
      continue;
    }
    const text = winAnsiSafe(block.text, font);
    for (const line of wrap(text, font, block.size, pageW - 2 * margin - indent)) {
      if (y - lineHeight < margin) {
        page = doc.addPage([pageW, pageH]);
        y = pageH - margin;
      }
      y -= lineHeight;
      page.drawText(line, { x: margin + indent, y, size: block.size, font, color: rgb(0.1, 0.1, 0.1) });
    }
  }
  return doc.save();
}

export function createExportService(deps: ApiDeps) {
  const sessions = createSessionService(deps);
  return {
    /** The session as an export; 404 for an unknown session or another owner's. */
    async of(ownerId: string, id: string): Promise<SessionExport> {
      const row = await sessions.row(ownerId, id);
      const s = await sessions.get(ownerId, id);
      const job = await jobs.ofOwner(deps.db, ownerId, row.jobId);
      return {
        jobTitle: job?.title ?? 'Job',
        company: job?.company ?? '',
        module: s.module,
        mode: s.mode,
        status: s.status,
        date: row.createdAt,
        turns: s.turns,
        ...(s.debrief && { debrief: s.debrief as Debrief }),
        ...(s.panel && { panel: s.panel }),
      };
    },
  };
}
