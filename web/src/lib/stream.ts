// The one wrapper around EventSource for our event streams (`GET /api/sessions/:id/events`, and a review
// request's `GET /api/reviews/:id/events` or its share link's).
// - every event carries `id:`; we remember the last one and never pass on an id <= it;
// - the browser reconnects by itself (sending Last-Event-ID); if the EventSource ends up
//   CLOSED we create a new one with `?lastEventId=N` (the server's fallback for the header);
// - when the browser goes offline the stream is dropped at once (an idle connection may not notice
//   for a long time) and reopened, from the last id, as soon as it is back online;
// - a terminal `event: end` closes the stream for good (no reconnect).
// A stream that needs headers (a share link's reviewer key and passcode) goes through FetchEventSource,
// which behaves as EventSource does but sends them: `options.headers`.
import { api, type SessionEvent } from './api';
import { FetchEventSource } from './fetch-event-source';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface StreamHandlers<E = SessionEvent> {
  onEvent: (event: E, id: number | null) => void;
  onConnection?: (state: ConnectionState) => void;
  onEnd?: () => void;
}

export interface SessionStream {
  readonly lastEventId: number;
  close(): void;
}

/** Event names a server may use instead of the default `message` (data still has `type`). */
const NAMED_EVENTS = ['node', 'token', 'question', 'transcript', 'feedback', 'state'];

/** What of EventSource we use: the browser's, or FetchEventSource. */
interface EventSourceLike {
  readonly readyState: number;
  onopen: ((e: Event) => void) | null;
  onmessage: ((e: MessageEvent) => void) | null;
  onerror: ((e: Event) => void) | null;
  addEventListener(type: string, listener: EventListener): void;
  close(): void;
}
type EventSourceConstructor = { new (url: string): EventSourceLike; readonly CLOSED: number };

export interface StreamOptions {
  /** Start after this id (0 or absent: from the beginning). */
  lastEventId?: number;
  /** Headers to send with the request (then it is read with fetch: EventSource cannot send any). */
  headers?: Record<string, string>;
  /** For tests. */
  EventSource?: EventSourceConstructor;
}

export function openSessionStream(
  sessionId: string,
  handlers: StreamHandlers,
  options: StreamOptions = {},
): SessionStream {
  return openEventStream((last) => api.eventsUrl(sessionId, last), handlers, options);
}

/** Any of our streams: `urlOf(last)` is its URL resuming after event `last` (0: from the start). */
export function openEventStream<E extends { type: string }>(
  urlOf: (lastEventId: number) => string,
  handlers: StreamHandlers<E>,
  options: StreamOptions = {},
): SessionStream {
  const ES: EventSourceConstructor =
    options.EventSource ??
    (options.headers ? FetchEventSource.with({ headers: options.headers }) : EventSource);
  let last = options.lastEventId ?? 0;
  let source: EventSourceLike | null = null;
  let stopped = false;
  let opened = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let backoff = 1000;

  const setState = (s: ConnectionState) => handlers.onConnection?.(s);

  function dispatch(e: MessageEvent) {
    if (stopped || typeof e.data !== 'string') return;
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      return;
    }
    if (!data || typeof data !== 'object' || typeof (data as { type?: unknown }).type !== 'string') return;
    let id: number | null = null;
    if (e.lastEventId !== '') {
      const n = Number(e.lastEventId);
      if (Number.isFinite(n)) {
        if (n <= last) return; // already applied (replay overlap)
        last = n;
        id = n;
      }
    }
    handlers.onEvent(data as E, id);
  }

  function scheduleReconnect() {
    if (stopped || retryTimer) return;
    setState('reconnecting');
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, backoff);
    backoff = Math.min(backoff * 2, 15000);
  }

  function connect() {
    if (stopped) return;
    setState(opened ? 'reconnecting' : 'connecting');
    const es = new ES(urlOf(last));
    source = es;
    es.onopen = () => {
      opened = true;
      backoff = 1000;
      setState('live');
    };
    es.onmessage = dispatch;
    for (const name of NAMED_EVENTS) es.addEventListener(name, dispatch as EventListener);
    es.addEventListener('end', () => {
      stopped = true;
      es.close();
      setState('closed');
      handlers.onEnd?.();
    });
    es.onerror = (e: Event) => {
      // A server-sent `event: error` arrives here too, as a MessageEvent with data.
      if (typeof MessageEvent !== 'undefined' && e instanceof MessageEvent && typeof e.data === 'string') {
        dispatch(e);
        return;
      }
      if (stopped) return;
      if (es.readyState === ES.CLOSED) {
        es.close();
        if (source === es) source = null;
        scheduleReconnect();
      } else {
        setState('reconnecting'); // the browser retries by itself with Last-Event-ID
      }
    };
  }

  const win = typeof window !== 'undefined' ? window : null;
  function onOffline() {
    if (stopped) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    source?.close();
    source = null;
    setState('reconnecting');
  }
  function onOnline() {
    if (stopped || source) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    backoff = 1000;
    connect();
  }
  win?.addEventListener('offline', onOffline);
  win?.addEventListener('online', onOnline);

  connect();

  return {
    get lastEventId() {
      return last;
    },
    close() {
      stopped = true;
      win?.removeEventListener('offline', onOffline);
      win?.removeEventListener('online', onOnline);
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      source?.close();
      source = null;
      setState('closed');
    },
  };
}
