// How an answer sounded, from its transcript: pace, filler words and long silences. Pure functions; the
// indexes point into the transcript's text split on whitespace, which is what the UI highlights.
import type { SpeechMetrics } from '../core/types.js';
import type { TimedWord, Transcript } from './types.js';

/** A silence between two words this long or longer is reported. */
export const LONG_PAUSE_SEC = 2;

/** Hesitation sounds: always fillers, whatever surrounds them. */
const HESITATIONS = new Map<string, string>([
  ['um', 'um'],
  ['umm', 'um'],
  ['uhm', 'um'],
  ['uh', 'uh'],
  ['uhh', 'uh'],
  ['er', 'er'],
  ['erm', 'er'],
  ['ah', 'ah'],
  ['ahh', 'ah'],
]);

/** Adverbs that in a spoken answer almost always pad rather than mean. */
const PADDING = new Set(['basically', 'actually']);

/** Words before "kind of" / "sort of" that make it a noun phrase ("a kind of index"), not a hedge. */
const DETERMINERS = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those', 'what', 'which', 'some', 'any', 'every', 'each', 'one',
  'same', 'different', 'all', 'no', 'another', 'other', 'my', 'our', 'your', 'their', 'his', 'her', 'its',
]); // prettier-ignore

interface Token {
  /** Lower case, without surrounding punctuation. */
  bare: string;
  /** Punctuation right after the word ("," in "like,"). */
  after: string;
  /** Punctuation right before it ("—" in "—like"). */
  before: string;
}

function tokenize(text: string): Token[] {
  const raw = text.trim() ? text.trim().split(/\s+/) : [];
  return raw.map((t) => {
    const m = /^([^\p{L}\p{N}']*)(.*?)([^\p{L}\p{N}']*)$/u.exec(t)!;
    return { before: m[1]!, bare: m[2]!.toLowerCase().replace(/^'+|'+$/g, ''), after: m[3]! };
  });
}

const pauseAfter = (t: Token | undefined) => !t || /[,;:.!?—–-]/.test(t.after);
const sentenceEndAfter = (t: Token | undefined) => !t || /[.!?]/.test(t.after);

/**
 * Which tokens are fillers, each occurrence as the indexes of its words. The ambiguous ones count only
 * where they do no grammatical work, judged from the punctuation the recogniser wrote and the neighbours:
 * - "like": followed by a pause (", like, we", "Like, I", "—like") or next to another filler; "I like Go",
 *   "looks like a bug", "tools, like Kafka" are not.
 * - "so": opening the whole answer ("So I joined…", the classic verbal run-up), or set off by a comma
 *   ("So, …", ", so, …"); "so that", "so much", "and so we shipped" are not.
 * - "you know", "I mean": followed by a pause or at the end ("…, you know, …", "I mean, …"); "do you know
 *   why" and "what I mean is" are not.
 * - "kind of", "sort of": as hedges ("I kind of led it"), not after a determiner ("a kind of cache").
 * Without punctuation (pocketsphinx writes none) only the unambiguous fillers and an opening "so" count.
 */
export function findFillers(text: string): { word: string; indexes: number[] }[] {
  const tokens = tokenize(text);
  const found: { word: string; indexes: number[] }[] = [];
  const isHesitation = (i: number) => tokens[i] !== undefined && HESITATIONS.has(tokens[i]!.bare);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const hesitation = HESITATIONS.get(t.bare);
    if (hesitation) {
      found.push({ word: hesitation, indexes: [i] });
    } else if (PADDING.has(t.bare)) {
      found.push({ word: t.bare, indexes: [i] });
    } else if (t.bare === 'like') {
      // A comma before it alone is not enough: "tools, like Kafka" is a preposition.
      const setOff = /[,;:—–-]/.test(t.after) || /[—–-]/.test(t.before);
      if (setOff || isHesitation(i - 1) || isHesitation(i + 1)) found.push({ word: 'like', indexes: [i] });
    } else if (t.bare === 'so') {
      const opens = i === 0;
      const commaSetOff = /,/.test(t.after) && (prev === undefined || pauseAfter(prev));
      if (opens || commaSetOff || isHesitation(i - 1) || isHesitation(i + 1))
        found.push({ word: 'so', indexes: [i] });
    } else if ((t.bare === 'you' && next?.bare === 'know') || (t.bare === 'i' && next?.bare === 'mean')) {
      const last = i + 1 === tokens.length - 1;
      if ((last || pauseAfter(next)) && next!.after !== '?') {
        found.push({ word: `${t.bare === 'i' ? 'I' : t.bare} ${next!.bare}`, indexes: [i, i + 1] });
        i++;
      }
    } else if ((t.bare === 'kind' || t.bare === 'sort') && next?.bare === 'of' && !/[,.!?]/.test(t.after)) {
      if (!prev || !DETERMINERS.has(prev.bare) || sentenceEndAfter(prev)) {
        found.push({ word: `${t.bare} of`, indexes: [i, i + 1] });
        i++;
      }
    }
  }
  return found;
}

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
