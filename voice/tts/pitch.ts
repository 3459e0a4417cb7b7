// A voice's pitch moved by resampling, the way a tape played faster sounds higher: samples made at
// `sampleRate` are read as if they had been recorded at `sampleRate × factor`, then converted back to
// `sampleRate`. Pitch and formants both move by `factor` (a smaller or larger voice, not the same voice
// singing higher), and the duration shrinks by it; the Piper variants (./variants.ts) undo that by having the
// model speak `factor` times slower first, so the tempo stays natural. No phase vocoder: a time-stretch
// of our own would smear the consonants whisper needs, and the model stretches speech far better.
import { resample } from '../wav.js';

/** `samples` (at `sampleRate`) with pitch and formants times `factor`, and `1 / factor` as long. */
export function shiftPitch(samples: Float32Array, sampleRate: number, factor: number): Float32Array {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new Error(`bad pitch factor ${factor}`);
  const readAs = Math.round(sampleRate * factor);
  // Going up is a downsampling, so the resampler's low-pass keeps what would pass Nyquist from folding back.
  return readAs === sampleRate ? samples : resample(samples, readAs, sampleRate);
}
