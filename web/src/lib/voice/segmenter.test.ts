import { describe, expect, it } from 'vitest';
import { PauseSegmenter } from './segmenter';
import type { VadState } from './vad';

/** Feeds `[state, fromMs, toMs]` runs every 50 ms (the recorder's tick); returns the times of the cuts. */
function cuts(segmenter: PauseSegmenter, runs: [VadState, number, number][]): number[] {
  const out: number[] = [];
  for (const [state, from, to] of runs)
    for (let t = from; t < to; t += 50) if (segmenter.update(state, t)) out.push(t);
  return out;
}

describe('cutting an answer at its pauses', () => {
  it('cuts once per pause, soon after it starts, and not before speech', () => {
    const s = new PauseSegmenter(0, { pauseMs: 300, minSegmentMs: 1500 });
    expect(
      cuts(s, [
        ['waiting', 0, 1000],
        ['speaking', 1000, 3000],
        ['pausing', 3000, 4000],
        ['speaking', 4000, 6000],
        ['pausing', 6000, 7500],
      ]),
    ).toEqual([3300, 6300]);
  });

  it('a short phrase waits for the next pause; endless speech is cut anyway', () => {
    const s = new PauseSegmenter(0, { pauseMs: 300, minSegmentMs: 1500, maxSegmentMs: 5000 });
    expect(
      cuts(s, [
        ['speaking', 0, 800],
        ['pausing', 800, 1200], // too short a segment: no cut
        ['speaking', 1200, 12_000],
      ]),
    ).toEqual([5000, 10_000]);
  });
});
