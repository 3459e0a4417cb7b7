// The event log on a real PostgreSQL server, where writers in separate processes (worker activities, the
// parallel document ingestions of one job) append to one stream at the same moment, and readers in
// another process (the API) learn of new rows only through LISTEN/NOTIFY.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../core/db/client.js';
import { createBus, EventLog, type EventBus } from '../../core/events.js';
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
