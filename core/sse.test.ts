import { describe, expect, it } from 'vitest';
import { readJsonEvents, readSse, type SseItem } from './sse.js';

/** A body that delivers `chunks` one by one, as a network would. */
function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const bytes = chunks.map((c) => new TextEncoder().encode(c));
  return new ReadableStream({
    pull(ctl) {
      const next = bytes.shift();
      if (next) ctl.enqueue(next);
      else ctl.close();
    },
  });
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const strip = ({ at: _at, ...rest }: SseItem) => rest;

describe('readSse', () => {
  it('reads events, comments and the end event, across chunk boundaries and in one chunk', async () => {
    const stream =
      'id: 1\ndata: {"type":"a"}\n\n: heartbeat\n\nid: 2\ndata: {"type":"b"}\n\nevent: end\ndata: {}\n\n';
    const expected = [
      { kind: 'event', id: '1', event: 'message', data: '{"type":"a"}' },
      { kind: 'comment', text: 'heartbeat' },
      { kind: 'event', id: '2', event: 'message', data: '{"type":"b"}' },
      { kind: 'event', id: undefined, event: 'end', data: '{}' },
    ];
    expect((await all(readSse(body(stream)))).map(strip)).toEqual(expected);
    // Split everywhere: every single character its own chunk.
    expect((await all(readSse(body(...stream)))).map(strip)).toEqual(expected);
  });

  it('joins multi-line data with newlines, takes CRLF line ends and a UTF-8 character split between chunks', async () => {
    const euro = new TextEncoder().encode('€');
    const bytes = [
      new TextEncoder().encode('data: one\r\ndata: tw'),
      euro.subarray(0, 1),
      euro.subarray(1),
      new TextEncoder().encode('o\r\n\r\n'),
    ];
    const stream = new ReadableStream<Uint8Array>({
      pull(ctl) {
        const next = bytes.shift();
        if (next) ctl.enqueue(next);
        else ctl.close();
      },
    });
    expect((await all(readSse(stream))).map(strip)).toEqual([
      { kind: 'event', id: undefined, event: 'message', data: 'one\ntw€o' },
    ]);
  });

  it('stamps each item with when its last chunk arrived', async () => {
    const before = performance.now();
    const [item] = await all(readSse(body('data: x\n\n')));
    expect(item!.at).toBeGreaterThanOrEqual(before);
    expect(item!.at).toBeLessThanOrEqual(performance.now());
  });

  it('yields nothing for no body', async () => {
    expect(await all(readSse(null))).toEqual([]);
  });
});

describe('readJsonEvents', () => {
  it('yields numbered JSON events, skips heartbeats and events without an id, and stops at `event: end`', async () => {
    const events = await all(
      readJsonEvents<{ type: string }>(
        body(
          ': heartbeat\n\n',
          'id: 7\ndata: {"type":"state"}\n\n',
          'data: {"type":"unnumbered"}\n\n',
          'event: end\ndata: {"type":"end"}\n\n',
          'id: 8\ndata: {"type":"after-end"}\n\n',
        ),
      ),
    );
    expect(events.map(({ id, data }) => ({ id, data }))).toEqual([{ id: 7, data: { type: 'state' } }]);
  });
});
