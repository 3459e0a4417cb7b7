// `npm test`, the whole suite: installs what is missing (like `npm start`), then lint, typecheck and every
// vitest file, against the real Temporal dev server, Chroma, PGlite, PostgreSQL and Chromium.
import { fileURLToPath } from 'node:url';
import { createProgress, ensureMlflow, run, runSetup, SETUP_STEPS } from './lib/setup-steps.mjs';
import {
  installLlamaServer,
  installTestChatModel,
  needsLlamaServer,
  needsTestChatModel,
} from './lib/llama-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const progress = createProgress(SETUP_STEPS + 5);

try {
  await runSetup(root, progress);
  await ensureMlflow(root, progress, SETUP_STEPS + 1);
  // The model-backed coach is tested against a real server (tests/workflows/real-model.test.ts).
  if (needsLlamaServer(root)) {
    progress.step(
      SETUP_STEPS + 2,
      'building llama-cpp-python into .venv (once; about 7 minutes on 2 cores)…',
    );
    await installLlamaServer(root);
  } else progress.step(SETUP_STEPS + 2, 'llama-cpp-python is installed');
  if (needsTestChatModel(root)) {
    progress.note('fetching the test chat model (Qwen2.5-Coder-0.5B-Instruct Q4_K_M, 491 MB)…');
    await installTestChatModel(root);
  }
  progress.step(SETUP_STEPS + 3, 'lint (eslint + prettier)');
  await run('npm', ['run', 'lint'], { cwd: root });
  progress.step(SETUP_STEPS + 4, 'typecheck (tsc + svelte-check)');
  await run('npm', ['run', 'typecheck'], { cwd: root });
  progress.step(SETUP_STEPS + 5, 'tests (vitest)');
  await run('npx', ['vitest', 'run', ...process.argv.slice(2)], { cwd: root });
  console.log(`all tests passed in ${progress.elapsed()}`);
} catch (err) {
  console.error(`tests failed: ${err.message}`);
  process.exit(1);
}
