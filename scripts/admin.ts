// `npm run admin -- <command>`: the admin CLI, over the same HTTP API the UI uses (IH_BASE).
//   reingest --all | --job <id>     rebuild indexes (the old index serves until the new one is complete)
//   runs [--job <id>]               list ingestion runs
//   watch <runId>                   follow a run until it ends
//   cancel <runId>                  cancel a running run (the old index keeps serving)
//   coach list                      registered coach versions (MLflow) and the one the app runs
//   coach register <file.json>      register a coach version (prompt set, model, temperature); prints N
//   coach promote <N>               point the alias `production` at version N, then reload the app
//   coach rollback                  point `production` back at the version it left, then reload the app
//   judgement list                  registered judgement weights (train:coach runs), their test kappas, and
//                                   which weights the app scores with
//   judgement promote <N> [--force] point `coach-judgement@production` at version N, then reload the app;
//                                   refused when N's test figures are worse than production's on any
//                                   dimension, unless --force
//   judgement rollback              point it back at the version it left, then reload the app
// The coach and judgement commands talk to the MLflow registry directly (MLFLOW_TRACKING_URI, else the local
// MLflow `npm start` runs), then to the app.
// With accounts (AUTH_MODE=accounts) the CLI signs in as an admin: IH_EMAIL and IH_PASSWORD (or
// IH_PASSWORD_FILE); in the embedded default it acts as the local admin without signing in.
import { readFileSync } from 'node:fs';
import { parseCoachVersion } from '../agents/versions.js';
import type {
  CoachVersion,
  IngestionRun as Run,
  ReindexAllResult,
  ReindexStarted,
} from '../contract/index.js';
import {
  listCoachVersions,
  promoteCoach,
  registerCoachVersion,
  rollbackCoach,
} from '../agents/registry/coach-registry.js';
import {
  JUDGEMENT_MODEL,
  listJudgementVersions,
  promoteJudgement,
  PromotionRefused,
  rollbackJudgement,
} from '../agents/registry/judgement-registry.js';
import { describeRegression } from '../agents/registry/judgement-gate.js';
import { JUDGEMENT_EMBEDDER_ID } from '../agents/judgement/embedder.js';
import { SCORE_DIMENSIONS } from '../core/types.js';
import { reasonOf } from '../agents/registry/aliased-model.js';
import { localMlflowUrl } from './lib/mlflow.mjs';

const BASE = process.env.IH_BASE ?? 'http://127.0.0.1:3000';

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

const describe = (c: CoachVersion) =>
  `${c.version} from ${c.source === 'mlflow' ? `MLflow coach v${c.registryVersion}` : 'the repo'}, ` +
  `${c.mode === 'offline' ? 'offline coach' : `${c.model} at temperature ${c.temperature}`}` +
  (c.warning ? `\n    warning: ${c.warning}` : '');

/** The registry: MLFLOW_TRACKING_URI, else the local MLflow `npm start` runs (on MLFLOW_PORT). */
const trackingUri = (): string => process.env.MLFLOW_TRACKING_URI || localMlflowUrl();

const describeJudgement = ({ judgement: j }: CoachVersion) =>
  `judgement weights ${j.source === 'mlflow' ? `from MLflow ${JUDGEMENT_MODEL} v${j.registryVersion}` : 'from the repo'}` +
  ` (trained ${j.trainedAt})${j.active ? '' : ', inactive: the embedding model is not set up'}` +
  (j.warning ? `\n    warning: ${j.warning}` : '');

/**
 * After an alias moved: the running app loads it now (else at its next start, or on SIGHUP). `served` tells
 * whether the app now runs the version asked for.
 */
async function reloadApp(
  what: string,
  served: (running: CoachVersion) => boolean,
  describeRunning: (running: CoachVersion) => string,
): Promise<void> {
  let loaded: CoachVersion;
  try {
    loaded = await call<CoachVersion>('POST', '/api/admin/coach/reload');
  } catch (err) {
    console.warn(
      `the app did not reload (${(err as Error).message}); it loads the version at its next start`,
    );
    return;
  }
  console.log(`app runs ${describeRunning(loaded)}`);
  if (!served(loaded)) {
    console.error(`the app did not load ${what}: check its MLFLOW_TRACKING_URI`);
    process.exitCode = 1;
  }
}

const reloadCoach = (n: string) =>
  reloadApp(`coach v${n}`, (c) => c.source === 'mlflow' && c.registryVersion === n, describe);

