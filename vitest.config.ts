import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      '{core,ingestion,agents,voice,workflows,api,bench}/**/*.test.ts',
      'tests/**/*.test.ts',
      'web/src/**/*.test.ts',
    ],
    globalSetup: ['tests/support/global-setup.ts'],
    // Two cores: files run one at a time so real services are not starved and timings stay honest.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
