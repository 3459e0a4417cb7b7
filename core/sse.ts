// The one reader of Server-Sent Events streams, for tests, benches and command-line tools alike, and for the
// web client's fetch-based event source (web/src/lib/fetch-event-source.ts: a stream that needs headers
// EventSource cannot send). Parsing is eventsource-parser's: multi-line data, CR/LF line ends, comments, a
// byte-order mark and events split across chunks are its business, not ours.
// eventsource-parser is a devDependency: the API and worker must not import this module (the web client
// bundles it at build time). No Node-only imports here, for the same reason.
import { createParser } from 'eventsource-parser';

/** One event of a stream: `event` is its type (`message` when the stream names none). */
export interface SseMessage {
  kind: 'event';
  /** The `id:` field of this event, when it has one. */
  id: string | undefined;
  event: string;
  data: string;
  /** `performance.now()` when the chunk that completed the event arrived. */
  at: number;
}

/** A comment line (`: heartbeat`), without its colon and the space after it. */
export interface SseComment {
  kind: 'comment';
  text: string;
  at: number;
}

export type SseItem = SseMessage | SseComment;

/**
 * Yields each event and comment of `body` as soon as it is complete, until the stream ends. Breaking out
 * of the loop cancels the body.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null,
): AsyncGenerator<SseItem> {
  if (!body) return;
  const ready: SseItem[] = [];
  let at = 0;
  const parser = createParser({
    onEvent: (e) => ready.push({ kind: 'event', id: e.id, event: e.event ?? 'message', data: e.data, at }),
    onComment: (text) => ready.push({ kind: 'comment', text, at }),
  });
  const decoder = new TextDecoder();
  for await (const chunk of chunksOf(body)) {
    at = performance.now();
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (ready.length > 0) yield ready.shift()!;
  }
}

/**
 * The chunks of a body. A ReadableStream is read through its reader: not every browser makes web streams
 * async iterable (Safari does not). Returning early cancels the stream, as breaking out of its iteration would.
 */
async function* chunksOf(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (!('getReader' in body)) {
    yield* body;
    return;
  }
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** An event of our API's streams: a numbered `id` and a JSON `data`. */
export interface JsonEvent<T> {
  id: number;
  data: T;
  at: number;
}

/**
 * Our API's session and job streams as events: yields each numbered JSON event; returns at `event: end`
 * (or when the stream closes). Comments (heartbeats) and events without an id are skipped.
 */
export async function* readJsonEvents<T>(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null,
): AsyncGenerator<JsonEvent<T>> {
  for await (const item of readSse(body)) {
    if (item.kind !== 'event') continue;
    if (item.event === 'end') return;
    if (item.id === undefined || !item.data) continue;
    yield { id: Number(item.id), data: JSON.parse(item.data) as T, at: item.at };
  }
}
