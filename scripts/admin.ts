// `npm run admin -- <command>`: the admin CLI, over the same HTTP API the UI uses (IH_BASE).
//   reingest --all | --job <id>     rebuild indexes (the old index serves until the new one is complete)
//   runs [--job <id>]               list ingestion runs
//   watch <runId>                   follow a run until it ends
//   cancel <runId>                  cancel a running run (the old index keeps serving)
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

async function call<T>(method: string, path: string): Promise<T> {
  const res = await fetch(BASE + path, { method }).catch((err: Error) => {
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
  } else {
    console.log(
      'usage: npm run admin -- reingest --all | reingest --job <id> | runs [--job <id>] | watch <runId> | cancel <runId>',
    );
    process.exitCode = 2;
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
}
