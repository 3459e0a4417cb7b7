// `npm start`: installs what is missing, then runs the Temporal dev server, Chroma, a local MLflow (the model
// registry the app serves its coach version and judgement weights from) and the app (API + worker + UI) as
// children, and stops them all on Ctrl-C. Node standard library only: this runs on a fresh clone, before
// `npm install`.
//   Env: PORT (3000), TEMPORAL_PORT (7233), CHROMA_PORT (8000), MLFLOW_PORT (5000), DATA_DIR (./data);
//   MLFLOW=off runs no MLflow; a MLFLOW_TRACKING_URI of your own is used instead of the local one. The rest is
//   passed through.
// MLflow is optional: the app starts without waiting for it (and reloads once it answers), and when it cannot be installed or started,
// or stops later, the app runs the repo's copies (it says so on the Admin page); nothing else stops.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { setPriority } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createProgress, ensureMlflow, runSetup, SETUP_STEPS } from './lib/setup-steps.mjs';
import { mlflowBin, mlflowPort, mlflowServerArgs } from './lib/mlflow.mjs';
import { findEspeakNgData, modelsDir } from '../core/models.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const progress = createProgress(SETUP_STEPS + 4);

/** Running services, in start order: { name, proc, logPath, exited, done, stopRequested?, stopping? }. */
const children = [];

const LOG_MARK = '--- started by scripts/start.mjs at ';
const PINO_LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Whether this launcher runs MLflow: not with MLFLOW=off, nor when the user names a tracking server. */
const runsMlflow = (env) => env.MLFLOW?.toLowerCase() !== 'off' && !env.MLFLOW_TRACKING_URI;

function readPorts(env) {
  const port = (name, fallback) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      throw new Error(`${name}="${env[name]}" is not a valid port`);
    return { name, value };
  };
  return {
    app: port('PORT', 3000),
    temporal: port('TEMPORAL_PORT', 7233),
    chroma: port('CHROMA_PORT', 8000),
  };
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function isListening(port) {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (open) => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

async function assertPortsFree(ports) {
  for (const { name, value } of Object.values(ports)) {
    if (await isListening(value)) {
      throw new Error(
        `port ${value} is already in use (is another copy running?). Stop it or choose another port with ${name}=<port>.`,
      );
    }
  }
}

/** Polls `check` every 250 ms until it returns true; fails on timeout or when a child dies meanwhile. */
async function waitUntil(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = children.find((c) => c.done && !c.optional);
    if (dead)
      throw Object.assign(new Error(`${dead.name} exited during startup (${describeExit(dead.proc)})`), {
        service: dead,
      });
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await sleep(250);
  }
}

function waitForPort(service, port, timeoutMs) {
  return waitUntil(
    `${service.name} to accept connections on port ${port}`,
    () => isListening(port),
    timeoutMs,
  ).catch((err) => {
    throw Object.assign(err, { service: err.service ?? service });
  });
}

function waitForHttp(service, url, timeoutMs) {
  const ok = () =>
    fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (res) => res.status === 200,
      () => false,
    );
  return waitUntil(`${service.name} to answer 200 on ${url}`, ok, timeoutMs).catch((err) => {
    throw Object.assign(err, { service: err.service ?? service });
  });
}

/**
 * Spawns a service with stdout and stderr appended to `logPath`. With `createEcho`, both streams are
 * piped through a line filter (one per stream) whose non-empty results are printed to the terminal.
 */
function spawnService(
  name,
  cmd,
  args,
  { env = process.env, logPath, createEcho, optional = false, group = false },
) {
  if (isStopping()) throw new Error(`not starting ${name}: shutting down`);
  const logFd = openSync(logPath, 'a');
  writeSync(logFd, `\n${LOG_MARK}${new Date().toISOString()}: ${[cmd, ...args].join(' ')} ---\n`);
  const output = createEcho ? 'pipe' : logFd;
  // `group`: its own process group, signalled as a whole (a server that runs its workers as children).
  const proc = spawn(cmd, args, { cwd: root, env, detached: group, stdio: ['ignore', output, output] });
  if (createEcho) {
    for (const stream of [proc.stdout, proc.stderr]) {
      const echo = createEcho();
      createInterface({ input: stream }).on('line', (line) => {
        appendLine(logFd, line);
        const shown = echo(line);
        if (shown) console.log(`[${name}] ${shown}`);
      });
    }
  }
  const exited = new Promise((done) => {
    proc.once('error', (err) => {
      appendLine(logFd, `failed to start: ${err.message}`);
      done();
    });
    proc.once('exit', () => done());
  }).then(() => {
    service.done = true;
  });
  proc.once('close', () => closeSync(logFd));
  // optional: its exit fails neither the start nor the running app.
  const service = { name, proc, logPath, exited, done: false, optional, group };
  children.push(service);
  return service;
}

