import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { AnswerStream, type SegmentTransport } from './answer-stream';

const wav = (name: string) => new Blob([name], { type: 'audio/wav' });

/** The server's side, played by the test: what it stored, and the failures it is told to give. */
function fakeServer({ failPuts = new Set<string>() } = {}) {
  const stored = new Map<number, string>();
  const calls: string[] = [];
  const transport: SegmentTransport = {
    async put(index, blob) {
      const text = await blob.text();
      calls.push(`put ${index}`);
      if (failPuts.delete(`${index}`)) throw new ApiError(0, 'Network error', 'Cannot reach the server');
      stored.set(index, text);
      return { index };
    },
    async finish(segments) {
      calls.push(`finish ${segments}`);
      const missing = Array.from({ length: segments }, (_, i) => i).filter((i) => !stored.has(i));
      if (missing.length)
        throw new ApiError(409, 'Conflict', `segments ${missing.join(', ')} were not received`);
      return { turnId: 't1' };
    },
  };
  return { transport, stored, calls };
}

describe('a streamed answer', () => {
  it('sends each segment as it is cut, then finishes with their count', async () => {
    const server = fakeServer();
    const stream = new AnswerStream(server.transport, { retryMs: 1 });
    stream.push(wav('a'));
    stream.push(wav('b'));
    expect(await stream.finish()).toEqual({ turnId: 't1' });
    expect([...server.stored]).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
    expect(server.calls).toEqual(['put 0', 'put 1', 'finish 2']);
  });

  it('sends again a segment whose connection dropped before finishing', async () => {
    const server = fakeServer({ failPuts: new Set(['1']) });
    const stream = new AnswerStream(server.transport, { retryMs: 1 });
    for (const name of ['a', 'b', 'c']) stream.push(wav(name));
    expect(await stream.finish()).toEqual({ turnId: 't1' });
    expect(server.stored.get(1)).toBe('b');
    expect(server.calls.filter((c) => c === 'put 1')).toHaveLength(2);
    expect(server.calls.at(-1)).toBe('finish 3');
  });

  it('when the server lacks a segment it acknowledged, sends them all again', async () => {
    const server = fakeServer();
    const stream = new AnswerStream(server.transport, { retryMs: 1 });
    stream.push(wav('a'));
    stream.push(wav('b'));
    await new Promise((r) => setTimeout(r, 0));
    server.stored.delete(0); // lost on the server's side
    expect(await stream.finish()).toEqual({ turnId: 't1' });
    expect(server.calls).toEqual(['put 0', 'put 1', 'finish 2', 'put 0', 'put 1', 'finish 2']);
  });

  it('gives up on a refusal that another try cannot fix', async () => {
    const stream = new AnswerStream(
      {
        put: async () => ({}),
        finish: async () => {
          throw new ApiError(409, 'Conflict', 'the session is coaching, not awaiting an answer');
        },
      },
      { retryMs: 1 },
    );
    stream.push(wav('a'));
    await expect(stream.finish()).rejects.toThrow(/not awaiting an answer/);
  });
});
