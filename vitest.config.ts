import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The web client imports the HTTP contract as `$contract` (web/svelte.config.js). */
const contract = fileURLToPath(new URL('./contract', import.meta.url));

export default defineConfig({
  test: {
    // Two cores: files run one at a time so real services are not starved and timings stay honest.
    fileParallelism: false,
    pool: 'forks',
    projects: [
      {
        resolve: {
          alias: [
            { find: /^\$contract$/, replacement: `${contract}/index.ts` },
            { find: /^\$contract\//, replacement: `${contract}/` },
          ],
        },
        test: {
          name: 'node',
          include: [
            '{core,ingestion,agents,voice,workflows,api,bench}/**/*.test.ts',
            'tests/**/*.test.ts',
            'web/src/**/*.test.ts',
          ],
          // Svelte components in jsdom: the `components` project (web/vitest.config.ts).
          exclude: ['web/src/**/*.svelte.test.ts', '**/node_modules/**'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      'web/vitest.config.ts',
    ],
  },
});
