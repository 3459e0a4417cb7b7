// `npm test`, the whole suite: installs what is missing (like `npm start`), then lint, typecheck and every
// vitest file, against the real Temporal dev server, Chroma, PGlite, PostgreSQL and Chromium.
import { fileURLToPath } from 'node:url';
import { createProgress, ensureMlflow, run, runSetup, SETUP_STEPS } from './lib/setup-steps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const progress = createProgress(SETUP_STEPS + 4);

try {
  await runSetup(root, progress);
  await ensureMlflow(root, progress, SETUP_STEPS + 1);
  progress.step(SETUP_STEPS + 2, 'lint (eslint + prettier)');
  await run('npm', ['run', 'lint'], { cwd: root });
  progress.step(SETUP_STEPS + 3, 'typecheck (tsc + svelte-check)');
  await run('npm', ['run', 'typecheck'], { cwd: root });
  progress.step(SETUP_STEPS + 4, 'tests (vitest)');
  await run('npx', ['vitest', 'run', ...process.argv.slice(2)], { cwd: root });
  console.log(`all tests passed in ${progress.elapsed()}`);
} catch (err) {
  console.error(`tests failed: ${err.message}`);
  process.exit(1);
}
