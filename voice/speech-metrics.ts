// How an answer sounded, from its transcript: pace, filler words and long silences. Pure functions; the
// indexes point into the transcript's text split on whitespace, which is what the UI highlights. Fillers
// are found as the rubric finds them in a written answer (core/text), so the two never disagree.
import { findFillers } from '../core/text/index.js';
import type { SpeechMetrics } from '../core/types.js';
import type { TimedWord, Transcript } from './types.js';

/** A silence between two words this long or longer is reported. */
export const LONG_PAUSE_SEC = 2;

const normal = (w: string) => w.toLowerCase().replace(/[^\p{L}\p{N}']/gu, '');

/**
 * The index in the whitespace-split text of each timed word. Whisper and pocketsphinx words are the text's
 * words one for one; an endpoint's word list may differ (punctuation, numbers), so match them in order.
 */
function alignWords(tokens: string[], words: TimedWord[]): number[] {
  if (tokens.length === words.length) return words.map((_, i) => i);
  const bare = tokens.map(normal);
  const out: number[] = [];
  let at = 0;
  for (const w of words) {
    const target = normal(w.word);
    let found = -1;
    for (let j = at; j < Math.min(bare.length, at + 4); j++) {
      if (bare[j] === target || (target && bare[j]!.includes(target))) {
        found = j;
        break;
      }
    }
    const index = found >= 0 ? found : Math.min(at, Math.max(0, bare.length - 1));
    out.push(index);
    at = found >= 0 ? found + 1 : at + 1;
  }
  return out;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function speechMetrics(transcript: Transcript): SpeechMetrics {
  const text = transcript.text.trim();
  const tokens = text ? text.split(/\s+/) : [];
  const words = transcript.words.filter((w) => Number.isFinite(w.start) && Number.isFinite(w.end));

  const longPauses: SpeechMetrics['longPauses'] = [];
  let speakingSec = transcript.durationSec;
  if (words.length > 0) {
    const at = alignWords(tokens, words);
    let paused = 0;
    for (let i = 0; i + 1 < words.length; i++) {
      const gap = words[i + 1]!.start - words[i]!.end;
      if (gap >= LONG_PAUSE_SEC) {
        longPauses.push({ afterWord: at[i]!, seconds: round1(gap) });
        paused += gap;
      }
    }
    // From the first word to the last, without the long silences: the pace while actually talking.
    speakingSec = Math.max(0, words[words.length - 1]!.end - words[0]!.start - paused);
  }

  const fillers = findFillers(text);
  const counts = new Map<string, number>();
  for (const f of fillers) counts.set(f.word, (counts.get(f.word) ?? 0) + 1);
  const minutes = speakingSec / 60;
  return {
    durationSec: round1(transcript.durationSec),
    words: tokens.length,
    wpm: minutes > 0 ? Math.round(tokens.length / minutes) : 0,
    fillerCount: fillers.length,
    fillersPerMin: minutes > 0 ? round1(fillers.length / minutes) : 0,
    fillers: [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([word, count]) => ({ word, count })),
    fillerWordIndexes: fillers.flatMap((f) => f.indexes).sort((a, b) => a - b),
    longPauses,
  };
}
