// The event log on a real PostgreSQL server, where writers in separate processes (worker activities, the
// parallel document ingestions of one job) append to one stream at the same moment, and readers in
// another process (the API) learn of new rows only through LISTEN/NOTIFY.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../core/db/client.js';
import { createBus, EventLog, PgNotifyBus, type EventBus } from '../../core/events.js';
import { EventSink } from '../../workflows/activities/sink.js';
import { PG_ADMIN_URL } from '../support/chaos-stack.js';

const dbName = `ih_test_${randomUUID().replaceAll('-', '')}`;
const url = (() => {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
let writer: Database;
let reader: Database;
let writerBus: EventBus;
let readerBus: EventBus;

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  // Two pools, as the worker and the API processes have.
  writer = await openDatabase({ databaseUrl: url, dataDir: ':memory:' });
  reader = await openDatabase({ databaseUrl: url, dataDir: ':memory:' });
  writerBus = await createBus(writer);
  readerBus = await createBus(reader);
});

afterAll(async () => {
  await writerBus?.close();
  await readerBus?.close();
  await writer?.close();
  await reader?.close();
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

it('writers racing on one stream all get their events in, each once, with ids 1..n', async () => {
  const log = new EventLog(writer.db, writerBus);
  const stream = `job:${randomUUID()}`;
  // Twelve writers (documents of one job), five stages each, all at once, each stage appended twice
  // (a retried activity): 60 distinct events.
  await Promise.all(
    Array.from({ length: 12 }, async (_, w) => {
      for (const stage of ['parsing', 'chunking', 'embedding', 'indexed', 'ready']) {
        const item = {
          key: `doc${w}:${stage}`,
          event: { type: 'error' as const, message: `doc ${w} ${stage}`, retryable: false },
        };
        await Promise.all([log.append(stream, [item]), log.append(stream, [item])]);
      }
    }),
  );
  const stored = await new EventLog(reader.db, readerBus).readAfter(stream, 0);
  expect(stored.map((e) => e.id)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  const messages = stored.map((e) => (e.event.type === 'error' ? e.event.message : ''));
  expect(new Set(messages).size).toBe(60);
  // Each writer's own events stay in the order it wrote them.
  for (let w = 0; w < 12; w++) {
    const mine = messages.filter((m) => m.startsWith(`doc ${w} `)).map((m) => m.split(' ')[2]);
    expect(mine).toEqual(['parsing', 'chunking', 'embedding', 'indexed', 'ready']);
  }
}, 60_000);

it('a reader in another process is woken by every append that stored something, and only then', async () => {
  const log = new EventLog(writer.db, writerBus);
  const stream = `session-${randomUUID()}`;
  let wakeUps = 0;
  const woken = () =>
    new Promise<void>((resolve) => {
      const off = readerBus.subscribe(stream, () => {
        wakeUps++;
        off();
        resolve();
      });
    });
  const first = woken();
  await log.append(stream, [{ key: 'a', event: { type: 'state', status: 'active', round: 1 } }]);
  await first;
  // The same key again stores nothing: no wake-up.
  const before = wakeUps;
  const count = () => readerBus.subscribe(stream, () => wakeUps++);
  const off = count();
  expect(
    await log.append(stream, [{ key: 'a', event: { type: 'state', status: 'active', round: 1 } }]),
  ).toEqual([]);
  await new Promise((r) => setTimeout(r, 300));
  expect(wakeUps).toBe(before);
  off();
  const second = woken();
  await log.append(stream, [{ key: 'b', event: { type: 'state', status: 'awaiting_answer', round: 1 } }]);
  await second;
  expect(await new EventLog(reader.db, readerBus).readAfter(stream, 0)).toHaveLength(2);
}, 30_000);

it('an idle pooled connection the server drops does not end the process; the next query gets a new one', async () => {
  await Promise.all([writer.pool!.query('select 1'), reader.pool!.query('select 1')]);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  // As a server restart or an admin would: every connection of this database but the LISTENing ones.
  const killed = await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = $1 AND pid <> pg_backend_pid() AND query NOT ILIKE 'LISTEN%'`,
    [dbName],
  );
  await admin.end();
  expect(killed.rowCount).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 300));
  const rows = await writer.pool!.query('select 1 as one');
  expect(rows.rows).toEqual([{ one: 1 }]);
});

/** Runs one statement as the server's administrator (outside the database under test). */
async function asAdmin(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    return await admin.query(text, values);
  } finally {
    await admin.end();
  }
}

/** The LISTEN backends of the database under test, as the server sees them. */
async function listeners(): Promise<number[]> {
  const r = await asAdmin(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'`, [
    dbName,
  ]);
  return r.rows.map((row: { pid: number }) => row.pid);
}

/** Errors nobody handled while `during` ran (one is what ends an API or worker process). */
async function uncaughtDuring(during: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const hear = (err: unknown) => seen.push(err);
  process.on('uncaughtException', hear).on('unhandledRejection', hear);
  try {
    await during();
  } finally {
    process.off('uncaughtException', hear).off('unhandledRejection', hear);
  }
  return seen;
}

function wokenWithin(bus: EventBus, stream: string, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(false);
    }, ms);
    const off = bus.subscribe(stream, () => {
      clearTimeout(timer);
      off();
      resolve(true);
    });
  });
}

