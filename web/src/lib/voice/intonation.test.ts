import { describe, expect, it } from 'vitest';
import { IntonationTracker, pitchOf, risingEnd } from './intonation';

const RATE = 16000;
const FRAME = 512;

/** A voiced sound: five harmonics of a pitch that glides from `from` to `to` Hz over `seconds`. */
function voice(from: number, to: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * RATE));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const f0 = from + ((to - from) * i) / out.length;
    phase += (2 * Math.PI * f0) / RATE;
    let x = 0;
    for (let h = 1; h <= 5; h++) x += Math.sin(h * phase) / h;
    out[i] = 0.2 * x;
  }
  return out;
}

const frames = (samples: Float32Array) =>
  Array.from({ length: Math.floor(samples.length / FRAME) }, (_, k) =>
    samples.subarray(k * FRAME, (k + 1) * FRAME),
  );

function trackerOf(...parts: Float32Array[]) {
  const t = new IntonationTracker(RATE);
  for (const part of parts) for (const f of frames(part)) t.push(f);
  return t;
}

describe('intonation', () => {
  it('reads the pitch of a voiced frame, and none in silence or noise', () => {
    expect(pitchOf(voice(120, 120, 0.032), RATE)).toBeCloseTo(120, -1);
    expect(pitchOf(voice(220, 220, 0.032), RATE)).toBeCloseTo(220, -1);
    expect(pitchOf(new Float32Array(FRAME), RATE)).toBeNull();
    const noise = Float32Array.from({ length: FRAME }, (_, i) => 0.2 * Math.sin(i * i * 0.37));
    expect(pitchOf(noise, RATE)).toBeNull();
  });

  it('hears a voice that rises into the pause, not one that stays level or falls', () => {
    const pause = new Float32Array(Math.round(0.3 * RATE));
    expect(trackerOf(voice(120, 120, 0.6), voice(125, 175, 0.25), pause).rising()).toBe(true);
    expect(trackerOf(voice(120, 120, 0.6), voice(120, 122, 0.25), pause).rising()).toBe(false);
    expect(trackerOf(voice(150, 150, 0.6), voice(140, 100, 0.25), pause).rising()).toBe(false);
  });

  it('says nothing on too little voice', () => {
    expect(risingEnd([null, 120, 130, null, 180])).toBe(false);
    expect(trackerOf(new Float32Array(RATE)).rising()).toBe(false);
  });
});
