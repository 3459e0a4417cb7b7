// whisper.cpp through smart-whisper: the embedded recogniser. The model is loaded once; calls are
// serialised, because one whisper context decodes one stream at a time and the 2 cores are better
// spent on one call with both threads than on two calls fighting for them.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { TranscribeTask, WhisperModel, type TranscribeDetailedResult } from 'smart-whisper';
import { speechRegions } from '../audio.js';
import type { AsrEngine, Pcm16k, TimedWord, Transcript } from '../types.js';

export interface WhisperOptions {
  modelPath: string;
  threads: number;
  /** Appended to the "model file not found" error: how to get one. */
  fetchHint: string;
}

/** whisper's encoder sees 30 s windows of 1500 frames (50 per second). */
const FRAMES_PER_SECOND = 50;
const FULL_WINDOW_FRAMES = 1500;

/**
 * The encoder context for a clip: only as many frames as the audio fills, plus a margin. whisper.cpp
 * pads every call to 30 s otherwise (4-5x slower on short answers, no better). Clips that fill a
 * window use the full context, or their later windows would be cut.
 */
export function audioContext(seconds: number): number {
  const frames = Math.ceil(seconds * FRAMES_PER_SECOND) + 64;
  return frames >= FULL_WINDOW_FRAMES ? 0 : frames;
}

/**
 * Ids from here on are not text in either vocabulary: <|endoftext|> of the English-only models (50256,
 * an empty token in the multilingual ones), then start, language, task and timestamp tokens.
 */
const FIRST_SPECIAL_TOKEN = 50256;

const PUNCTUATION_ONLY = /^[\p{P}\s]+$/u;

type Segment = TranscribeDetailedResult<true>;

/**
 * Whisper's tokens to words: a token with a leading space starts a word, others (word pieces, attached
 * punctuation) extend it, so the words line up with the text split on whitespace. A word's end is its
 * last non-punctuation token's: whisper stamps trailing commas late, which would hide pauses.
 */
export function wordsOf(segments: Segment[]): TimedWord[] {
  const words: TimedWord[] = [];
  let current: { word: string; start: number; end: number } | undefined;
  for (const segment of segments) {
    for (const token of segment.tokens) {
      if (token.id >= FIRST_SPECIAL_TOKEN) continue;
      const text = token.text;
      const starts = /^\s/.test(text) || current === undefined;
      if (starts) {
        const word = text.trim();
        if (!word) continue;
        if (current) words.push(current);
        current = { word, start: token.from / 1000, end: token.to / 1000 };
      } else if (current) {
        current.word += text;
        if (!PUNCTUATION_ONLY.test(text)) current.end = token.to / 1000;
      }
    }
  }
  if (current) words.push(current);
  return words;
}

/** whisper.cpp skips calls shorter than 1 s; a short answer ("Yes.") is padded to this. */
const MIN_CALL_SAMPLES = Math.round(1.1 * 16000);

/**
 * The most tokens a segment of `seconds` of speech may hold: fast speech is about 4 words a second and a
 * word about 1.5 tokens, so 8 a second with room for punctuation and a short clip's first words.
 */
export const maxTokensFor = (seconds: number): number => Math.ceil(8 * seconds) + 8;
/** Silences this long or longer split the audio into separate calls. */
const SPLIT_AT_SILENCE_SEC = 1;
/** Audio kept on each side of a part's sound, so no word's onset or tail is cut. */
const PART_MARGIN_SEC = 0.2;

interface Part {
  from: number;
  to: number;
  /** Where the sound in it is: its words' times are held inside this span. */
  voiced: { start: number; end: number };
}

/**
 * The stretches of the answer to transcribe, one call each. whisper.cpp's token times (no DTW in this
 * binding) drift across silences: a word before a 2.5 s pause was stamped as lasting through it. Cutting
 * at the silences the VAD finds, and keeping each part's words inside its sound, makes the pauses between
 * parts exact (measured on the audio) and spares whisper the silence (faster, no hallucinated "Thank you").
 */
function partsOf(audio: Pcm16k): Part[] {
  const durationSec = audio.samples.length / audio.sampleRate;
  const regions = speechRegions(audio, SPLIT_AT_SILENCE_SEC);
  // Too quiet for the VAD (a faint recording): let whisper judge the whole of it.
  if (regions.length === 0) return [{ from: 0, to: durationSec, voiced: { start: 0, end: durationSec } }];
  return regions.map((r) => ({
    from: Math.max(0, r.start - PART_MARGIN_SEC),
    to: Math.min(durationSec, r.end + PART_MARGIN_SEC),
    voiced: r,
  }));
}

export async function createWhisperAsr({
  modelPath,
  threads,
  fetchHint,
}: WhisperOptions): Promise<AsrEngine> {
  if (!existsSync(modelPath))
    throw new Error(`the whisper model file ${modelPath} does not exist. ${fetchHint}`);
  const model = await WhisperModel.load(modelPath, false);
  const name = `whisper ${basename(modelPath).replace(/^ggml-|\.bin$/g, '')} (local)`;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function recognise(samples: Float32Array, speechSec: number): Promise<Segment[]> {
    const task = await TranscribeTask.run<'detail', true>(model, samples, {
      language: 'en',
      n_threads: threads,
      strategy: 0, // greedy: beam search costs 3-5x for little on clear speech
      // Greedy decoding can loop on a short clip ("five five" became "5" 217 times, in 47 s): a decode that
      // repeats itself (low entropy) is tried again at a higher temperature, and no segment may hold more
      // tokens than anyone can say in the time.
      temperature_inc: 0.2,
      max_tokens: maxTokensFor(speechSec),
      audio_ctx: audioContext(samples.length / 16000),
      format: 'detail',
      token_timestamps: true,
      suppress_non_speech_tokens: true,
    });
    return task.result;
  }

  async function run(audio: Pcm16k): Promise<Transcript> {
    const durationSec = audio.samples.length / audio.sampleRate;
    if (audio.samples.length === 0) return { text: '', words: [], durationSec, engine: name };
    const texts: string[] = [];
    const words: TimedWord[] = [];
    for (const part of partsOf(audio)) {
      let samples = audio.samples.subarray(Math.round(part.from * 16000), Math.round(part.to * 16000));
      if (samples.length < MIN_CALL_SAMPLES) {
        // whisper.cpp returns nothing for less than a second of audio: pad with silence
        const padded = new Float32Array(MIN_CALL_SAMPLES);
        padded.set(samples);
        samples = padded;
      }
      const segments = await recognise(samples, part.to - part.from);
      texts.push(segments.map((s) => s.text).join(''));
      const clamp = (t: number) => Math.min(part.voiced.end, Math.max(part.voiced.start, t + part.from));
      for (const w of wordsOf(segments))
        words.push({ word: w.word, start: clamp(w.start), end: clamp(w.end) });
    }
    const text = texts.join(' ').replace(/\s+/g, ' ').trim();
    return { text, words, durationSec, engine: name };
  }

  return {
    name,
    transcribe(audio) {
      if (closed) return Promise.reject(new Error('the whisper engine is closed'));
      if (audio.sampleRate !== 16000)
        return Promise.reject(new Error(`whisper needs 16 kHz audio, got ${audio.sampleRate} Hz`));
      const next = queue.then(() => run(audio));
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      closed = true;
      await queue;
      await model.free();
    },
  };
}
