// The Silero detector on real speech: espeak-ng clips (tests/support/speech.ts) resampled to 16 kHz, fed
// through the real silero_vad_v5.onnx from @ricky0123/vad-web on onnxruntime-web's wasm backend in Node,
// 100 ms at a time as the microphone's worklet sends them, on a clock that advances with the audio.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-web/wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { resample } from '../../../../core/audio/resample.js';
import { SPOKEN_ANSWER, speak } from '../../../../tests/support/speech.js';
import { decodeWav } from '../../../../voice/wav.js';
import { EndOfTurn } from './end-of-turn';
import { Silero } from './silero';
import { SileroDetector } from './speech-detector';

const require = createRequire(import.meta.url);
const MODEL = require.resolve('@ricky0123/vad-web/dist/silero_vad_v5.onnx');
const CHUNK_MS = 100;

let model: Silero;

beforeAll(async () => {
  model = await Silero.create(ort, await readFile(MODEL));
});

async function samples16k(wav: string): Promise<Float32Array> {
  const { samples, sampleRate } = decodeWav(await readFile(wav));
  return resample(samples, sampleRate, 16_000);
}

/** Concatenates clips and silences (seconds). */
function join(...parts: (Float32Array | number)[]): Float32Array {
  const arrays = parts.map((p) => (typeof p === 'number' ? new Float32Array(Math.round(p * 16_000)) : p));
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** White noise at `db` dBFS (a fan, a quiet room), seeded so a run is repeatable. */
function noise(seconds: number, db: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * 16_000));
  const a = 10 ** (db / 20) * Math.sqrt(3);
  let x = 12345;
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out[i] = a * (2 * (x / 2 ** 31) - 1);
  }
  return out;
}

interface Run {
  /** The verdict after each 100 ms chunk, with the chunk's end time (ms from the start of the audio). */
  verdicts: { t: number; speech: boolean }[];
  onsets: number[];
}

/** Feeds `audio` through a fresh detector in 100 ms chunks, as in real time. */
async function detect(audio: Float32Array, each?: (speech: boolean, t: number) => void): Promise<Run> {
  let now = 0;
  const onsets: number[] = [];
  const detector = new SileroDetector(model, { now: () => now, onspeechstart: (at) => onsets.push(at) });
  const verdicts: Run['verdicts'] = [];
  const step = (CHUNK_MS * 16_000) / 1000;
  for (let at = 0; at < audio.length; at += step) {
    now = ((at + step) / 16_000) * 1000;
    detector.push(audio.subarray(at, at + step));
    await detector.settled();
    const speech = detector.speaking();
    verdicts.push({ t: now, speech });
    each?.(speech, now);
  }
  return { verdicts, onsets };
}

const spans = (run: Run) => {
  const out: { from: number; to: number }[] = [];
  for (const v of run.verdicts) {
    const last = out.at(-1);
    if (v.speech && last && last.to === v.t - CHUNK_MS) last.to = v.t;
    else if (v.speech) out.push({ from: v.t, to: v.t });
  }
  return out;
};

describe('the Silero speech detector on real audio', () => {
  it('hears no speech in digital silence or a steady fan-like hiss at -35 dBFS', async () => {
    const run = await detect(join(1, noise(3, -35), 1));
    expect(run.verdicts.some((v) => v.speech)).toBe(false);
    expect(run.onsets).toEqual([]);
  });

  it('hears a spoken answer from its first word, placing the onset where its sound begins, and not in the silence around it', async () => {
    const speech = await samples16k(await speak(SPOKEN_ANSWER, { speed: 150, pad: 0 }));
    const run = await detect(join(1, speech, 2));
    const found = spans(run);
    const speechEndMs = 1000 + (speech.length / 16_000) * 1000;
    expect(found.length).toBeGreaterThan(0);
    // Recognised within 200 ms of the first word (two 32 ms frames, and the chunk the worklet sends).
    expect(found[0]!.from).toBeGreaterThanOrEqual(1000);
    expect(found[0]!.from).toBeLessThanOrEqual(1200);
    // The onset it reports is the sound's own start (espeak's first word begins within ~50 ms of the clip).
    expect(run.onsets[0]).toBeGreaterThanOrEqual(990);
    expect(run.onsets[0]).toBeLessThanOrEqual(1080);
    // Nothing is heard once the answer is over.
    expect(found.at(-1)!.to).toBeLessThanOrEqual(speechEndMs + 300);
    expect(run.verdicts.filter((v) => v.t > speechEndMs + 300).some((v) => v.speech)).toBe(false);
  });

  it('hears speech over the hiss', async () => {
    const speech = await samples16k(await speak('The latency fell by forty percent.', { pad: 0 }));
    const hiss = noise(1 + speech.length / 16_000 + 1, -35);
    const mixed = join(1, speech, 1).map((s, i) => s + hiss[i]!);
    const found = spans(await detect(mixed));
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.from).toBeLessThanOrEqual(1200);
  });

  it('a 2.5 s pause after "…three stages, and" does not end a 2 s turn; the silence after the finished answer does', async () => {
    const first = await samples16k(await speak('I planned the rollout in three stages, and', { pad: 0 }));
    const second = await samples16k(await speak('the latency fell by forty percent.', { pad: 0 }));
    const audio = join(0.5, first, 2.5, second, 3);
    const secondAt = 500 + (first.length / 16_000) * 1000 + 2500;
    // The partial transcripts the session stream gives while the candidate speaks (here: given).
    const turn = new EndOfTurn({ silenceMs: 2000 });
    let endedAt: number | null = null;
    await detect(audio, (speech, t) => {
      if (t > 1000) turn.transcript('I planned the rollout in three stages, and');
      if (t > secondAt + 500)
        turn.transcript('I planned the rollout in three stages, and the latency fell by forty percent.');
      if (turn.update(speech, t) === 'ended') endedAt ??= t;
    });
    // Where the last word's sound ends (espeak-ng leaves some quiet at the end of its clip).
    const answerEnd = secondAt + (second.findLastIndex((s) => Math.abs(s) >= 0.01) / 16_000) * 1000;
    expect(endedAt).not.toBeNull();
    expect(endedAt!).toBeGreaterThanOrEqual(answerEnd + 2000 - CHUNK_MS);
    expect(endedAt!).toBeLessThanOrEqual(answerEnd + 2500);
  });
});

describe('the Silero speech detector when the model fails', () => {
  it('reports the error once, stops judging, and hears nothing more', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const broken = {
      probability: async () => {
        calls++;
        throw new Error('wasm trap');
      },
      reset: () => {},
    };
    const detector = new SileroDetector(broken, { onerror: (e) => errors.push(e), now: () => 0 });
    detector.push(new Float32Array(512 * 3).fill(0.3));
    await detector.settled();
    detector.push(new Float32Array(512).fill(0.3));
    await detector.settled();
    expect(errors).toHaveLength(1);
    expect(calls).toBe(1);
    expect(detector.speaking()).toBe(false);
  });
});
