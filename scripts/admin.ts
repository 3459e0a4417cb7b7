// `npm run admin -- <command>`: the admin CLI, over the same HTTP API the UI uses (IH_BASE).
//   reingest --all | --job <id>     rebuild indexes (the old index serves until the new one is complete)
//   runs [--job <id>]               list ingestion runs
//   watch <runId>                   follow a run until it ends
//   cancel <runId>                  cancel a running run (the old index keeps serving)
//   coach list                      registered coach versions (MLflow) and the one the app runs
//   coach register <file.json>      register a coach version (prompt set, model, temperature); prints N
//   coach promote <N>               point the alias `production` at version N, then reload the app
//   coach rollback                  point `production` back at the version it left, then reload the app
// The coach commands talk to the MLflow registry at MLFLOW_TRACKING_URI directly, then to the app.
// With accounts (AUTH_MODE=accounts) the CLI signs in as an admin: IH_EMAIL and IH_PASSWORD (or
// IH_PASSWORD_FILE); in the embedded default it acts as the local admin without signing in.
import { readFileSync } from 'node:fs';
import { parseCoachVersion } from '../agents/versions.js';
import type { CoachVersionInfo } from '../api/context.js';
import {
  listCoachVersions,
  promoteCoach,
  registerCoachVersion,
  rollbackCoach,
} from '../agents/registry/coach-registry.js';

const BASE = process.env.IH_BASE ?? 'http://127.0.0.1:3000';

interface Run {
  id: string;
  jobId: string;
  jobTitle: string;
  kind: string;
  status: string;
  documents: number;
  documentsDone: number;
  documentsFailed: number;
  chunks: number;
  embedder: string;
  chunkSize: number;
  durationMs: number;
  errors: string[];
}

/** The session and CSRF cookies of a sign-in, sent with every later call. */
let signedIn: Promise<Record<string, string>> | undefined;

