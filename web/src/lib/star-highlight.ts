// Splits an answer into plain text and the STAR parts the coach quoted from it, for highlighting.

export const STAR_PARTS = ['situation', 'task', 'action', 'result'] as const;
export type StarPart = (typeof STAR_PARTS)[number];

export interface StarSegment {
  text: string;
  part: StarPart | null;
}

/** Where `quote` occurs in `text`: exactly, else without surrounding quotes / a final full stop. */
function locate(text: string, quote: string): { start: number; end: number } | null {
  const candidates = [
    quote,
    quote.trim(),
    quote
      .trim()
      .replace(/^["“']|["”']$/g, '')
      .replace(/[.!?]$/, ''),
  ];
  for (const q of candidates) {
    if (!q) continue;
    const start = text.indexOf(q);
    if (start >= 0) return { start, end: start + q.length };
  }
  return null;
}

/** The answer as segments, each quoted part (found, not overlapping an earlier one) marked. */
export function starSegments(
  answer: string,
  parts: Partial<Record<StarPart, string | null>> | undefined,
): StarSegment[] {
  const ranges: { start: number; end: number; part: StarPart }[] = [];
  for (const part of STAR_PARTS) {
    const quote = parts?.[part];
    if (!quote) continue;
    const r = locate(answer, quote);
    if (!r || ranges.some((x) => r.start < x.end && x.start < r.end)) continue;
    ranges.push({ ...r, part });
  }
  ranges.sort((x, y) => x.start - y.start);
  const out: StarSegment[] = [];
  let pos = 0;
  for (const r of ranges) {
    if (r.start > pos) out.push({ text: answer.slice(pos, r.start), part: null });
    out.push({ text: answer.slice(r.start, r.end), part: r.part });
    pos = r.end;
  }
  if (pos < answer.length || out.length === 0) out.push({ text: answer.slice(pos), part: null });
  return out;
}
