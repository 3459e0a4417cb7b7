// A client that behaves like a real one facing an unreliable server: it retries a request on a connection
// error or a 5xx (answers with the same turnId, so a retry is idempotent), and follows a session's event
// stream across drops by reconnecting with Last-Event-ID. It records what it saw, for the assertions.
import { readSse } from '../../core/sse.js';
import type { SseEvent } from './client.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Reply<T> {
  status: number;
  json: T;
  /** How many attempts it took (1: no retry). */
  attempts: number;
}

export class ResilientClient {
  /** Requests that needed more than one attempt, and streams that resumed on a new connection. */
  readonly stats = { retriedRequests: 0, reconnects: 0 };
  /** Called as each request attempt goes out (a fault injector may time a kill by it). */
  onRequest: ((method: string, path: string) => void) | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly giveUpMs = 120_000,
  ) {}

  /** Retries on connection errors and 5xx until `giveUpMs`; any other status is the answer. */
  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    init: { form?: () => FormData; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const deadline = Date.now() + this.giveUpMs;
    let lastError = '';
    for (let attempt = 1; ; attempt++) {
      if (attempt === 2) this.stats.retriedRequests++;
      this.onRequest?.(method, path);
      try {
        const res = await fetch(this.baseUrl + path, {
          method,
          ...(init.form
            ? { body: init.form(), headers: init.headers }
            : {
                headers: { 'content-type': 'application/json', ...init.headers },
                body: body === undefined ? undefined : JSON.stringify(body),
              }),
          signal: AbortSignal.timeout(45_000),
        });
        const text = await res.text();
        if (res.status < 500) {
          let json: unknown = text;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          return { status: res.status, json: json as T, attempts: attempt };
        }
        lastError = `HTTP ${res.status} ${text.slice(0, 200)}`;
      } catch (err) {
        lastError =
          (err as Error).message + ((err as Error).cause ? ` (${String((err as Error).cause)})` : '');
      }
      if (Date.now() > deadline)
        throw new Error(`${method} ${path}: gave up after ${attempt} attempts: ${lastError}`);
      await sleep(Math.min(2000, 150 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()));
    }
  }

  /**
   * Follows an event stream to its end (`event: end`), reconnecting with Last-Event-ID after every drop.
   * `onEvent` sees each delivered event once; `violations` records any id delivered twice or skipped.
   */
  follow(
    path: string,
    onEvent: (e: SseEvent) => void,
    opts: { until?: (e: SseEvent) => boolean } = {},
  ): { done: Promise<void>; events: SseEvent[]; violations: string[]; stop(): void } {
    const events: SseEvent[] = [];
    const violations: string[] = [];
    let stopped = false;
    let ctl: AbortController | undefined;
    const deadline = Date.now() + 30 * 60_000;
    const done = (async () => {
      let last = 0;
      let connections = 0;
      while (!stopped && Date.now() < deadline) {
        ctl = new AbortController();
        try {
          const res = await fetch(this.baseUrl + path, {
            headers: { accept: 'text/event-stream', ...(last > 0 && { 'last-event-id': String(last) }) },
            signal: ctl.signal,
          });
          if (res.status !== 200) {
            if (res.status < 500) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
            await res.body?.cancel();
            await sleep(300);
            continue;
          }
          if (++connections > 1) this.stats.reconnects++;
          // Unlike readJsonEvents, tells `event: end` (done) from a dropped connection (reconnect).
          for await (const item of readSse(res.body)) {
            if (item.kind !== 'event') continue;
            if (item.event === 'end') return;
            if (item.id === undefined || !item.data) continue;
            const id = Number(item.id);
            const data = JSON.parse(item.data) as SseEvent['data'];
            if (id !== last + 1) violations.push(`${path}: got id ${id} after ${last}`);
            if (id <= last) continue;
            last = id;
            const e: SseEvent = { id, data };
            events.push(e);
            onEvent(e);
            if (opts.until?.(e)) return;
          }
        } catch (err) {
          if (stopped) return;
          if (err instanceof Error && /HTTP 4\d\d/.test(err.message)) throw err;
        }
        // The connection dropped (the API died or restarts): reconnect from the last id, as EventSource does.
        await sleep(200 + Math.random() * 300);
      }
    })();
    return {
      done,
      events,
      violations,
      stop() {
        stopped = true;
        ctl?.abort();
      },
    };
  }
}
