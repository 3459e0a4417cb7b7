// The speech detector's processor outside a browser: the AudioWorkletGlobalScope it expects is stood in
// for, and the test plays the audio thread (128-frame blocks at 48 kHz) and the page (the port).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VAD_FRAME, VAD_PROCESSOR } from './vad-protocol';
import { loadWorklet } from '../../test-support/worklet';

let Frames: Awaited<ReturnType<typeof loadWorklet<string, Float32Array>>>;

beforeAll(async () => {
  Frames = await loadWorklet<string, Float32Array>(() => import('./vad-worklet'), VAD_PROCESSOR);
});

afterAll(() => vi.unstubAllGlobals());

/** One 128-frame block of a 300 Hz tone at 48 kHz, starting at sample `at`. */
const block = (at: number) =>
  Float32Array.from({ length: 128 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 300 * (at + i)) / 48_000));

describe('the speech detector worklet', () => {
  it('posts each 512-sample frame at 16 kHz as soon as it is full: 32 ms of audio, no batching', () => {
    const frames = new Frames();
    const sent: number[] = []; // the block after which each frame went out
    for (let b = 0; b < 375; b++) {
      // 375 blocks of 128 = 1 s at 48 kHz
      const before = frames.port.posted.length;
      expect(frames.process([[block(b * 128)]])).toBe(true);
      if (frames.port.posted.length > before) sent.push(b);
    }
    const posted = frames.port.posted;
    expect(posted.every((f) => f.length === VAD_FRAME)).toBe(true);
    expect(posted.length).toBe(Math.floor(16_000 / VAD_FRAME)); // 31 frames in 1 s
    // One frame is 1536 input samples: 12 blocks. None waits longer than the block that completes it.
    for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBeLessThanOrEqual(13);
    // The tone comes through at its level (resampled, not attenuated or clipped).
    const peak = Math.max(...posted.slice(2).map((f) => Math.max(...f.map(Math.abs))));
    expect(peak).toBeGreaterThan(0.45);
    expect(peak).toBeLessThan(0.55);
  });

  it('skips blocks without a channel, and stops for good on any message from the page', () => {
    const frames = new Frames();
    expect(frames.process([[]])).toBe(true);
    expect(frames.process([])).toBe(true);
    frames.port.send('stop');
    expect(frames.process([[block(0)]])).toBe(false);
    expect(frames.port.posted).toEqual([]);
  });
});
