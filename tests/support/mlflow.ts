// A REAL MLflow tracking server for tests: the `mlflow` CLI from the project's venv, run as `npm start` runs it
// (scripts/lib/mlflow.mjs: a SQLite backend and proxied artifacts) in a temp dir, on a free port of 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import path from 'node:path';
import { mlflowBin, mlflowServerArgs } from '../../scripts/lib/mlflow.mjs';
import { freePort, ROOT, tempDir, waitFor } from './processes.js';

const MLFLOW_BIN = mlflowBin(ROOT);

export interface MlflowServer {
  url: string;
  stop(): Promise<void>;
}

export async function startMlflow(): Promise<MlflowServer> {
  if (!existsSync(MLFLOW_BIN)) {
    throw new Error(`the mlflow CLI is not at ${MLFLOW_BIN}: install it with .venv/bin/pip install mlflow`);
  }
  const dir = tempDir('mlflow');
  const port = await freePort();
  const log = path.join(dir, 'mlflow.log');
  const out = openSync(log, 'a');
  // Its own process group: `mlflow server` runs the web server and background job consumers as children.
  const child = spawn(MLFLOW_BIN, mlflowServerArgs({ dir, port }), {
    cwd: dir,
    stdio: ['ignore', out, out],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  // SIGTERM the group, then wait until every member (the web server, its job consumers) is gone.
  const stop = async () => {
    if (!child.pid) return;
    const group = -child.pid;
    const alive = () => {
      try {
        process.kill(group, 0);
        return true;
      } catch {
        return false;
      }
    };
    const signal = (sig: NodeJS.Signals) => {
      if (alive()) process.kill(group, sig);
    };
    signal('SIGTERM');
    const deadline = Date.now() + 15_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    signal('SIGKILL');
  };
  try {
    await waitFor(
      'the MLflow server',
      async () => (await fetch(`${url}/health`)).status === 200,
      150_000,
      log,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}
