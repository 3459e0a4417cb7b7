// Sample-rate conversion to what the recognisers take, in one place for the browser's AudioWorklet (the
// microphone at 44.1 or 48 kHz, 128 frames at a time) and the server (an uploaded WAV at any rate). Plain
// typed arrays, no Node module: the browser bundle and the worklet import it.

/** The rate speech is captured at in the browser and recognised at on the server (whisper, pocketsphinx). */
export const SPEECH_SAMPLE_RATE = 16_000;

/**
 * Taps of the low-pass run before downsampling (odd, so it has a whole-sample delay that is taken back
 * out). With a Blackman window 65 taps give a transition about 4 kHz wide at 48 kHz and over 70 dB of
 * stop-band attenuation, for 65 multiply-adds per output sample: nothing for an audio thread.
 */
const TAPS = 65;
/**
 * The low-pass's cut-off as a fraction of the output rate: just under its Nyquist frequency (half), so
 * what would fold back below it (fricatives, room hiss above 8 kHz) is filtered out before it can. Speech
 * recognisers trained on 16 kHz audio hear nothing above 8 kHz anyway.
 */
const CUTOFF = 0.45;

/** A windowed-sinc (Blackman) low-pass with unit gain at DC; `cutoff` in cycles per input sample. */
function lowPass(cutoff: number, taps: number): Float32Array {
  const h = new Float32Array(taps);
  const mid = (taps - 1) / 2;
  let sum = 0;
  for (let n = 0; n < taps; n++) {
    const x = n - mid;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const w =
      0.42 - 0.5 * Math.cos((2 * Math.PI * n) / (taps - 1)) + 0.08 * Math.cos((4 * Math.PI * n) / (taps - 1));
    h[n] = sinc * w;
    sum += h[n]!;
  }
  for (let n = 0; n < taps; n++) h[n]! /= sum;
  return h;
}

/**
 * A streaming converter from `from` Hz to `to` Hz: `push` blocks as they arrive, then `flush` once at the
 * end. Pushing a signal in any block sizes gives the same samples as one `resample` call, and
 * `floor(n * to / from)` of them for `n` input samples. Downsampling low-passes first (see CUTOFF), then
 * both directions interpolate linearly between input samples; before the start and after the end the input
 * is taken as silence.
 */
export class Resampler {
  readonly from: number;
  readonly to: number;
  readonly #taps: Float32Array;
  /** The filter's delay in input samples, taken back out so output `i` is input time `i * from / to`. */
  readonly #half: number;
  /** Input samples from the absolute index #base on: only what outputs not yet made still need. */
  #kept = new Float32Array(0);
  #base = 0;
  #received = 0;
  #produced = 0;
  #ended = false;

  constructor(from: number, to: number) {
    for (const rate of [from, to])
      if (!Number.isInteger(rate) || rate <= 0) throw new Error(`bad sample rate ${rate}`);
    this.from = from;
    this.to = to;
    this.#taps = to < from ? lowPass((CUTOFF * to) / from, TAPS) : Float32Array.of(1);
    this.#half = (this.#taps.length - 1) / 2;
  }

  /** The output samples that `block` completes (the filter needs a few input samples ahead of each). */
  push(block: Float32Array): Float32Array {
    if (this.#ended) throw new Error('Resampler: push after flush');
    const kept = new Float32Array(this.#kept.length + block.length);
    kept.set(this.#kept);
    kept.set(block, this.#kept.length);
    this.#kept = kept;
    this.#received += block.length;
    return this.#drain(this.#received - 1, Infinity);
  }

  /** The rest of the output, up to `floor(received * to / from)` samples in all. */
  flush(): Float32Array {
    if (this.#ended) return new Float32Array(0);
    this.#ended = true;
    return this.#drain(Infinity, Math.floor((this.#received * this.to) / this.from));
  }

  /** Makes every output whose inputs are at or before `lastInput`, stopping at `total` outputs. */
  #drain(lastInput: number, total: number): Float32Array {
    // At most this many: the outputs up to the last input's time.
    const bound = Number.isFinite(lastInput)
      ? Math.floor(((lastInput + 1) * this.to) / this.from) + 1
      : total;
    const out = new Float32Array(Math.max(0, Math.min(total, bound) - this.#produced));
    let n = 0;
    for (let i = this.#produced; n < out.length; i++, n++) {
      // Integer arithmetic for the position (exact far beyond an hour at 48 kHz), so block sizes never matter.
      const num = i * this.from;
      const j = Math.floor(num / this.to);
      const frac = (num - j * this.to) / this.to;
      if ((frac === 0 ? j : j + 1) + this.#half > lastInput) break;
      const a = this.#filtered(j);
      out[n] = frac === 0 ? a : a + (this.#filtered(j + 1) - a) * frac;
    }
    this.#produced += n;
    const next = Math.floor((this.#produced * this.from) / this.to) - this.#half;
    if (next > this.#base) {
      this.#kept = this.#kept.subarray(Math.min(next - this.#base, this.#kept.length));
      this.#base = next;
    }
    return n === out.length ? out : out.slice(0, n);
  }

  /** The low-passed input at index `k`, centred on it. */
  #filtered(k: number): number {
    let sum = 0;
    const from = k - this.#half;
    for (let t = 0; t < this.#taps.length; t++) {
      const at = from + t - this.#base;
      if (at >= 0 && at < this.#kept.length) sum += this.#taps[t]! * this.#kept[at]!;
    }
    return sum;
  }
}

/** `samples` at `to` Hz (the whole of a recording at once; see Resampler). */
export function resample(samples: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return samples;
  const resampler = new Resampler(from, to);
  const head = resampler.push(samples);
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
