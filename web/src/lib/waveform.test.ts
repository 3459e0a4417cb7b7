import { describe, expect, it } from 'vitest';
import { peaks } from './waveform';

describe('a waveform', () => {
  it('is the loudest sample of each slice, so speech and pauses show', () => {
    const samples = new Float32Array([0, 0.1, -0.8, 0.2, 0, 0, 0.5, -0.5]);
    expect(peaks(samples, 4).map((p) => Number(p.toFixed(2)))).toEqual([0.1, 0.8, 0, 0.5]);
  });

  it('has no more bars than samples, and none for silence of length zero', () => {
    expect(peaks(new Float32Array([0.3, -0.6]), 100)).toHaveLength(2);
    expect(peaks(new Float32Array(0), 10)).toEqual([]);
  });
});
