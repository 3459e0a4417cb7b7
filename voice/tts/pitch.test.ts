import { describe, expect, it } from 'vitest';
import { medianPitch } from '../../tests/support/pitch.js';
import { shiftPitch } from './pitch.js';

const RATE = 22_050;

/** A buzz like a held vowel: `f0` and its first harmonics, fading as a voice's do. */
function vowel(f0: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(RATE * seconds));
  for (let i = 0; i < out.length; i++)
    for (let h = 1; h <= 6; h++) out[i]! += (0.3 / h) * Math.sin((2 * Math.PI * f0 * h * i) / RATE);
  return out;
}

describe('shifting a voice’s pitch', () => {
  it.each([1.19, 0.84])('moves the pitch by ×%s and the length by its inverse', (factor) => {
    const input = vowel(120, 1);
    const out = shiftPitch(input, RATE, factor);
    expect(medianPitch(out, RATE) / medianPitch(input, RATE)).toBeCloseTo(factor, 1);
    expect(out.length).toBeCloseTo(input.length / factor, -1);
  });

  it('keeps the level: a voice made higher is not made quieter or louder', () => {
    const input = vowel(120, 1);
    const peak = (xs: Float32Array) => xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    for (const factor of [0.75, 1.19, 1.33])
      expect(peak(shiftPitch(input, RATE, factor)) / peak(input)).toBeGreaterThan(0.9);
  });

  it('leaves the samples alone at ×1 and refuses a factor that is not a positive number', () => {
    const input = vowel(120, 0.1);
    expect(shiftPitch(input, RATE, 1)).toBe(input);
    for (const bad of [0, -1, Number.NaN, Infinity]) expect(() => shiftPitch(input, RATE, bad)).toThrow();
  });
});