/** Sends the service SIGTERM, then SIGKILL after `graceMs`. Idempotent. */
function stopService(service, graceMs = 10_000) {
  service.stopping ??= (async () => {
    if (service.done) return;
    const kill = (signal) => {
      try {
        if (service.group) process.kill(-service.proc.pid, signal);
        else service.proc.kill(signal);
      } catch {
        // already gone
      }
    };
    kill('SIGTERM');
    const killer = setTimeout(() => {
      console.log(`  ${service.name} did not stop within ${graceMs / 1000}s: killing it`);
      kill('SIGKILL');
    }, graceMs);
    await service.exited;
    // A group's members may outlive its leader: wait for them too (SIGKILLed at the grace deadline).
    while (service.group && groupAlive(service.proc.pid)) await sleep(100);
    clearTimeout(killer);
  })();
  return service.stopping;
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function appendLine(logFd, line) {
  try {
    writeSync(logFd, `${line}\n`);
  } catch {
    // the log was closed: the service is gone
  }
}

/** Stops every child in reverse start order (app, then Chroma, then Temporal, then MLflow). */
async function stopAll() {
  const reversed = [...children].reverse();
  for (const service of reversed) service.stopRequested = true;
  for (const service of reversed) await stopService(service);
}

function describeExit(proc) {
  if (proc.signalCode) return `signal ${proc.signalCode}`;
  return proc.exitCode === null ? 'could not be started' : `exit code ${proc.exitCode}`;
}

/** The last `lines` lines this launcher's run wrote to a log file. */
function logTail(logPath, lines = 20) {
  let text;
  try {
    text = readFileSync(logPath, 'utf8');
  } catch {
    return '(no log)';
  }
  const thisRun = text.slice(Math.max(0, text.lastIndexOf(LOG_MARK)));
  return thisRun.trimEnd().split('\n').slice(1).slice(-lines).join('\n') || '(log is empty)';
}

function isStopping() {
  return children.some((c) => c.stopRequested);
}

/** Reports a failure (with the failing service's log tail), stops everything and exits 1. */
async function fail(message, service) {
  if (isStopping()) return; // a signal is already shutting everything down
  console.error(`\n✗ ${message}`);
  if (service) console.error(`--- last lines of ${service.logPath} ---\n${logTail(service.logPath)}\n---`);
  await stopAll();
  process.exit(1);
}

/**
 * A line filter for the app's output that lets through warnings and errors only, in short form:
 * pino JSON lines with level >= 40 become "WARN msg"; Temporal SDK lines ("<time> [LEVEL] msg", with
 * indented continuation lines) likewise. Anything else (e.g. a crash's stack trace) is shown as is.
 */
function createAppEcho() {
  let showContinuation = true;
  return (line) => {
    if (/^(\s|[}\]])/.test(line)) return showContinuation ? line : undefined;
    const sdk = /^\S+ \[(TRACE|DEBUG|INFO|WARN|ERROR)\] (.*)$/.exec(line);
    if (sdk) {
      showContinuation = false;
      return sdk[1] === 'WARN' || sdk[1] === 'ERROR' ? `${sdk[1]} ${sdk[2]}` : undefined;
    }
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      showContinuation = true;
      return line;
    }
    showContinuation = false;
    if (typeof entry?.level !== 'number' || entry.level < 40) return undefined;
    const detail = entry.err?.message ? `: ${entry.err.message}` : '';
    return `${PINO_LEVELS[entry.level] ?? entry.level} ${entry.msg ?? ''}${detail}`;
  };
}

async function onSignal(signal) {
  if (isStopping()) {
    console.log(`(${signal}: already stopping…)`);
    return;
  }
  console.log(`\n${signal}: stopping…`);
  await stopAll();
  console.log('stopped');
  process.exit(0);
}

