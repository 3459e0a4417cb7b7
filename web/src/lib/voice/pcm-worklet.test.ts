// The recorder's processor outside a browser: the AudioWorkletGlobalScope it expects is stood in for, and
// the test plays the audio thread (128-frame blocks) and the page (the port).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PCM_PROCESSOR, type FromWorklet, type ToWorklet } from './pcm-protocol';
import { loadWorklet } from '../../test-support/worklet';

let Capture: Awaited<ReturnType<typeof loadWorklet<ToWorklet, FromWorklet>>>;

beforeAll(async () => {
  Capture = await loadWorklet<ToWorklet, FromWorklet>(() => import('./pcm-worklet'), PCM_PROCESSOR);
});

afterAll(() => vi.unstubAllGlobals());

/** `seconds` of a 1 kHz tone at 48 kHz in the audio thread's 128-frame blocks, one channel each. */
function blocks(seconds: number): Float32Array[][][] {
  const out: Float32Array[][][] = [];
  for (let at = 0; at < 48_000 * seconds; at += 128) {
    const block = Float32Array.from(
      { length: 128 },
      (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * (at + i)) / 48_000),
    );
    out.push([[block]]);
  }
  return out;
}

const pcmOf = (posted: FromWorklet[]) => posted.flatMap((m) => (m.type === 'pcm' ? [m.samples] : []));

describe('the PCM capture worklet', () => {
  it('posts 16 kHz samples in ~100 ms chunks while running, and the rest then `end` on stop', () => {
    const capture = new Capture();
    for (const inputs of blocks(1)) expect(capture.process(inputs)).toBe(true);
    const running = pcmOf(capture.port.posted);
    expect(running.length).toBeGreaterThanOrEqual(9);
    for (const chunk of running) expect(chunk.length).toBeGreaterThanOrEqual(1600);
    expect(capture.port.posted.some((m) => m.type === 'end')).toBe(false);

    capture.port.send({ type: 'stop' });
    expect(capture.port.posted.at(-1)).toEqual({ type: 'end' });
    const total = pcmOf(capture.port.posted).reduce((n, c) => n + c.length, 0);
    expect(total).toBe(16_000); // 1 s, to the sample
    // After the answer the processor lets itself be dropped, and a second stop says nothing more.
    expect(capture.process(blocks(0.01)[0]!)).toBe(false);
    const count = capture.port.posted.length;
    capture.port.send({ type: 'stop' });
    expect(capture.port.posted).toHaveLength(count);
  });

  it('skips blocks without a channel (the input not connected) and ends cleanly with nothing captured', () => {
    const capture = new Capture();
    expect(capture.process([[]])).toBe(true);
    expect(capture.process([])).toBe(true);
    capture.port.send({ type: 'stop' });
    expect(capture.port.posted).toEqual([{ type: 'end' }]);
  });
});