const reloadJudgement = (n: string) =>
  reloadApp(
    `${JUDGEMENT_MODEL} v${n}`,
    (c) => c.judgement.source === 'mlflow' && c.judgement.registryVersion === n,
    describeJudgement,
  );

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
    const running = await call<CoachVersion>('GET', '/api/admin/coach').catch(() => undefined);
    console.log(
      running
        ? `app runs ${describe(running)}\napp scores with ${describeJudgement(running)}`
        : `app at ${BASE} not reachable`,
    );
  } else if (sub === 'register' && arg) {
    const n = await registerCoachVersion(trackingUri(), parseCoachVersion(readFileSync(arg, 'utf8')));
    console.log(`registered coach v${n}; promote it with: npm run admin -- coach promote ${n}`);
  } else if (sub === 'promote' && arg) {
    const { from, to } = await promoteCoach(trackingUri(), arg);
    console.log(`coach @production: v${from ?? '-'} -> v${to}`);
    await reloadCoach(to);
  } else if (sub === 'rollback') {
    const { from, to } = await rollbackCoach(trackingUri());
    console.log(`coach @production rolled back: v${from ?? '-'} -> v${to}`);
    await reloadCoach(to);
  } else {
    return false;
  }
  return true;
}

async function judgement(sub: string | undefined, rest: string[]): Promise<boolean> {
  const options = { embedderId: JUDGEMENT_EMBEDDER_ID };
  if (sub === 'list') {
    const kappa = (x: number | undefined) => (x === undefined ? ' n/a' : x.toFixed(2));
    console.log(
      `${'version'.padEnd(9)}${SCORE_DIMENSIONS.map((d) => d.padStart(12)).join('')}  (test kappa)`,
    );
    const versions = await listJudgementVersions(trackingUri());
    if (!versions.length)
      console.log(
        `no ${JUDGEMENT_MODEL} version yet: MLFLOW_TRACKING_URI=${trackingUri()} npm run train:coach`,
      );
    for (const v of versions) {
      const aliases = v.aliases.map((a) => `@${a}`).join(' ');
      console.log(
        `v${v.registryVersion.padEnd(8)}${SCORE_DIMENSIONS.map((d) => kappa(v.testQwk[d]).padStart(12)).join('')}` +
          `  ${v.description ?? ''} ${aliases}`,
      );
    }
    const running = await call<CoachVersion>('GET', '/api/admin/coach').catch(() => undefined);
    console.log(running ? `app scores with ${describeJudgement(running)}` : `app at ${BASE} not reachable`);
  } else if (sub === 'promote' && rest[0] && !rest[0].startsWith('--')) {
    const force = rest.includes('--force');
    const { from, to, overridden } = await promoteJudgement(trackingUri(), rest[0], {
      ...options,
      force,
    }).catch((err: unknown) => {
      if (err instanceof PromotionRefused) err.message += '. Promote it anyway with --force';
      throw err;
    });
    for (const r of overridden) console.warn(`forced past: ${describeRegression(r)}`);
    console.log(`${JUDGEMENT_MODEL} @production: v${from ?? '-'} -> v${to}`);
    await reloadJudgement(to);
  } else if (sub === 'rollback') {
    const { from, to } = await rollbackJudgement(trackingUri(), options);
    console.log(`${JUDGEMENT_MODEL} @production rolled back: v${from ?? '-'} -> v${to}`);
    await reloadJudgement(to);
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
    const { runs } = await call<ReindexAllResult>('POST', '/api/admin/reingest');
    for (const r of runs)
      console.log(r.runId ? `job ${r.jobId}: run ${r.runId}` : `job ${r.jobId}: skipped (${r.error})`);
    const results = await Promise.all(runs.flatMap((r) => (r.runId ? [watch(r.runId)] : [])));
    process.exitCode = results.every((r) => r.status === 'succeeded') ? 0 : 1;
  } else if (command === 'reingest' && flag('--job')) {
    const { runId } = await call<ReindexStarted>('POST', `/api/admin/jobs/${flag('--job')}/reingest`);
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
  } else if (command === 'judgement' && (await judgement(args[0], args.slice(1)))) {
    // done
  } else {
    console.log(
      'usage: npm run admin -- reingest --all | reingest --job <id> | runs [--job <id>] | watch <runId> | cancel <runId>\n' +
        '       npm run admin -- coach list | coach register <file.json> | coach promote <N> | coach rollback\n' +
        '       npm run admin -- judgement list | judgement promote <N> [--force] | judgement rollback',
    );
    process.exitCode = 2;
  }
} catch (err) {
  // fetch names why it failed only in its cause (e.g. ECONNREFUSED): say which registry it was.
  const unreachable = err instanceof TypeError && (command === 'coach' || command === 'judgement');
  console.error(
    unreachable
      ? `cannot reach the MLflow registry at ${trackingUri()}: ${reasonOf(err)}. Is \`npm start\` running it? Else set MLFLOW_TRACKING_URI.`
      : (err as Error).message,
  );
  process.exitCode = 1;
}
