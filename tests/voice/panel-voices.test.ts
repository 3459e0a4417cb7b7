// The mock panel's voices as a candidate hears them on a machine set up by `npm start` alone (no Debian
// espeak-ng): the Piper voice and its pitch variants, spoken by the real model, measured for pitch and
// length, and transcribed by the embedded whisper. Nothing here is faked but the absence of espeak-ng.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { concatSamples } from '../../core/audio/samples.js';
import { ensurePiperVoice } from '../../scripts/lib/tts-model.mjs';
import { createAsrEngine } from '../../voice/asr/index.js';
import { createTtsEngine } from '../../voice/tts/index.js';
import { panelVoices, PIPER_VARIANTS, voiceChooser, type VoiceChooser } from '../../voice/tts/voices.js';
import type { AsrEngine, TtsEngine } from '../../voice/types.js';
import { resample } from '../../voice/wav.js';
import { medianPitch } from '../support/pitch.js';
import { wordErrorRate } from '../support/speech.js';

const config = loadConfig({});
/** Four questions (about 11 s), so one sentence's chance length does not decide the comparison. */
const QUESTIONS = [
  'Tell me about a project you are proud of.',
  'What was your role in it, and what did you change?',
  'Finally, what would you do differently if you started again tomorrow?',
  'Walk me through how you would design a rate limiter for a public API.',
];
/** whisper hears the first two (about 5 s): on this shared 2-core machine it needs seconds per second of speech. */
const TRANSCRIBED = 2;
/** Synthesis, the pitch of 11 s and whisper on 5 s, on a busy machine. */
const TIMEOUT_MS = 240_000;

interface Heard {
  pitchHz: number;
  seconds: number;
  wer: number;
  text: string;
}

let tts: TtsEngine;
let asr: AsrEngine;
let choose: VoiceChooser;
const heard = new Map<string, Heard>();

/** `voice` speaking the questions: its pitch, its length, and what whisper made of it. */
async function hear(voice: string): Promise<Heard> {
  const known = heard.get(voice);
  if (known) return known;
  const parts: Float32Array[] = [];
  let rate = 0;
  // One chunk per sentence (speakableSentences), so the first chunks are the first questions.
  for await (const chunk of choose(voice).synthesize(QUESTIONS.join(' '))) {
    if (chunk.kind !== 'pcm') throw new Error('expected PCM from the Piper engine');
    parts.push(chunk.samples);
    rate = chunk.sampleRate;
  }
  const samples = concatSamples(parts);
  expect(parts).toHaveLength(QUESTIONS.length);
  const spoken = concatSamples(parts.slice(0, TRANSCRIBED));
  const t = await asr.transcribe({ samples: resample(spoken, rate, 16_000), sampleRate: 16_000 });
  const result = {
    pitchHz: medianPitch(samples, rate),
    seconds: samples.length / rate,
    wer: wordErrorRate(QUESTIONS.slice(0, TRANSCRIBED).join(' '), t.text),
    text: t.text,
  };
  heard.set(voice, result);
  return result;
}

beforeAll(async () => {
  await ensurePiperVoice(process.cwd());
  tts = await createTtsEngine({ ...config, TTS_PROVIDER: 'piper' });
  asr = await createAsrEngine({ ...config, ASR_PROVIDER: 'whisper' });
  // The machine `npm start` sets up: Piper, and no espeak-ng.
  choose = voiceChooser(
    tts,
    () => {
      throw new Error('espeak-ng is not installed here');
    },
    () => false,
  );
});
afterAll(async () => {
  await tts?.close();
  await asr?.close();
});

const VARIANTS = Object.entries(PIPER_VARIANTS).filter(([, pitch]) => pitch !== 1);

describe('the Piper variants of a mock panel', () => {
  it.each(VARIANTS)(
    'piper:%s speaks at its pitch (×%s of the plain voice), as long as it',
    async (name, factor) => {
      const plain = await hear('piper:joe');
      const variant = await hear(`piper:${name}`);
      const ratio = variant.pitchHz / plain.pitchHz;
      expect(
        ratio,
        `${variant.pitchHz.toFixed(1)} Hz against ${plain.pitchHz.toFixed(1)} Hz`,
      ).toBeGreaterThan(factor * 0.94);
      expect(ratio).toBeLessThan(factor * 1.06);
      expect(
        variant.seconds / plain.seconds,
        `${variant.seconds} s against ${plain.seconds} s`,
      ).toBeGreaterThan(0.85);
      expect(variant.seconds / plain.seconds).toBeLessThan(1.15);
    },
    TIMEOUT_MS,
  );

  it.each(Object.keys(PIPER_VARIANTS))(
    'piper:%s is transcribed by whisper with few errors',
    async (name) => {
      const { wer, text } = await hear(`piper:${name}`);
      // The plain voice's own errors are of this size ("you were proud of"): the variants add none to speak of.
      expect(wer, `"${text}"`).toBeLessThanOrEqual(0.2);
    },
    TIMEOUT_MS,
  );

  it(
    'gives three panelists of a template saved with espeak-ng voices three voices a semitone or more apart',
    async () => {
      const saved = ['espeak:en-us+f3', 'piper:en_US-joe-medium', 'espeak:en-gb+m3'];
      const voices = panelVoices(saved, { piper: true, espeak: false });
      expect(new Set(voices.map((v) => choose(v))).size).toBe(3);
      const pitches: number[] = [];
      for (const v of voices) pitches.push((await hear(v)).pitchHz);
      pitches.sort((a, b) => a - b);
      for (let i = 1; i < pitches.length; i++)
        expect(pitches[i]! / pitches[i - 1]!, pitches.join(', ')).toBeGreaterThan(2 ** (1 / 12));
    },
    TIMEOUT_MS,
  );
});
