// Opens the database: embedded PGlite under DATA_DIR/pg by default, PostgreSQL when DATABASE_URL is set.
// Both run the same migrations.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.js';
import { LOCAL_USER_ID } from '../types.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** A pg pool when kind is 'postgres' (for LISTEN/NOTIFY). */
  pool?: pg.Pool;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** dataDir '' or ':memory:' opens an in-memory PGlite (tests). */
export async function openDatabase(opts: { databaseUrl: string; dataDir: string }): Promise<Database> {
  let database: Database;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle connection the server drops (a restart, a failover, an admin's terminate) is an 'error' on the
    // pool, which then discards it and opens a new one when needed. Unheard, that event is an uncaught
    // exception that ends the process.
    pool.on('error', (err) => console.warn(`database: an idle connection was lost (${err.message})`));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    await migratePg(drizzlePg(pool), { migrationsFolder });
    database = {
      db,
      kind: 'postgres',
      pool,
      ping: async () => void (await pool.query('select 1')),
      close: () => pool.end(),
    };
  } else {
    const memory = opts.dataDir === '' || opts.dataDir === ':memory:';
    const dir = memory ? undefined : path.resolve(opts.dataDir, 'pg');
    if (dir) mkdirSync(dir, { recursive: true });
    const client = new PGlite(dir);
    await client.waitReady;
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    await migratePglite(drizzlePglite(client), { migrationsFolder });
    database = {
      db,
      kind: 'pglite',
      ping: async () => void (await client.query('select 1')),
      close: () => client.close(),
    };
  }
  await ensureLocalUser(database.db);
  return database;
}

/** The embedded default's single user; a later auth issue adds real accounts beside it. */
async function ensureLocalUser(db: Db): Promise<void> {
  await db
    .insert(schema.users)
    .values({ id: LOCAL_USER_ID, email: 'local@localhost', role: 'admin' })
    .onConflictDoNothing();
}