function signIn(): Promise<Record<string, string>> {
  const email = process.env.IH_EMAIL;
  const passwordFile = process.env.IH_PASSWORD_FILE;
  const password = passwordFile ? readFileSync(passwordFile, 'utf8').trim() : process.env.IH_PASSWORD;
  if (!email || !password) return Promise.resolve({});
  return (signedIn ??= (async () => {
    const res = await fetch(`${BASE}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw new Error(`signing in as ${email}: ${res.status}`);
    const cookies = Object.fromEntries(
      res.headers.getSetCookie().map((c) => c.split(';')[0]!.split('=') as [string, string]),
    );
    const headers: Record<string, string> = {
      cookie: Object.entries(cookies)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
    };
    if (cookies.ih_csrf) headers['x-csrf-token'] = decodeURIComponent(cookies.ih_csrf);
    return headers;
  })());
}

async function call<T>(method: string, path: string): Promise<T> {
  const headers = await signIn();
  const res = await fetch(BASE + path, { method, headers }).catch((err: Error) => {
    throw new Error(
      `cannot reach ${BASE} (${err.message}); is \`npm start\` running? Set IH_BASE otherwise.`,
    );
  });
  const body = (await res.json().catch(() => ({}))) as T & { detail?: string };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${body.detail ?? ''}`);
  return body;
}

const line = (r: Run) =>
  `${r.id}  ${r.status.padEnd(9)} ${r.kind.padEnd(8)} ${`${r.documentsDone}/${r.documents} docs`.padEnd(11)}` +
  ` ${String(r.chunks).padStart(5)} chunks  ${(r.durationMs / 1000).toFixed(1).padStart(6)} s  ${r.embedder} size ${r.chunkSize}  ${r.jobTitle}` +
  (r.errors.length ? `\n    errors: ${r.errors.join('; ')}` : '');

async function watch(runId: string): Promise<Run> {
  for (;;) {
    const run = (await call<Run[]>('GET', '/api/admin/ingestion-runs?limit=500')).find((r) => r.id === runId);
    if (!run) throw new Error(`no ingestion run ${runId}`);
    console.log(line(run));
    if (run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const describe = (c: CoachVersionInfo) =>
  `${c.version} from ${c.source === 'mlflow' ? `MLflow coach v${c.registryVersion}` : 'the repo'}, ` +
  `${c.mode === 'offline' ? 'offline coach' : `${c.model} at temperature ${c.temperature}`}` +
  (c.warning ? `\n    warning: ${c.warning}` : '');

function trackingUri(): string {
  const uri = process.env.MLFLOW_TRACKING_URI;
  if (!uri) throw new Error('set MLFLOW_TRACKING_URI to the MLflow server that holds the coach versions');
  return uri;
}

/** After the alias moved: the running app loads it now (else at its next start, or on SIGHUP). */
async function reloadApp(expected: string): Promise<void> {
  let loaded: CoachVersionInfo;
  try {
    loaded = await call<CoachVersionInfo>('POST', '/api/admin/coach/reload');
  } catch (err) {
    console.warn(
      `the app did not reload (${(err as Error).message}); it loads the version at its next start`,
    );
    return;
  }
  console.log(`app runs ${describe(loaded)}`);
  if (loaded.source !== 'mlflow' || loaded.registryVersion !== expected) {
    console.error(`the app did not load coach v${expected}: check its MLFLOW_TRACKING_URI`);
    process.exitCode = 1;
  }
}

async function coach(sub: string | undefined, arg: string | undefined): Promise<boolean> {
  if (sub === 'list') {
    for (const v of await listCoachVersions(trackingUri())) {
      const name = v.version ?? `invalid: ${v.error}`;
      const settings = [v.model, v.temperature === null ? null : `temperature ${v.temperature}`]
        .filter(Boolean)
        .join(', ');
      const aliases = v.aliases.map((a) => `@${a}`).join(' ');
      console.log(`v${v.registryVersion.padEnd(4)} ${name}${settings ? ` (${settings})` : ''}  ${aliases}`);
    }
    const running = await call<CoachVersionInfo>('GET', '/api/admin/coach').catch(() => undefined);
    console.log(running ? `app runs ${describe(running)}` : `app at ${BASE} not reachable`);
  } else if (sub === 'register' && arg) {
    const n = await registerCoachVersion(trackingUri(), parseCoachVersion(readFileSync(arg, 'utf8')));
    console.log(`registered coach v${n}; promote it with: npm run admin -- coach promote ${n}`);
  } else if (sub === 'promote' && arg) {
    const { from, to } = await promoteCoach(trackingUri(), arg);
    console.log(`coach @production: v${from ?? '-'} -> v${to}`);
    await reloadApp(to);
  } else if (sub === 'rollback') {
    const { from, to } = await rollbackCoach(trackingUri());
    console.log(`coach @production rolled back: v${from ?? '-'} -> v${to}`);
    await reloadApp(to);
  } else {
    return false;
  }
  return true;
}

const [command, ...args] = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? '') : undefined;
};

try {
  if (command === 'reingest' && args.includes('--all')) {
    const { runs } = await call<{ runs: { jobId: string; runId?: string; error?: string }[] }>(
      'POST',
      '/api/admin/reingest',
    );
    for (const r of runs)
      console.log(r.runId ? `job ${r.jobId}: run ${r.runId}` : `job ${r.jobId}: skipped (${r.error})`);
    const results = await Promise.all(runs.flatMap((r) => (r.runId ? [watch(r.runId)] : [])));
    process.exitCode = results.every((r) => r.status === 'succeeded') ? 0 : 1;
  } else if (command === 'reingest' && flag('--job')) {
    const { runId } = await call<{ runId: string }>('POST', `/api/admin/jobs/${flag('--job')}/reingest`);
    process.exitCode = (await watch(runId)).status === 'succeeded' ? 0 : 1;
  } else if (command === 'runs') {
    const job = flag('--job');
    for (const r of await call<Run[]>('GET', `/api/admin/ingestion-runs${job ? `?jobId=${job}` : ''}`))
      console.log(line(r));
  } else if (command === 'watch' && args[0]) {
    await watch(args[0]);
  } else if (command === 'cancel' && args[0]) {
    await call('POST', `/api/admin/ingestion-runs/${args[0]}/cancel`);
    await watch(args[0]);
  } else if (command === 'coach' && (await coach(args[0], args[1]))) {
    // done
  } else {
    console.log(
      'usage: npm run admin -- reingest --all | reingest --job <id> | runs [--job <id>] | watch <runId> | cancel <runId>\n' +
        '       npm run admin -- coach list | coach register <file.json> | coach promote <N> | coach rollback',
    );
    process.exitCode = 2;
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
}
