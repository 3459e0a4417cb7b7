// Which streamed pieces are transcribed together: the workflow asks while the answer is spoken, the worker
// when it ends, and the two must agree or the final transcript would transcribe pieces twice.
import { describe, expect, it } from 'vitest';
import { concatSamples } from '../core/audio/samples.js';
import { FINAL_GROUP_SEC, finalGroups, groupPieces, MIN_PIECE_SEC } from './pieces.js';

const lengths = (...seconds: number[]) => seconds.map((s) => ({ seconds: s, voicedSec: s * 0.8 }));

/** Pieces of random length, one in five only the quiet of a pause (voicedSec 0). */
function randomAnswers(count: number): { seconds: number; voicedSec: number }[][] {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 5;
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
      const seconds = random();
      return { seconds, voicedSec: random() < 1 ? 0 : seconds };
    }),
  );
}

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
    for (const pieces of randomAnswers(50)) {
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

describe("the final transcript's groups", () => {
  it('joins live groups until they hold 10 s; the last one is what is left when the answer ends', () => {
    expect(FINAL_GROUP_SEC).toBe(10);
    // Live groups [0,1] (3.2 s), [2] (4.5 s), [3,4] (3.5 s), [5] (4 s): 11.2 s, then 4 s left.
    expect(finalGroups(lengths(1.2, 2, 4.5, 2.5, 1, 4), { final: true })).toEqual([
      { pieces: [0, 1, 2, 3, 4], live: [[0, 1], [2], [3, 4]] },
      { pieces: [5], live: [[5]] },
    ]);
    // While the answer goes on, the group still short of 10 s waits for more.
    expect(finalGroups(lengths(1.2, 2, 4.5, 2.5, 1, 4), { final: false })).toEqual([
      { pieces: [0, 1, 2, 3, 4], live: [[0, 1], [2], [3, 4]] },
    ]);
  });

  it('lets a silent piece (a long pause) stand alone, as the live groups do', () => {
    const quiet = { seconds: 2, voicedSec: 0.05 };
    expect(finalGroups([...lengths(4, 4), quiet, ...lengths(4)], { final: true })).toEqual([
      { pieces: [0, 1], live: [[0], [1]] },
      { pieces: [2], live: [[2]] },
      { pieces: [3], live: [[3]] },
    ]);
  });

  it('is made of whole live groups, covers every piece once, and never changes a group once closed', () => {
    for (const pieces of randomAnswers(50)) {
      const final = finalGroups(pieces, { final: true });
      expect(final.flatMap((g) => g.pieces)).toEqual(pieces.map((_, i) => i));
      expect(final.flatMap((g) => g.live)).toEqual(groupPieces(pieces, { final: true }));
      for (let arrived = 0; arrived <= pieces.length; arrived++) {
        const sofar = finalGroups(pieces.slice(0, arrived), { final: false });
        expect(final.slice(0, sofar.length)).toEqual(sofar);
      }
    }
  });
});
