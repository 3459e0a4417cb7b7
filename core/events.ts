// The session event log: append-only, per-session increasing ids, idempotent by key.
// Writers (activities) append; readers (the SSE endpoint) replay after an id and then tail.
import { EventEmitter } from 'node:events';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
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
  /**
   * Set: the append statement itself notifies this Postgres channel with the session id, so a wake-up
   * goes out exactly when the rows commit (a writer killed right after its insert cannot lose it).
   */
  readonly notifyChannel?: string;
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
  readonly notifyChannel = 'session_events';
  private readonly local = new InProcessBus();
  private client: pg.PoolClient | undefined;
  private constructor(private readonly pool: pg.Pool) {}

  static async connect(pool: pg.Pool): Promise<PgNotifyBus> {
    const bus = new PgNotifyBus(pool);
    bus.client = await pool.connect();
    bus.client.on('notification', (msg) => {
      if (msg.payload) bus.local.publish(msg.payload, []);
    });
    await bus.client.query(`LISTEN ${bus.notifyChannel}`);
    return bus;
  }
  /** Appends notify in their own statement (see EventLog); this is for writers outside the log. */
  publish(sessionId: string): void {
    void this.pool.query('SELECT pg_notify($1, $2)', [this.notifyChannel, sessionId]);
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

/** Drizzle wraps the driver's error (DrizzleQueryError), so the Postgres code may sit on its cause. */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | undefined;
  return e?.code === '23505' || e?.cause?.code === '23505';
}

export class EventLog {
  constructor(
    private readonly db: Db,
    readonly bus: EventBus,
  ) {}

  /** Appends the events whose keys are new, in order; returns only those. */
  async append(sessionId: string, items: KeyedEvent[]): Promise<StoredEvent[]> {
    if (items.length === 0) return [];
    const stored = await this.insertFresh(sessionId, items);
    if (stored.length > 0) {
      eventsAppended.inc(stored.length);
      if (!this.bus.notifyChannel) this.bus.publish(sessionId, stored);
    }
    return stored;
  }

  /**
   * One statement, no transaction: the embedded database serialises every query, so a multi-statement
   * transaction per token batch would queue all sessions behind each other. Two writers racing on one
   * stream collide on the primary key; the loser tries again (after a moment) with the next free ids.
   */
  private async insertFresh(sessionId: string, items: KeyedEvent[], attempt = 1): Promise<StoredEvent[]> {
    const payload = JSON.stringify(items.map((i) => ({ key: i.key, data: i.event })));
    const channel = this.bus.notifyChannel;
    // One notification per statement that inserted rows (Postgres folds repeats within a transaction).
    const notify = channel ? sql`, pg_notify(${channel}, ${sessionId})::text AS notified` : sql``;
    try {
      const result = (await this.db.execute(sql`
        WITH input AS (
          SELECT e->>'key' AS key, e->'data' AS data, ord
          FROM jsonb_array_elements(${payload}::jsonb) WITH ORDINALITY AS t(e, ord)
        ), fresh AS (
          SELECT DISTINCT ON (key) key, data, ord FROM input
          WHERE NOT EXISTS (SELECT 1 FROM ${sessionEvents} s WHERE s.session_id = ${sessionId} AND s.key = input.key)
          ORDER BY key, ord
        ), inserted AS (
          INSERT INTO ${sessionEvents} (session_id, seq, key, data)
          SELECT ${sessionId},
                 (SELECT COALESCE(MAX(seq), 0) FROM ${sessionEvents} WHERE session_id = ${sessionId}) + row_number() OVER (ORDER BY ord),
                 key, data
          FROM fresh
          ON CONFLICT (session_id, key) DO NOTHING
          RETURNING seq, data
        )
        SELECT seq, data${notify} FROM inserted`)) as unknown as {
        rows: { seq: number | string; data: SessionEvent }[];
      };
      return result.rows.map((r) => ({ id: Number(r.seq), event: r.data })).sort((x, y) => x.id - y.id);
    } catch (err) {
      if (attempt < 10 && isUniqueViolation(err)) {
        // Jittered, so writers that collided once (parallel document ingestions on one job's stream) part.
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
        return this.insertFresh(sessionId, items, attempt + 1);
      }
      throw err;
    }
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
