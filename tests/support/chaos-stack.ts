// The production shape as separate OS processes that a test may SIGKILL and restart: a persisted Temporal
// dev server, the API (`server/serve.ts api`) and the worker (`server/serve.ts worker`), over a fresh
// PostgreSQL database and a given Chroma. Used by the chaos test and `npm run bench:load`.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { freePort, ROOT, TEMPORAL_BIN, tempDir, waitFor } from './processes.js';

export type Part = 'temporal' | 'api' | 'worker';

export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ChaosStackOptions {
  chromaUrl: string;
  /** Extra environment for the API and the worker. */
  env?: Record<string, string>;
  /** Where the logs and the Temporal database go; a fresh temp dir by default. */
  dir?: string;
}

export class ChaosStack {
  readonly dir: string;
  readonly databaseUrl: string;
  private readonly dbName = `ih_chaos_${randomUUID().replaceAll('-', '')}`;
  private readonly procs = new Map<Part, ChildProcess>();
  private readonly starts = new Map<Part, number>();
  private ports!: { temporal: number; temporalUi: number; api: number; worker: number };
  /** Every kill, for the report. */
  readonly kills: { part: Part; at: number }[] = [];

  constructor(private readonly opts: ChaosStackOptions) {
    this.dir = opts.dir ?? tempDir('chaos');
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${this.dbName}`;
    this.databaseUrl = u.toString();
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }
  get workerUrl(): string {
    return `http://127.0.0.1:${this.ports.worker}`;
  }
  get temporalAddress(): string {
    return `127.0.0.1:${this.ports.temporal}`;
  }

  /** The application's environment, as an operator would set it. */
  get env(): Record<string, string> {
    return {
      DATABASE_URL: this.databaseUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      CHROMA_URL: this.opts.chromaUrl,
      TEMPORAL_TASK_QUEUE: 'chaos',
      EMBEDDINGS_PROVIDER: 'hashing',
      LOG_LEVEL: 'warn',
      BLOBS_DIR: path.join(this.dir, 'blobs'),
      DATA_DIR: path.join(this.dir, 'data'),
      // Many sessions and uploads from the one local user: the per-user limits are not under test here.
      RATE_SESSIONS_PER_HOUR: '100000',
      RATE_UPLOADS_PER_HOUR: '100000',
      ...this.opts.env,
    };
  }

  async start(): Promise<void> {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect().catch((err: Error) => {
      throw new Error(
        `the chaos stack needs a PostgreSQL server at ${PG_ADMIN_URL} (set TEST_DATABASE_URL): ${err.message}`,
      );
    });
    await admin.query(`CREATE DATABASE ${this.dbName}`);
    await admin.end();
    this.ports = {
      temporal: await freePort(),
      temporalUi: await freePort(),
      api: await freePort(),
      worker: await freePort(),
    };
    await this.startPart('temporal');
    // The API migrates the fresh database; the worker starts after it so the two never race on it.
    await this.startPart('api');
    await this.startPart('worker');
  }

  running(part: Part): boolean {
    const p = this.procs.get(part);
    return !!p && p.exitCode === null && p.signalCode === null;
  }

  /** Starts a part (on its fixed port, with its persisted data) and waits until it serves. */
  async startPart(part: Part): Promise<void> {
    const n = (this.starts.get(part) ?? 0) + 1;
    this.starts.set(part, n);
    const log = path.join(this.dir, `${part}-${n}.log`);
    const out = openSync(log, 'a');
    const child =
      part === 'temporal'
        ? spawn(
            TEMPORAL_BIN,
            [
              'server',
              'start-dev',
              '--headless',
              '--ip',
              '127.0.0.1',
              '--port',
              String(this.ports.temporal),
              '--ui-port',
              String(this.ports.temporalUi),
              '--db-filename',
              path.join(this.dir, 'temporal.db'),
              '--log-level',
              'error',
            ],
            { cwd: ROOT, stdio: ['ignore', out, out] },
          )
        : // node --import tsx, not the tsx CLI: the CLI runs the program in a child that outlives a SIGKILL.
          spawn(process.execPath, ['--import', 'tsx', 'server/serve.ts', part], {
            cwd: ROOT,
            env: { ...process.env, ...this.env, PORT: String(this.ports[part]) },
            stdio: ['ignore', out, out],
          });
    this.procs.set(part, child);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`${part} exited (${signal ?? code}) while starting; see ${log}`)),
      ),
    );
    exited.catch(() => undefined);
    const ready =
      part === 'temporal'
        ? waitFor('the Temporal dev server', () => this.temporalServes(), 90_000, log)
        : waitFor(
            part,
            async () => (await fetch(`${part === 'api' ? this.apiUrl : this.workerUrl}/healthz`)).ok,
            120_000,
            log,
          );
    await Promise.race([ready, exited]);
  }

  private async temporalServes(): Promise<boolean> {
    const { Connection } = await import('@temporalio/client');
    const c = await Connection.connect({ address: this.temporalAddress, connectTimeout: 1000 });
    try {
      await c.workflowService.getSystemInfo({});
      await c.workflowService.describeNamespace({ namespace: 'default' });
      return true;
    } finally {
      await c.close();
    }
  }

  /** SIGKILL: no shutdown handler runs, as when a machine or container dies. */
  async kill(part: Part): Promise<void> {
    const child = this.procs.get(part);
    if (!child || !this.running(part)) return;
    this.kills.push({ part, at: Date.now() });
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async restart(part: Part, downMs = 0): Promise<void> {
    await this.kill(part);
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.startPart(part);
  }

  /** Reads the test database directly (event log, turns, documents), as the assertions need. */
  async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: this.databaseUrl });
    await c.connect();
    try {
      return (await c.query<T>(text, values)).rows;
    } finally {
      await c.end();
    }
  }

  async stop(): Promise<void> {
    for (const part of ['worker', 'api', 'temporal'] as const) {
      const child = this.procs.get(part);
      if (!child || !this.running(part)) continue;
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`);
    await admin.end();
  }
}
