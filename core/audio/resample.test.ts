import { describe, expect, it } from 'vitest';
import { resample, Resampler, SPEECH_SAMPLE_RATE } from './resample.js';
import { concatSamples } from './samples.js';

function sine(hz: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}

/** The frequency of a tone from its zero crossings, over the middle of the signal (away from the edges). */
function frequency(samples: Float32Array, rate: number): number {
  const from = Math.floor(samples.length / 4);
  const to = Math.floor((samples.length * 3) / 4);
  let crossings = 0;
  let first = -1;
  let last = -1;
  for (let i = from + 1; i < to; i++) {
    if (samples[i - 1]! < 0 !== samples[i]! < 0) {
      // where between the two samples it crossed, so the estimate is not rounded to whole samples
      const at = i - 1 + samples[i - 1]! / (samples[i - 1]! - samples[i]!);
      if (first < 0) first = at;
      last = at;
      crossings++;
    }
  }
  return ((crossings - 1) / 2 / (last - first)) * rate;
}

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** `samples` pushed `size` at a time, then flushed, as the AudioWorklet does with its 128-frame blocks. */
function inBlocks(samples: Float32Array, from: number, to: number, size: number): Float32Array {
  const r = new Resampler(from, to);
  const parts: Float32Array[] = [];
  for (let at = 0; at < samples.length; at += size) parts.push(r.push(samples.subarray(at, at + size)));
  parts.push(r.flush());
  return concatSamples(parts);
}

describe('resampling to the speech rate', () => {
  it('gives floor(n * to / from) samples, whatever the block size', () => {
    expect(resample(new Float32Array(48_000), 48_000, 16_000)).toHaveLength(16_000);
    expect(resample(new Float32Array(44_100), 44_100, 16_000)).toHaveLength(16_000);
    expect(resample(new Float32Array(1001), 48_000, 16_000)).toHaveLength(333);
    expect(resample(new Float32Array(1000), 44_100, 16_000)).toHaveLength(362);
    expect(resample(new Float32Array(800), 8000, 16_000)).toHaveLength(1600);
    expect(inBlocks(new Float32Array(48_007), 48_000, 16_000, 128)).toHaveLength(16_002);
    expect(inBlocks(new Float32Array(44_100 * 2 + 5), 44_100, 16_000, 128)).toHaveLength(32_001);
    expect(resample(new Float32Array(0), 48_000, 16_000)).toHaveLength(0);
  });

  it('pushed in 128-frame blocks gives exactly the samples of one call', () => {
    const speechLike = new Float32Array(48_000 + 77);
    for (let i = 0; i < speechLike.length; i++) speechLike[i] = Math.sin(i / 7) * Math.cos(i / 501) * 0.6;
    for (const from of [48_000, 44_100]) {
      const whole = resample(speechLike, from, SPEECH_SAMPLE_RATE);
      expect(inBlocks(speechLike, from, SPEECH_SAMPLE_RATE, 128)).toEqual(whole);
      expect(inBlocks(speechLike, from, SPEECH_SAMPLE_RATE, 1)).toEqual(whole);
    }
  });

  it("keeps a tone's frequency and level, from 48 kHz and 44.1 kHz down and from 8 kHz up", () => {
    for (const [from, hz] of [
      [48_000, 1000],
      [48_000, 440],
      [48_000, 5000],
      [44_100, 1000],
      [44_100, 3150],
      [8000, 500],
    ] as const) {
      const out = resample(sine(hz, from, 1), from, SPEECH_SAMPLE_RATE);
      expect(frequency(out, SPEECH_SAMPLE_RATE), `${hz} Hz from ${from} Hz`).toBeCloseTo(hz, 0);
      // The level within 0.25 dB (the middle half, away from the edges, where silence is assumed).
      const middle = out.subarray(out.length / 4, (out.length * 3) / 4);
      const db = 20 * Math.log10(rms(middle) / (0.5 / Math.SQRT2));
      expect(Math.abs(db), `${hz} Hz from ${from} Hz`).toBeLessThan(0.25);
    }
  });

  it('removes what would fold back below 8 kHz instead of aliasing it', () => {
    // 12 kHz at 48 kHz, taken one sample in three, would be a full-level 4 kHz tone.
    const out = resample(sine(12_000, 48_000, 1), 48_000, SPEECH_SAMPLE_RATE);
    const middle = out.subarray(4000, 12_000);
    expect(20 * Math.log10(rms(middle) / (0.5 / Math.SQRT2))).toBeLessThan(-60);
    // and at 44.1 kHz: 10 kHz would fold to 6 kHz
    const out44 = resample(sine(10_000, 44_100, 1), 44_100, SPEECH_SAMPLE_RATE);
    expect(20 * Math.log10(rms(out44.subarray(4000, 12_000)) / (0.5 / Math.SQRT2))).toBeLessThan(-40);
  });

  it('lines the output up with the input in time (the filter delay is taken out)', () => {
    // One click at 0.5 s comes out at 0.5 s.
    const clicks = new Float32Array(48_000);
    clicks[24_000] = 1;
    const out = resample(clicks, 48_000, SPEECH_SAMPLE_RATE);
    const peak = out.reduce((best, s, i) => (Math.abs(s) > Math.abs(out[best]!) ? i : best), 0);
    expect(peak).toBe(8000);
  });

  it('returns the input itself at the same rate, refuses bad rates and a push after the end', () => {
    const same = new Float32Array(10);
    expect(resample(same, 16_000, 16_000)).toBe(same);
    expect(() => new Resampler(0, 16_000)).toThrow(/bad sample rate/);
    expect(() => new Resampler(44_100.5, 16_000)).toThrow(/bad sample rate/);
    const r = new Resampler(48_000, 16_000);
    const pushed = r.push(new Float32Array(300)).length;
    expect(pushed).toBeLessThan(100); // the filter waits for input past the last outputs
    expect(pushed + r.flush().length).toBe(100);
    expect(r.flush()).toHaveLength(0);
    expect(() => r.push(new Float32Array(1))).toThrow(/after flush/);
  });
});