/** Audio in containers other than WAV needs ffmpeg; the Piper voice needs espeak-ng-data (setup fetches it). */
function missingVoiceTools() {
  const out = [];
  const ffmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  if (ffmpeg.error || ffmpeg.status !== 0)
    out.push(
      'ffmpeg is not installed (optional): answers recorded in the browser are WAV and need none; audio in other containers is refused until it is (apt-get install ffmpeg)',
    );
  if (!findEspeakNgData(modelsDir(root)))
    out.push('espeak-ng-data is missing: the interviewer cannot speak (run `npm run setup` again)');
  return out;
}

const REPO_COPIES = "the app serves the repo's coach prompts and judgement weights";

/**
 * Installs MLflow when missing and starts it in the background, with its data under DATA_DIR/mlflow. Null
 * when it does not run (MLFLOW=off, the user's own MLFLOW_TRACKING_URI, or it cannot be installed or its
 * port is taken): never a reason for `npm start` to fail.
 */
async function startMlflow(dataDir, logDir) {
  const step = SETUP_STEPS + 1;
  if (!runsMlflow(process.env)) {
    progress.step(
      step,
      process.env.MLFLOW_TRACKING_URI
        ? 'MLflow: the app uses your MLFLOW_TRACKING_URI'
        : `MLflow is off (MLFLOW=off): ${REPO_COPIES}`,
    );
    return null;
  }
  let port;
  try {
    port = mlflowPort(process.env);
    if (await isListening(port))
      throw new Error(`port ${port} is already in use (choose another with MLFLOW_PORT)`);
    await ensureMlflow(root, progress, step);
  } catch (err) {
    progress.note(`MLflow does not run: ${err.message}. ${REPO_COPIES}; MLFLOW=off skips this step.`);
    return null;
  }
  const dir = resolve(dataDir, 'mlflow');
  mkdirSync(dir, { recursive: true });
  const logPath = resolve(logDir, 'mlflow.log');
  progress.note(`starting MLflow on 127.0.0.1:${port} in the background… (data: ${dir}; log: ${logPath})`);
  const url = `http://127.0.0.1:${port}`;
  // Its own process group: `mlflow server` runs its web server and job consumers as children.
  const service = spawnService('MLflow', mlflowBin(root), mlflowServerArgs({ dir, port }), {
    logPath,
    optional: true,
    group: true,
  });
  // Below the app's priority: the app does not need MLflow to start, so MLflow's own start (Python imports,
  // migrations, a dozen worker processes) should not compete with it for two cores. Its workers, forked
  // later, inherit the priority.
  try {
    if (service.proc.pid) setPriority(service.proc.pid, 10);
  } catch {
    // not permitted here: it starts at normal priority
  }
  // True once /health answers; false if it exits first or is not up within 3 minutes (a cold first start of
  // MLflow on two busy cores takes tens of seconds).
  const state = { up: false };
  const ready = (async () => {
    const deadline = Date.now() + 180_000;
    while (!service.done && !isStopping() && Date.now() < deadline) {
      const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) return (state.up = true);
      await sleep(250);
    }
    return false;
  })();
  return { service, url, ready, isUp: () => state.up };
}

/**
 * The app's MLflow settings. The app does not wait for MLflow (it started beside Temporal and Chroma and is
 * often up by the time the app reads the registry); if it is not up yet, `late` has watchMlflow tell the app to
 * reload once it answers. An MLflow that already exited gives no settings.
 */
function mlflowForApp(mlflow) {
  if (!mlflow) return { env: {}, late: false };
  if (mlflow.service.done) {
    reportMlflowFailure(mlflow);
    return { env: {}, late: false };
  }
  return { env: { MLFLOW_TRACKING_URI: mlflow.url, MLFLOW_UI_URL: mlflow.url }, late: !mlflow.isUp() };
}

function reportMlflowFailure(mlflow) {
  const why = mlflow.service.done ? describeExit(mlflow.service.proc) : 'no answer in 3 minutes';
  console.log(
    `MLflow did not start (${why}): ${REPO_COPIES}.\n` +
      `--- last lines of ${mlflow.service.logPath} ---\n${logTail(mlflow.service.logPath, 8)}\n---`,
  );
}