it('a dropped LISTEN connection is replaced (after retries, without spinning), readers are woken to re-read, and later appends reach them', async () => {
  const log = new EventLog(writer.db, writerBus);
  const stream = `session-${randomUUID()}`;
  const connects = vi.spyOn(reader.pool!, 'connect');
  expect(await listeners()).toHaveLength(2); // the reader's and the writer's buses
  const rewoken = wokenWithin(readerBus, stream, 15_000);
  let wokenEarly = true;
  const uncaught = await uncaughtDuring(async () => {
    // The server refuses new connections for a while, so listening again has to be retried.
    await asAdmin(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
    try {
      // Every connection of the database, so that no idle pooled one can serve the new LISTEN.
      await asAdmin(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [dbName],
      );
      wokenEarly = await wokenWithin(readerBus, stream, 1_500);
    } finally {
      await asAdmin(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
    }
  });
  const tries = connects.mock.calls.length;
  connects.mockRestore();
  expect(uncaught).toEqual([]);
  // Pauses of 200, 400, 800 ms: four tries at most in those 1.5 s; a loop without a pause makes hundreds.
  expect(tries).toBeGreaterThanOrEqual(2);
  expect(tries).toBeLessThanOrEqual(5);
  // Not woken while nothing listened; woken once listening again, to re-read what it missed.
  expect(wokenEarly).toBe(false);
  expect(await rewoken).toBe(true);
  // The writer's bus too (its own retries may still be in a pause).
  await vi.waitFor(async () => expect(await listeners()).toHaveLength(2), { timeout: 10_000, interval: 200 });
  const delivered = wokenWithin(readerBus, stream, 10_000);
  await log.append(stream, [{ key: 'after', event: { type: 'state', status: 'active', round: 1 } }]);
  expect(await delivered).toBe(true);
}, 30_000);

it('closing the bus while it is trying to listen again stops the retries', async () => {
  // Named, so that its connections (the LISTEN one and any idle one that could serve a new LISTEN) can be cut.
  const extraUrl = new URL(url);
  extraUrl.searchParams.set('application_name', 'ih-test-extra-bus');
  const extra = await openDatabase({ databaseUrl: extraUrl.toString(), dataDir: ':memory:' });
  const bus = await PgNotifyBus.connect(extra.pool!);
  const connects = vi.spyOn(extra.pool!, 'connect');
  await asAdmin(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
  try {
    const uncaught = await uncaughtDuring(async () => {
      const killed = await asAdmin(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ih-test-extra-bus'`,
      );
      expect(killed.rowCount).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 500));
    });
    expect(uncaught).toEqual([]);
    await vi.waitFor(() => expect(connects.mock.calls.length).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
    const started = Date.now();
    await bus.close();
    // Mid-pause: close() cuts the pause short rather than waiting it out.
    expect(Date.now() - started).toBeLessThan(500);
    const after = connects.mock.calls.length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(connects.mock.calls.length).toBe(after);
  } finally {
    await asAdmin(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
    await bus.close();
    await extra.close();
  }
}, 30_000);

it('a retried phase whose output differs still delivers the event it ends with, once', async () => {
  const log = new EventLog(writer.db, writerBus);
  const session = `session-${randomUUID()}`;
  const token = (text: string) => ({ type: 'token' as const, node: 'select_question' as const, text });
  // Attempt 1 streams ten tokens and dies before its question; attempt 2 (other inputs, or a model at
  // temperature > 0) picks a shorter question.
  const first = new EventSink(log, session, 'turn-1:ask');
  first.emit({ type: 'state', status: 'active', round: 1 });
  for (let i = 0; i < 10; i++) first.emit(token(`long${i} `));
  await first.close();
  const second = new EventSink(log, session, 'turn-1:ask');
  second.emit({ type: 'state', status: 'active', round: 1 });
  for (let i = 0; i < 4; i++) second.emit(token(`short${i} `));
  second.emit({ type: 'question', turnId: 'turn-1', text: 'short', citations: [] }, 'question');
  await second.close();
  // A third attempt adds nothing more.
  const third = new EventSink(log, session, 'turn-1:ask');
  third.emit({ type: 'question', turnId: 'turn-1', text: 'short', citations: [] }, 'question');
  await third.close();
  const stored = await new EventLog(reader.db, readerBus).readAfter(session, 0);
  expect(stored.filter((e) => e.event.type === 'question').map((e) => e.event)).toEqual([
    { type: 'question', turnId: 'turn-1', text: 'short', citations: [] },
  ]);
  expect(stored.map((e) => e.id)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
}, 30_000);
