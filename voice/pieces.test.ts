// Which streamed pieces are transcribed together: the workflow asks while the answer is spoken, the worker
// when it ends, and the two must agree or the final transcript would transcribe pieces twice.
import { describe, expect, it } from 'vitest';
import { concatSamples } from '../core/audio/samples.js';
import { groupPieces, MIN_PIECE_SEC } from './pieces.js';

const lengths = (...seconds: number[]) => seconds.map((s) => ({ seconds: s, voicedSec: s * 0.8 }));

describe('grouping streamed pieces', () => {
  it('hears a piece shorter than 3 s with the ones after it, until the group holds 3 s', () => {
    expect(MIN_PIECE_SEC).toBe(3);
    // "I owned its reliability." (1.2 s), then a clause (2 s), then a long sentence, then two short ones.
    expect(groupPieces(lengths(1.2, 2, 4.5, 0.5, 1), { final: true })).toEqual([[0, 1], [2], [3, 4]]);
    expect(groupPieces(lengths(3, 3.4, 8), { final: true })).toEqual([[0], [1], [2]]);
  });

  it('while the answer goes on, leaves a short group at the end to wait for what comes next', () => {
    expect(groupPieces(lengths(1.2, 2, 4.5, 0.5, 1), { final: false })).toEqual([[0, 1], [2]]);
    expect(groupPieces(lengths(1.2), { final: false })).toEqual([]);
    // Once the answer is finished, a short last piece is heard as it is.
    expect(groupPieces(lengths(1.2), { final: true })).toEqual([[0]]);
  });

  it('never changes a group heard while the answer was spoken: the final transcript reuses each', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 5;
    for (let answer = 0; answer < 50; answer++) {
      // Some pieces are only the quiet of a pause (no sound: voicedSec 0).
      const pieces = Array.from({ length: 1 + Math.floor(random() * 8) }, () => {
        const seconds = random();
        return { seconds, voicedSec: random() < 1 ? 0 : seconds }; // one in five
      });
      const final = groupPieces(pieces, { final: true });
      expect(final.flat()).toEqual(pieces.map((_, i) => i));
      for (let arrived = 0; arrived <= pieces.length; arrived++) {
        const live = groupPieces(pieces.slice(0, arrived), { final: false });
        expect(final.slice(0, live.length)).toEqual(live);
      }
    }
  });

  it('lets a piece of unknown length (from a server before groups) stand alone, as before', () => {
    expect(groupPieces([{}, { seconds: 1 }, {}], { final: false })).toEqual([[0], [1, 2]]);
    expect(groupPieces([{}, {}], { final: true })).toEqual([[0], [1]]);
  });

  it('ends a group at a silent piece (a long pause), which stands alone: nothing waits for the next thought', () => {
    const quiet = { seconds: 1.7, voicedSec: 0.05 };
    // The last sentence (2.2 s) and the quiet that ended the answer: the sentence is heard as it is.
    expect(
      groupPieces([{ seconds: 4, voicedSec: 3.5 }, { seconds: 2.2, voicedSec: 2 }, quiet], { final: false }),
    ).toEqual([[0], [1], [2]]);
    expect(
      groupPieces([{ seconds: 1, voicedSec: 0.9 }, quiet, { seconds: 1, voicedSec: 0.9 }], { final: true }),
    ).toEqual([[0], [1], [2]]);
  });

  it('joins pieces end to end', () => {
    const joined = concatSamples([Float32Array.of(0.1, 0.2), new Float32Array(0), Float32Array.of(0.3)]);
    expect([...joined].map((x) => Math.round(x * 10))).toEqual([1, 2, 3]);
  });
});