/** A late MLflow: SIGHUP has the app load the registry's versions (serve.ts). An MLflow that stops: say so. */
function watchMlflow(mlflow, app, late) {
  if (late) {
    void mlflow.ready.then((up) => {
      if (isStopping() || app.done) return;
      if (!up) return reportMlflowFailure(mlflow);
      app.proc.kill('SIGHUP');
      console.log("MLflow is up: the app loads the registry's coach version and judgement weights");
    });
  }
  void mlflow.service.exited.then(() => {
    // Before it answered, reportMlflowFailure says it.
    if (isStopping() || !mlflow.isUp()) return;
    console.log(
      `MLflow exited (${describeExit(mlflow.service.proc)}): the app keeps what it loaded (log: ${mlflow.service.logPath})`,
    );
  });
}

async function main() {
  process.on('SIGINT', () => void onSignal('SIGINT'));
  process.on('SIGTERM', () => void onSignal('SIGTERM'));

  const ports = readPorts(process.env);
  await assertPortsFree(ports);

  await runSetup(root, progress, 1);
  for (const missing of missingVoiceTools()) progress.note(`voice: ${missing}`);

  const dataDir = resolve(root, process.env.DATA_DIR ?? './data');
  const logDir = resolve(dataDir, 'logs');
  mkdirSync(resolve(dataDir, 'temporal'), { recursive: true });
  mkdirSync(logDir, { recursive: true });

  // Started first and never waited for: it starts while Temporal, Chroma and the app do.
  const mlflow = await startMlflow(dataDir, logDir);

  const temporalLog = resolve(logDir, 'temporal.log');
  progress.step(
    SETUP_STEPS + 2,
    `starting Temporal on 127.0.0.1:${ports.temporal.value}… (log: ${temporalLog})`,
  );
  const temporalArgs = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    `${ports.temporal.value}`,
  ];
  temporalArgs.push('--db-filename', resolve(dataDir, 'temporal/temporal.db'), '--log-level', 'warn');
  const temporal = spawnService('Temporal', resolve(root, '.venv/bin/temporal'), temporalArgs, {
    logPath: temporalLog,
  });
  await waitForPort(temporal, ports.temporal.value, 60_000);

  const chromaLog = resolve(logDir, 'chroma.log');
  progress.step(SETUP_STEPS + 3, `starting Chroma on 127.0.0.1:${ports.chroma.value}… (log: ${chromaLog})`);
  const chromaArgs = ['node_modules/chromadb/dist/cli.mjs', 'run', '--path', resolve(dataDir, 'chroma')];
  chromaArgs.push('--port', `${ports.chroma.value}`, '--host', '127.0.0.1');
  const chroma = spawnService('Chroma', process.execPath, chromaArgs, { logPath: chromaLog });
  await waitForHttp(chroma, `http://127.0.0.1:${ports.chroma.value}/api/v2/heartbeat`, 60_000);

  const registry = mlflowForApp(mlflow);
  progress.step(
    SETUP_STEPS + 4,
    `starting the app on 127.0.0.1:${ports.app.value}… (log: ${resolve(logDir, 'app.log')})`,
  );
  // `node --import tsx` runs one process (the tsx CLI would add a child the launcher cannot signal).
  const app = spawnService('app', process.execPath, ['--import', 'tsx', 'server/serve.ts', 'all'], {
    env: {
      TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal.value}`,
      CHROMA_URL: `http://127.0.0.1:${ports.chroma.value}`,
      DATA_DIR: './data',
      ...registry.env,
      ...process.env,
    },
    logPath: resolve(logDir, 'app.log'),
    createEcho: createAppEcho,
  });
  await waitForHttp(app, `http://127.0.0.1:${ports.app.value}/readyz`, 120_000);

  console.log(
    `\nInterview Helper is running at http://127.0.0.1:${ports.app.value}  (Ctrl-C stops everything)  [ready in ${progress.elapsed()}]` +
      (registry.env.MLFLOW_UI_URL
        ? `\nMLflow (the coach's model registry): ${registry.env.MLFLOW_UI_URL}`
        : '') +
      '\n',
  );
  if (mlflow && registry.env.MLFLOW_TRACKING_URI) watchMlflow(mlflow, app, registry.late);

  const dead = await Promise.race(children.filter((c) => !c.optional).map((c) => c.exited.then(() => c)));
  await fail(`${dead.name} exited unexpectedly (${describeExit(dead.proc)})`, dead);
}

main().catch((err) => fail(err.message, err.service));
