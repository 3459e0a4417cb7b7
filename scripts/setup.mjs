// `npm run setup`: installs npm dependencies, the Temporal CLI and the web build, if missing or stale.
import { fileURLToPath } from 'node:url';
import { createProgress, runSetup, SETUP_STEPS } from './lib/setup-steps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const progress = createProgress(SETUP_STEPS);

try {
  await runSetup(root, progress);
  console.log(`setup done in ${progress.elapsed()}`);
} catch (err) {
  console.error(`setup failed: ${err.message}`);
  process.exit(1);
}
