// The session event log: append-only, per-session increasing ids, idempotent by key.
// Writers (activities) append; readers (the SSE endpoint) replay after an id and then tail.
import { EventEmitter } from 'node:events';
import { and, asc, eq, gt, inArray, max, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Database, Db } from './db/client.js';
import { sessionEvents } from './db/schema.js';
import type { SessionEvent, StoredEvent } from './types.js';
import { eventsAppended } from './metrics.js';

export interface KeyedEvent {
  /** Stable across retries of the same work, so a retried append adds nothing. */
  key: string;
  event: SessionEvent;
}

/** Tells readers that a session has new events. In-process, it carries them; across processes, only ids. */
export interface EventBus {
  publish(sessionId: string, events: StoredEvent[]): void;
  subscribe(sessionId: string, onEvents: (events: StoredEvent[] | null) => void): () => void;
  close(): Promise<void>;
}

export class InProcessBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  publish(sessionId: string, events: StoredEvent[]): void {
    this.emitter.emit(sessionId, events);
  }
  subscribe(sessionId: string, onEvents: (events: StoredEvent[] | null) => void): () => void {
    this.emitter.on(sessionId, onEvents);
    return () => this.emitter.off(sessionId, onEvents);
  }
  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** Postgres LISTEN/NOTIFY, for an API and workers in separate processes. Subscribers re-read the log. */
export class PgNotifyBus implements EventBus {
  private readonly local = new InProcessBus();
  private client: pg.PoolClient | undefined;
  private constructor(private readonly pool: pg.Pool) {}

  static async connect(pool: pg.Pool): Promise<PgNotifyBus> {
    const bus = new PgNotifyBus(pool);
    bus.client = await pool.connect();
    bus.client.on('notification', (msg) => {
      if (msg.payload) bus.local.publish(msg.payload, []);
    });
    await bus.client.query('LISTEN session_events');
    return bus;
  }
  publish(sessionId: string): void {
    void this.pool.query('SELECT pg_notify($1, $2)', ['session_events', sessionId]);
  }
  subscribe(sessionId: string, onEvents: (events: StoredEvent[] | null) => void): () => void {
    return this.local.subscribe(sessionId, () => onEvents(null));
  }
  async close(): Promise<void> {
    this.client?.release();
    await this.local.close();
  }
}

export async function createBus(database: Database): Promise<EventBus> {
  return database.pool ? PgNotifyBus.connect(database.pool) : new InProcessBus();
}

export class EventLog {
  constructor(
    private readonly db: Db,
    readonly bus: EventBus,
  ) {}

  /** Appends the events whose keys are new, in order; returns only those. */
  async append(sessionId: string, items: KeyedEvent[]): Promise<StoredEvent[]> {
    if (items.length === 0) return [];
    const stored = await this.db.transaction(async (tx) => {
      // One writer per session at a time, so seq has no gaps and no races across processes.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${sessionId}))`);
      const existing = await tx
        .select({ key: sessionEvents.key })
        .from(sessionEvents)
        .where(
          and(
            eq(sessionEvents.sessionId, sessionId),
            inArray(
              sessionEvents.key,
              items.map((i) => i.key),
            ),
          ),
        );
      const seen = new Set(existing.map((r) => r.key));
      // Also drops a key repeated within this batch.
      const fresh = items.filter((i) => !seen.has(i.key) && Boolean(seen.add(i.key)));
      if (fresh.length === 0) return [];
      const [top] = await tx
        .select({ last: max(sessionEvents.seq) })
        .from(sessionEvents)
        .where(eq(sessionEvents.sessionId, sessionId));
      const first = Number(top?.last ?? 0) + 1;
      const rows = fresh.map((i, n) => ({ sessionId, seq: first + n, key: i.key, data: i.event }));
      await tx.insert(sessionEvents).values(rows);
      return rows.map((r) => ({ id: r.seq, event: r.data }));
    });
    if (stored.length > 0) {
      eventsAppended.inc(stored.length);
      this.bus.publish(sessionId, stored);
    }
    return stored;
  }

  async readAfter(sessionId: string, afterId: number, limit = 1000): Promise<StoredEvent[]> {
    const rows = await this.db
      .select({ seq: sessionEvents.seq, data: sessionEvents.data })
      .from(sessionEvents)
      .where(and(eq(sessionEvents.sessionId, sessionId), gt(sessionEvents.seq, afterId)))
      .orderBy(asc(sessionEvents.seq))
      .limit(limit);
    return rows.map((r) => ({ id: Number(r.seq), event: r.data }));
  }
}
