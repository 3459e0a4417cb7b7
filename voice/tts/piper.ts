// The embedded neural voice: a Piper VITS model run by sherpa-onnx-node (ONNX Runtime + its own espeak-ng
// phonemizer), offline. The model is prepared by `npm run setup` (scripts/lib/tts-model.mjs).
//
// sherpa-onnx's generate() is synchronous and held the event loop for the whole sentence when measured
// (234 ms for a 4.5 s sentence); its createAsync()/generateAsync() run on libuv's thread pool instead
// (event-loop lag at most 3 ms while loading and speaking), so no worker_thread of our own is needed.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { findEspeakNgData, PIPER_VOICE } from '../../core/models.mjs';
import { readMetadata } from './onnx-metadata.mjs';
import { speakableSentences } from '../../core/text/index.js';
import type { SpeechChunk, TtsEngine } from '../types.js';
import { shiftPitch } from './pitch.js';

/** The part of sherpa-onnx-node (CommonJS, no type declarations) used here. */
interface SherpaOfflineTts {
  readonly sampleRate: number;
  generateAsync(request: { text: string; sid: number; speed: number }): Promise<{
    samples: Float32Array;
    sampleRate: number;
  }>;
}
interface SherpaOnnx {
  OfflineTts: { createAsync(config: object): Promise<SherpaOfflineTts> };
}

export interface PiperOptions {
  /** The .onnx file, with sherpa-onnx's metadata in it and tokens.txt beside it. */
  model: string;
  /** espeak-ng-data for the phonemizer; default: the one setup fetched under MODELS_DIR, else Debian's. */
  espeakData?: string;
  /** MODELS_DIR, where setup puts espeak-ng-data. */
  modelsDir?: string;
  /** ONNX Runtime threads per sentence; this machine kind has 2 cores. */
  numThreads?: number;
  /** What a missing model error tells the user to run. */
  fetchHint?: string;
}

/** sherpa-onnx ends the whole process on a model without these, so they are checked first. */
const REQUIRED_METADATA = ['sample_rate', 'n_speakers', 'language', 'comment'];

async function checkModel(model: string, tokens: string, hint: string): Promise<void> {
  if (!existsSync(model)) throw new Error(`TTS_PROVIDER=piper: the voice model ${model} is missing. ${hint}`);
  if (!existsSync(tokens))
    throw new Error(`TTS_PROVIDER=piper: ${tokens} (the voice's phoneme ids) is missing. ${hint}`);
  let metadata: Record<string, string>;
  try {
    metadata = readMetadata(await readFile(model));
  } catch (err) {
    throw new Error(`TTS_PROVIDER=piper: ${model} is not an ONNX model (${(err as Error).message}). ${hint}`);
  }
  const missing = REQUIRED_METADATA.filter((k) => !(k in metadata));
  if (missing.length || metadata.comment !== 'piper')
    throw new Error(
      `TTS_PROVIDER=piper: ${model} lacks sherpa-onnx's Piper metadata (${missing.join(', ') || 'comment=piper'}). ${hint}`,
    );
}

const engineName = (variant = '') => `piper en_US-joe-medium${variant} (local)`;

/** A pitch variant of the one Piper voice (./variants.ts). */
export interface PiperVariant {
  /** What the engine's name gains, e.g. "+high": speech caches are keyed by it. */
  name: string;
  /** Pitch (and formants) times this, at the same tempo. */
  pitch: number;
}

/**
 * The Piper engine, and its variants: the same model and the same one-sentence-at-a-time queue, so a panel of
 * three costs one model in memory. Closing any of them closes the model.
 */
export interface PiperTts extends TtsEngine {
  variant(v: PiperVariant): PiperTts;
}

/** Whether an engine is the Piper one, which can speak in pitch variants. */
export const isPiperTts = (engine: TtsEngine): engine is PiperTts =>
  typeof (engine as Partial<PiperTts>).variant === 'function';

/**
 * Of a sentence's length, the share that does not follow sherpa-onnx's `speed` (measured on four interview
 * questions, 0.6 to 1.5: length ≈ fixed + scaled / speed, the fixed part about 36%: pauses and phonemes the
 * model will not shorten further).
 */
const FIXED_SHARE = 0.36;

/**
 * The `speed` at which a sentence, shifted by `pitch` afterwards, comes out as long as the plain voice's:
 * the model speaks `pitch` times as long, counting only the share that follows speed.
 */
export function speedFor(pitch: number): number {
  return 1 / (pitch + ((pitch - 1) * FIXED_SHARE) / (1 - FIXED_SHARE));
}

export async function createPiperTts(options: PiperOptions): Promise<PiperTts> {
  const hint = options.fetchHint ?? 'Run `npm run setup` to fetch it, or set TTS_PROVIDER=espeak.';
  const tokens = join(dirname(options.model), PIPER_VOICE.tokensFile);
  await checkModel(options.model, tokens, hint);
  const dataDir = options.espeakData ?? findEspeakNgData(options.modelsDir);
  if (!dataDir || !existsSync(join(dataDir, 'phontab')))
    throw new Error(
      `TTS_PROVIDER=piper: espeak-ng-data (the phonemizer's data) was not found${dataDir ? ` in ${dataDir}` : ''}; run \`npm run setup\` to fetch it (PyPI espeakng-loader), or set TTS_PROVIDER=espeak.`,
    );

  let sherpa: SherpaOnnx;
  try {
    sherpa = createRequire(import.meta.url)('sherpa-onnx-node') as SherpaOnnx;
  } catch (err) {
    throw new Error(
      `TTS_PROVIDER=piper: sherpa-onnx-node does not load on this platform (${(err as Error).message.split('\n')[0]}); set TTS_PROVIDER=espeak or openai.`,
    );
  }
  const tts = await sherpa.OfflineTts.createAsync({
    model: {
      vits: { model: options.model, tokens, dataDir },
      numThreads: options.numThreads ?? 2,
      provider: 'cpu',
      debug: 0,
    },
    maxNumSentences: 1,
  });

  // One sentence at a time across all callers: each already uses every core, and sherpa's espeak-ng
  // phonemizer is process-global. Two streams interleave sentence by sentence.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  let closed = false;

  /** The voice as it is, or a variant: spoken slower by about `pitch`, then shifted up by it (./pitch.ts). */
  const voice = (name: string, pitch: number): PiperTts => ({
    name,
    async *synthesize(text: string): AsyncGenerator<SpeechChunk> {
      for (const sentence of speakableSentences(text)) {
        if (closed) throw new Error('the Piper engine is closed');
        const audio = await exclusive(() =>
          tts.generateAsync({ text: sentence, sid: 0, speed: speedFor(pitch) }),
        );
        yield {
          kind: 'pcm',
          samples: shiftPitch(audio.samples, audio.sampleRate, pitch),
          sampleRate: audio.sampleRate,
        };
      }
    },
    variant: (v) => voice(engineName(v.name), v.pitch),
    async close() {
      closed = true;
      await queue;
    },
  });
  return voice(engineName(), 1);
}
