// The local MLflow tracking server and model registry: how `npm start` and the tests run it, and where the
// admin CLI finds it. Node standard library only (this runs before `npm install`). Installing it is
// ensureMlflow in setup-steps.mjs.
import { join } from 'node:path';

/** The `mlflow` CLI in the project's venv (MLFLOW_BIN overrides it). */
export const mlflowBin = (root, env = process.env) => env.MLFLOW_BIN || join(root, '.venv', 'bin', 'mlflow');

/** The port `npm start` runs MLflow on: MLFLOW_PORT, else MLflow's own default. */
export function mlflowPort(env = process.env) {
  const value = Number(env.MLFLOW_PORT ?? 5000);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new Error(`MLFLOW_PORT="${env.MLFLOW_PORT}" is not a valid port`);
  return value;
}

/** The tracking URI of the MLflow `npm start` runs. */
export const localMlflowUrl = (env = process.env) => `http://127.0.0.1:${mlflowPort(env)}`;

/**
 * `mlflow server` arguments: a SQLite backend and proxied artifacts (the app and the CLI read weights.json
 * through the server, never from its disk) in `dir`, bound to 127.0.0.1, one worker (two cores).
 */
export function mlflowServerArgs({ dir, port }) {
  return [
    'server',
    '--backend-store-uri',
    `sqlite:///${join(dir, 'mlflow.db')}`,
    '--artifacts-destination',
    join(dir, 'artifacts'),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--workers',
    '1',
  ];
}
