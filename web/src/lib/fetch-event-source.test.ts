import { afterEach, describe, expect, it } from 'vitest';
import { FetchEventSource } from './fetch-event-source';

/** One response of the fake server: its chunks, then the body ends (a dropped connection) unless `hold`. */
interface FakeResponse {
  status?: number;
  chunks: string[];
  hold?: boolean;
}

/**
 * A fake fetch (no network): answers each request with the next scripted response, as a real streaming body
 * whose chunks arrive one at a time; records each request's headers.
 */
function fakeFetch(responses: FakeResponse[]) {
  const requests: { url: string; headers: Record<string, string> }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    requests.push({ url, headers: { ...(init.headers as Record<string, string>) } });
    const next = responses.shift();
    if (!next) return new Promise<never>(() => undefined); // no more scripted answers: hang
    const encoder = new TextEncoder();
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(ctl) {
        await new Promise((r) => setTimeout(r, 1));
        if (i < next.chunks.length) ctl.enqueue(encoder.encode(next.chunks[i++]!));
        else if (!next.hold) ctl.close();
      },
    });
    init.signal?.addEventListener('abort', () => void body.cancel().catch(() => undefined));
    return new Response(body, {
      status: next.status ?? 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8' },
    });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, requests };
}

const sources: FetchEventSource[] = [];
afterEach(() => {
  for (const s of sources.splice(0)) s.close();
});

function open(responses: FakeResponse[], headers: Record<string, string> = {}) {
  const fake = fakeFetch(responses);
  const seen: { type: string; id: string; data: string }[] = [];
  const errors: number[] = [];
  const source = new FetchEventSource('/api/stream', { headers, retryMs: 5, fetch: fake.fetch });
  sources.push(source);
  const record = (e: Event) => {
    const m = e as MessageEvent<string>;
    seen.push({ type: m.type, id: m.lastEventId, data: m.data });
  };
  source.onmessage = record;
  source.addEventListener('end', record);
  source.onerror = () => errors.push(source.readyState);
  return { source, seen, errors, requests: fake.requests };
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok()).toBe(true);
};

describe('FetchEventSource', () => {
  it('sends its headers, and passes on multi-line data and events split across chunks whole', async () => {
    const { seen, requests } = open(
      [
        {
          chunks: ['id: 1\ndata: {"a":\ndata: 1}\n\n', 'id: 2\nda', 'ta: two\n', '\n: heartbeat\n\n'],
          hold: true,
        },
      ],
      { 'x-reviewer-key': 'k', 'x-share-passcode': 'blue-kettle' },
    );
    await until(() => seen.length === 2);
    expect(seen).toEqual([
      { type: 'message', id: '1', data: '{"a":\n1}' },
      { type: 'message', id: '2', data: 'two' },
    ]);
    expect(requests[0]!.url).toBe('/api/stream'); // the passcode is a header, not in the address
    expect(requests[0]!.headers).toMatchObject({
      'x-reviewer-key': 'k',
      'x-share-passcode': 'blue-kettle',
      accept: 'text/event-stream',
    });
    expect(requests[0]!.headers['last-event-id']).toBeUndefined();
  });

  it('after a dropped connection reconnects with Last-Event-ID and its headers', async () => {
    const { source, seen, errors, requests } = open(
      [
        { chunks: ['id: 1\ndata: a\n\n', 'id: 2\ndata: b\n\n'] },
        { chunks: ['id: 3\ndata: c\n\n'], hold: true },
      ],
      { 'x-reviewer-key': 'k' },
    );
    await until(() => seen.length === 3);
    expect(seen.map((e) => e.data)).toEqual(['a', 'b', 'c']);
    expect(errors).toEqual([FetchEventSource.CONNECTING]); // the drop: reconnecting, not closed
    expect(requests.map((r) => r.headers['last-event-id'])).toEqual([undefined, '2']);
    expect(requests[1]!.headers['x-reviewer-key']).toBe('k');
    expect(source.readyState).toBe(FetchEventSource.OPEN);
  });

  it('passes a named event on under its name, and fails for good on a response that is not a stream', async () => {
    const { source, seen, errors, requests } = open([
      { chunks: ['id: 5\ndata: x\n\nevent: end\ndata: {"type":"end"}\n\n'] },
      { status: 404, chunks: [] },
    ]);
    await until(() => errors.length === 2);
    expect(seen).toEqual([
      { type: 'message', id: '5', data: 'x' },
      { type: 'end', id: '5', data: '{"type":"end"}' },
    ]);
    expect(errors).toEqual([FetchEventSource.CONNECTING, FetchEventSource.CLOSED]);
    expect(source.readyState).toBe(FetchEventSource.CLOSED);
    await new Promise((r) => setTimeout(r, 30));
    expect(requests).toHaveLength(2); // no retry after the 404
  });

  it('close() stops it: no more events and no reconnection', async () => {
    const { source, seen, requests } = open([
      { chunks: ['id: 1\ndata: a\n\n'], hold: true },
      { chunks: ['id: 2\ndata: b\n\n'] },
    ]);
    await until(() => seen.length === 1);
    source.close();
    await new Promise((r) => setTimeout(r, 40));
    expect(seen).toHaveLength(1);
    expect(requests).toHaveLength(1);
    expect(source.readyState).toBe(FetchEventSource.CLOSED);
  });
});
