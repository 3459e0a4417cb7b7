// `npm run test:chaos`: the long chaos run. Starts its own Chroma (and uses TEST_DATABASE_URL's PostgreSQL),
// then runs tests/chaos/scenario.ts for CHAOS_MINUTES (default 10) with CHAOS_USERS concurrent users
// (default 6, CHAOS_PANELS of them in mock panels, default 1), CHAOS_ROUNDS rounds per session (default 3) and CHAOS_INGESTIONS jobs (default 6).
// Exits non-zero and lists the problems if anything was lost, repeated or reordered.
import { startChroma } from '../tests/support/processes.js';
import { ChaosStack } from '../tests/support/chaos-stack.js';
import { runChaos } from '../tests/chaos/scenario.js';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};
const minutes = num('CHAOS_MINUTES', 10);
const t0 = Date.now();
const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s]`;

const chroma = await startChroma();
const stack = new ChaosStack({ chromaUrl: chroma.url, env: { OFFLINE_TOKEN_DELAY_MS: '10' } });
let failed = true;
try {
  await stack.start();
  console.log(`${stamp()} stack up (logs in ${stack.dir}); running for ${minutes} min`);
  const report = await runChaos(stack, {
    users: num('CHAOS_USERS', 6),
    panels: num('CHAOS_PANELS', 1),
    rounds: num('CHAOS_ROUNDS', 3),
    durationMs: minutes * 60_000,
    ingestions: num('CHAOS_INGESTIONS', 6),
    faultGapMs: [num('CHAOS_GAP_MIN_MS', 3000), num('CHAOS_GAP_MAX_MS', 9000)],
    log: (line) => console.log(`${stamp()} ${line}`),
  });
  const { problems, ...figures } = report;
  console.log(`${stamp()} ${JSON.stringify(figures)}`);
  for (const p of problems) console.error(`PROBLEM: ${p}`);
  failed = problems.length > 0;
  console.log(failed ? `${problems.length} problem(s)` : 'nothing lost, repeated or reordered');
} finally {
  await stack.stop().catch((err: unknown) => console.error(err));
  await chroma.stop();
}
process.exit(failed ? 1 : 0);
