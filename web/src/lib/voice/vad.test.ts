import { describe, expect, it } from 'vitest';
import { dbfs, meterValue, rms, SpeechOnset, VoiceActivity, type VadState } from './vad';

const SPEECH = 0.1; // -20 dBFS
const ROOM = 0.001; // -60 dBFS
const FRAME = 50;

/** Runs `levels` (one per 50 ms frame) through a detector, returning the states. */
function run(vad: VoiceActivity, levels: number[], t0 = 0): VadState[] {
  return levels.map((l, i) => vad.update(l, t0 + i * FRAME));
}
const repeat = (level: number, ms: number) => Array<number>(Math.round(ms / FRAME)).fill(level);

describe('levels', () => {
  it('RMS of a full-scale square wave is 1, of silence 0; dBFS and the meter follow', () => {
    expect(rms([1, -1, 1, -1])).toBe(1);
    expect(rms([])).toBe(0);
    expect(dbfs(0.1)).toBeCloseTo(-20);
    expect(dbfs(0)).toBe(-100);
    expect(meterValue(0)).toBe(0);
    expect(meterValue(1)).toBe(1);
    expect(meterValue(0.1)).toBeCloseTo(2 / 3);
  });
});

describe('voice activity detection', () => {
  it('waits in silence, hears speech, and ends after the configured silence — not before', () => {
    const vad = new VoiceActivity({ silenceMs: 1500 });
    const states = run(vad, [...repeat(ROOM, 1000), ...repeat(SPEECH, 2000), ...repeat(ROOM, 1400)]);
    expect(states.slice(0, 20).every((s) => s === 'waiting')).toBe(true);
    expect(states).toContain('speaking');
    expect(states.at(-1)).toBe('pausing'); // 1.4 s of quiet < 1.5 s
    expect(vad.update(ROOM, 4400 + 100)).toBe('ended');
    expect(vad.speechMs).toBeGreaterThanOrEqual(1900);
  });

  it('a pause shorter than the silence setting does not end the answer', () => {
    const vad = new VoiceActivity({ silenceMs: 2000 });
    const states = run(vad, [
      ...repeat(SPEECH, 1000),
      ...repeat(ROOM, 1500),
      ...repeat(SPEECH, 1000),
      ...repeat(ROOM, 1900),
    ]);
    expect(states).not.toContain('ended');
    expect(states.at(-1)).toBe('pausing');
  });

  it('never ends without speech first, and a click shorter than minSpeechMs is not speech', () => {
    const vad = new VoiceActivity({ silenceMs: 800, minSpeechMs: 200 });
    const states = run(vad, [...repeat(ROOM, 500), SPEECH, SPEECH, ...repeat(ROOM, 3000)]);
    expect(new Set(states)).toEqual(new Set(['waiting']));
  });

  it('hears someone already talking when listening starts', () => {
    const vad = new VoiceActivity({ silenceMs: 1000 });
    expect(run(vad, repeat(SPEECH, 1000)).at(-1)).toBe('speaking');
    const onset = new SpeechOnset({ holdMs: 300 });
    expect(
      repeat(SPEECH, 500)
        .map((l, i) => onset.update(l, i * FRAME))
        .at(-1),
    ).toBe(true);
  });

  it('steady background noise stops counting as speech once the floor has adapted', () => {
    const noisy = 0.01; // -40 dBFS hum from the start
    const vad = new VoiceActivity({ silenceMs: 1000 });
    run(vad, repeat(noisy, 3000));
    expect(vad.isSpeech(noisy)).toBe(false);
    expect(vad.isSpeech(0.2)).toBe(true); // a voice well above the hum still is
  });
});

describe('barge-in onset', () => {
  it('fires after speech has held for holdMs, not on a short burst', () => {
    const onset = new SpeechOnset({ holdMs: 300 });
    let t = 0;
    const feed = (level: number, ms: number) => {
      let fired = false;
      for (let i = 0; i < ms / FRAME; i++) fired = onset.update(level, (t += FRAME)) || fired;
      return fired;
    };
    expect(feed(0.0005, 500)).toBe(false);
    expect(feed(SPEECH, 200)).toBe(false);
    expect(feed(0.0005, 200)).toBe(false);
    expect(feed(SPEECH, 400)).toBe(true);
  });
});
