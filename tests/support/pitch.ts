// A test's ear for pitch: the median fundamental of a clip's voiced frames, by the estimator of the browser's
// intonation tracker (normalised autocorrelation, one frame at a time). Used to check that voices meant to
// differ in pitch do.
import { pitchOf } from '../../web/src/lib/voice/intonation.js';

/** The median pitch (Hz) of the voiced 40 ms frames of `samples`; NaN when none is voiced. */
export function medianPitch(samples: Float32Array, sampleRate: number): number {
  const frame = Math.round(sampleRate * 0.04);
  const pitches: number[] = [];
  for (let at = 0; at + frame <= samples.length; at += frame / 2) {
    const p = pitchOf(samples.subarray(at, at + frame), sampleRate);
    if (p !== null) pitches.push(p);
  }
  pitches.sort((a, b) => a - b);
  return pitches.length ? pitches[Math.floor(pitches.length / 2)]! : Number.NaN;
}
