// The session event log: append-only, per-session increasing ids, idempotent by key.
// Writers (activities) append; readers (the SSE endpoint) replay after an id and then tail.
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
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
  /** Every subscriber of every session hears `null` ("re-read the log"): wake-ups may have been missed. */
  wakeAll(): void {
    for (const sessionId of this.emitter.eventNames()) this.emitter.emit(sessionId, null);
  }
  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** First pause before listening again after the LISTEN connection is lost; doubled per failure, up to the cap. */
const RELISTEN_FIRST_MS = 200;
const RELISTEN_MAX_MS = 5_000;

/** Postgres LISTEN/NOTIFY, for an API and workers in separate processes. Subscribers re-read the log. */
export class PgNotifyBus implements EventBus {
  readonly notifyChannel = 'session_events';
  private readonly local = new InProcessBus();
  /** Gives the LISTEN connection back to the pool, to be destroyed; undefined while not listening. */
  private dropConnection: (() => void) | undefined;
  private readonly closing = new AbortController();
  private constructor(private readonly pool: pg.Pool) {}
  private get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /** The first LISTEN must succeed (a process that cannot hear appends should not start). */
  static async connect(pool: pg.Pool): Promise<PgNotifyBus> {
    const bus = new PgNotifyBus(pool);
    await bus.listen();
    return bus;
  }

  /**
   * Checks a connection out of the pool for good and LISTENs on it. The server may drop it at any time
   * (a restart, a failover, an admin's terminate): the client then emits 'error' (unheard, an uncaught
   * exception that ends the process) and 'end'. Either one destroys the connection and starts listening
   * again on a new one.
   */
  private async listen(): Promise<void> {
    const client = await this.pool.connect();
    if (this.closed) return client.release(true);
    let released = false;
    // Destroyed, never returned to the pool's idle list: it would still be LISTENing. Once only (a second
    // release throws), as 'error' and 'end' both come, and close() may come too.
    const drop = (err?: Error): boolean => {
      if (released) return false;
      released = true;
      client.release(err ?? true);
      return true;
    };
    const onLost = (err?: Error) => {
      if (drop(err) && this.dropConnection === drop) this.relisten(err);
    };
    // Stays attached after the release: a dying client may emit 'error' more than once.
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (msg) => {
      if (msg.payload) this.local.publish(msg.payload, []);
    });
    try {
      await client.query(`LISTEN ${this.notifyChannel}`);
    } catch (err) {
      drop(err instanceof Error ? err : undefined);
      throw err;
    }
    // Lost between the LISTEN's answer and here, or the bus closed meanwhile: not kept.
    if (released) throw new Error('the LISTEN connection was lost as it started');
    if (this.closed) {
      drop();
      return;
    }
    this.dropConnection = drop;
  }

  private relisten(err: Error | undefined): void {
    this.dropConnection = undefined;
    if (this.closed) return;
    console.warn(`events: the LISTEN connection was lost (${err?.message ?? 'it ended'}); listening again`);
    void (async () => {
      for (let pause = RELISTEN_FIRST_MS; !this.closed; pause = Math.min(pause * 2, RELISTEN_MAX_MS)) {
        try {
          await this.listen();
          if (this.closed) return;
          console.warn('events: listening again');
          // Notifications sent while nobody listened are gone: every reader re-reads from where it is.
          this.local.wakeAll();
          return;
        } catch (e) {
          if (this.closed) return;
          console.warn(`events: LISTEN failed (${(e as Error).message}); trying again in ${pause} ms`);
          await sleep(pause, undefined, { signal: this.closing.signal }).catch(() => undefined);
        }
      }
    })();
  }

  /** Appends notify in their own statement (see EventLog); this is for writers outside the log. */
  publish(sessionId: string): void {
    void this.pool.query('SELECT pg_notify($1, $2)', [this.notifyChannel, sessionId]);
  }
  subscribe(sessionId: string, onEvents: (events: StoredEvent[] | null) => void): () => void {
    return this.local.subscribe(sessionId, () => onEvents(null));
  }
  /**
   * Ends a pause between tries at once. A connect already under way is not awaited (towards an unreachable
   * server it can take minutes); when it ends, the loop sees `closed` and gives its connection back.
   */
  async close(): Promise<void> {
    this.closing.abort();
    this.dropConnection?.();
    this.dropConnection = undefined;
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
