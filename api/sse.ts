// Streams an event-log stream over SSE: replay after Last-Event-ID, then tail live events, each id once.
import type { Request, Response } from 'express';
import { REVIEW_END_STEPS } from '../contract/index.js';
import type { EventLog } from '../core/events.js';
import { activeStreams } from '../core/metrics.js';
import type { StoredEvent } from '../core/types.js';
import { badRequest } from './errors.js';

export function lastEventIdOf(req: Request): number {
  const raw =
    req.get('last-event-id') ??
    (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined);
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0)
    throw badRequest(`Last-Event-ID must be a non-negative integer, got "${raw}"`);
  return n;
}

/** A session that completed, or a review request that ended: nothing more will come. */
const isTerminal = (e: StoredEvent) =>
  (e.event.type === 'state' && e.event.status === 'completed') ||
  (e.event.type === 'review' && REVIEW_END_STEPS.includes(e.event.step));

/** Streams one event-log stream: a session's events, or a job's ingestion progress (`jobStream`). */
export function streamEvents(opts: {
  req: Request;
  res: Response;
  stream: string;
  afterId: number;
  log: EventLog;
  heartbeatMs: number;
}): void {
  const { req, res, stream, log } = opts;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  activeStreams.inc();

  let last = opts.afterId;
  let closed = false;
  // One chain, so replay and live deliveries never interleave or repeat.
  let chain: Promise<void> = Promise.resolve();

  const write = (events: StoredEvent[]): boolean => {
    for (const e of events) {
      if (closed || e.id <= last) continue;
      res.write(`id: ${e.id}\ndata: ${JSON.stringify(e.event)}\n\n`);
      last = e.id;
      if (isTerminal(e)) {
        // Tells the client the session is over, so it does not reconnect.
        res.write('event: end\ndata: {"type":"end"}\n\n');
        close();
        return false;
      }
    }
    return true;
  };

  const catchUp = async (): Promise<void> => {
    for (;;) {
      const page = await log.readAfter(stream, last, 500);
      if (!write(page) || page.length < 500) return;
    }
  };

  const enqueue = (work: () => Promise<void> | void) => {
    chain = chain.then(work).catch((err: unknown) => {
      req.log?.error({ err }, 'SSE delivery failed');
      close();
    });
  };

  const unsubscribe = log.bus.subscribe(stream, (events) => {
    enqueue(() => {
      // In-process deliveries carry the events; use them when they continue exactly where we are.
      if (events && events.length > 0 && events[0]!.id === last + 1) write(events);
      else return catchUp();
    });
  });
  const heartbeat = setInterval(() => {
    if (!closed) res.write(': heartbeat\n\n');
  }, opts.heartbeatMs);

  function close() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    activeStreams.dec();
    res.end();
  }
  req.on('close', close);
  enqueue(catchUp);
}
