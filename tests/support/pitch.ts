// A test's ear for pitch: the median fundamental of a clip's voiced frames, by normalised autocorrelation
// (the estimator of the browser's intonation tracker, web/src/lib/voice/intonation.ts, which node tests
// cannot import outside a built web/). Used to check that voices meant to differ in pitch do.

const MIN_F0 = 60;
const MAX_F0 = 400;
const VOICED_CORRELATION = 0.6;
const MIN_RMS = 0.01;

/** The pitch of one frame in Hz, or null when it is not voiced. */
export function framePitch(frame: Float32Array, sampleRate: number): number | null {
  let energy = 0;
  for (const x of frame) energy += x * x;
  if (Math.sqrt(energy / frame.length) < MIN_RMS) return null;
  const minLag = Math.floor(sampleRate / MAX_F0);
  const maxLag = Math.min(frame.length - 1, Math.ceil(sampleRate / MIN_F0));
  let best = 0;
  let bestLag = 0;
  for (let lag = minLag; lag <= maxLag; lag++) {
    let sum = 0;
    let a = 0;
    let b = 0;
    for (let i = 0; i + lag < frame.length; i++) {
      sum += frame[i]! * frame[i + lag]!;
      a += frame[i]! * frame[i]!;
      b += frame[i + lag]! * frame[i + lag]!;
    }
    const r = a && b ? sum / Math.sqrt(a * b) : 0;
    // The first clear peak, not a later multiple of the period (an octave below).
    if (r > best + 0.05 || (r > best && lag < 2 * bestLag)) [best, bestLag] = [r, lag];
  }
  return best >= VOICED_CORRELATION ? sampleRate / bestLag : null;
}

/** The median pitch (Hz) of the voiced 40 ms frames of `samples`; NaN when none is voiced. */
export function medianPitch(samples: Float32Array, sampleRate: number): number {
  const frame = Math.round(sampleRate * 0.04);
  const pitches: number[] = [];
  for (let at = 0; at + frame <= samples.length; at += frame / 2) {
    const p = framePitch(samples.subarray(at, at + frame), sampleRate);
    if (p !== null) pitches.push(p);
  }
  pitches.sort((a, b) => a - b);
  return pitches.length ? pitches[Math.floor(pitches.length / 2)]! : Number.NaN;
}
