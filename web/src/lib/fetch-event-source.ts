// An EventSource that sends headers: a share link's reviewer proves who they are with `x-reviewer-key` and
// `x-share-passcode`, which the browser's EventSource cannot send (and the passcode must not go into an
// address, where logs and history keep it). It behaves as EventSource does, so `openEventStream`
// (./stream.ts) drives it unchanged:
// - `open`, then one MessageEvent per event, named by its `event:` field (`message` when it has none), with
//   `lastEventId` from its `id:` field;
// - a dropped connection (network error, or the body ends) fires `error` with readyState CONNECTING and
//   reconnects after `retryMs`, sending `Last-Event-ID` so the server replays only what was missed;
// - a response that is not a 200 event stream fails for good: `error` with readyState CLOSED;
// - close() aborts the request and stops reconnecting.
// The bytes are parsed by the one SSE reader (core/sse.ts), not a second one.
import { readSse } from '../../../core/sse.js';

export interface FetchEventSourceInit {
  headers?: Record<string, string>;
  /** Wait before reconnecting after a drop (EventSource's own default is about 3 s). */
  retryMs?: number;
  /** For tests. */
  fetch?: typeof fetch;
}

export class FetchEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;

  readyState = FetchEventSource.CONNECTING;
  /** The id of the last event received: sent as Last-Event-ID when reconnecting. */
  lastEventId = '';
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;

  readonly #url: string;
  readonly #init: FetchEventSourceInit;
  #abort: AbortController | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(url: string, init: FetchEventSourceInit = {}) {
    super();
    this.#url = url;
    this.#init = init;
    void this.#connect();
  }

  /** A constructor with these options bound, where one with EventSource's signature is wanted. */
  static with(init: FetchEventSourceInit) {
    return class extends FetchEventSource {
      constructor(url: string) {
        super(url, init);
      }
    };
  }

  close(): void {
    this.readyState = FetchEventSource.CLOSED;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#abort?.abort();
    this.#abort = null;
  }

  #fire(e: Event): void {
    this.dispatchEvent(e);
    if (e.type === 'open') this.onopen?.(e);
    else if (e.type === 'error') this.onerror?.(e);
    else if (e.type === 'message') this.onmessage?.(e as MessageEvent);
  }

  async #connect(): Promise<void> {
    if (this.readyState === FetchEventSource.CLOSED) return;
    const abort = new AbortController();
    this.#abort = abort;
    const doFetch = this.#init.fetch ?? fetch;
    try {
      const res = await doFetch(this.#url, {
        headers: {
          ...this.#init.headers,
          accept: 'text/event-stream',
          ...(this.lastEventId !== '' && { 'last-event-id': this.lastEventId }),
        },
        credentials: 'same-origin',
        cache: 'no-store',
        signal: abort.signal,
      });
      if (abort.signal.aborted) return;
      if (!res.ok || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
        await res.body?.cancel().catch(() => undefined);
        this.readyState = FetchEventSource.CLOSED;
        this.#fire(new Event('error'));
        return;
      }
      this.readyState = FetchEventSource.OPEN;
      this.#fire(new Event('open'));
      for await (const item of readSse(res.body)) {
        if (abort.signal.aborted) return;
        if (item.kind !== 'event') continue;
        if (item.id !== undefined) this.lastEventId = item.id;
        this.#fire(new MessageEvent(item.event, { data: item.data, lastEventId: this.lastEventId }));
      }
    } catch {
      // A network error, or our own abort (then closed, and nothing more to say).
    }
    if (abort.signal.aborted || this.readyState === FetchEventSource.CLOSED) return;
    this.readyState = FetchEventSource.CONNECTING;
    this.#fire(new Event('error'));
    if (this.readyState !== FetchEventSource.CONNECTING) return; // closed by a listener
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#connect();
    }, this.#init.retryMs ?? 1000);
  }
}
