// How the speech metrics of a voice answer (Feedback.speech) are shown: pace against the target band,
// durations, and the transcript cut into words with fillers and long pauses marked.
import type { SpeechMetrics } from '../api';

/** The pace interviewers find easy to follow, in words per minute. */
export const WPM_BAND = { min: 130, max: 160 } as const;

export type Pace = 'slow' | 'good' | 'fast';

export function pace(wpm: number): Pace {
  if (wpm < WPM_BAND.min) return 'slow';
  if (wpm > WPM_BAND.max) return 'fast';
  return 'good';
}

export function paceText(wpm: number): string {
  const p = pace(wpm);
  if (p === 'good') return `within the ${WPM_BAND.min}–${WPM_BAND.max} target`;
  if (p === 'slow') return `below the ${WPM_BAND.min}–${WPM_BAND.max} target: speed up a little`;
  return `above the ${WPM_BAND.min}–${WPM_BAND.max} target: slow down a little`;
}

/** Where `wpm` sits on a 0..1 scale running from 80 to 210 wpm (the band in the middle). */
export function paceScale(wpm: number, lo = 80, hi = 210): number {
  return Math.min(1, Math.max(0, (wpm - lo) / (hi - lo)));
}

/** "0:42", "1:05", "12:00". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "2.4 s". */
export function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(1)} s`;
}

/** Fillers per minute with one decimal, and a verdict: more than 3 a minute is noticeable. */
export function fillerText(perMin: number): string {
  const n = perMin.toFixed(1);
  return perMin <= 3 ? `${n} per minute — fine` : `${n} per minute — try pausing silently instead`;
}

export type TranscriptPiece =
  | { kind: 'word'; text: string; filler: boolean; index: number }
  | { kind: 'space'; text: string }
  | { kind: 'pause'; seconds: number };

/**
 * The transcript as the user reads it: words (indexes as in `text.split(/\s+/)` of the trimmed
 * text, the way the server counts them), the spaces between, and a pause marker after each word a
 * long pause followed.
 */
export function transcriptPieces(
  text: string,
  speech: Pick<SpeechMetrics, 'fillerWordIndexes' | 'longPauses'>,
): TranscriptPiece[] {
  const fillers = new Set(speech.fillerWordIndexes);
  const pauses = new Map<number, number>();
  for (const p of speech.longPauses) pauses.set(p.afterWord, p.seconds);
  const out: TranscriptPiece[] = [];
  let index = 0;
  for (const part of text.trim().split(/(\s+)/)) {
    if (part === '') continue;
    if (/^\s+$/.test(part)) {
      out.push({ kind: 'space', text: part });
      continue;
    }
    out.push({ kind: 'word', text: part, filler: fillers.has(index), index });
    const pause = pauses.get(index);
    if (pause !== undefined) out.push({ kind: 'pause', seconds: pause });
    index++;
  }
  return out;
}
