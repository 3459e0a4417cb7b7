import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      '.venv',
      'data',
      'web/build',
      'web/.svelte-kit',
      'test-artifacts',
      'core/db/migrations',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  { languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...importRules(),
);

/**
 * Two import rules, one `no-restricted-imports` per file (ESLint keeps only the last config of a rule):
 * - scripts/ holds command-line tools only: nothing the app runs may import them (the runtime images do not
 *   even copy scripts/). Shared data such as model locations lives in core/ (core/models.mjs).
 * - SQL lives in stores: `drizzle-orm` and the schema are imported only by core/stores/** (one module per
 *   aggregate: jobs, documents, runs, sessions, turns, recordings, token-usage) and core/db/**. Activities,
 *   services and the rest call the stores' named operations.
 */
function importRules() {
  const RUNTIME = [
    'core/**',
    'agents/**',
    'api/**',
    'voice/**',
    'workflows/**',
    'ingestion/**',
    'server/**',
    'web/src/**',
    'observability/**',
  ];
  const scripts = {
    group: ['**/scripts/**'],
    message: 'runtime code must not import command-line tools in scripts/',
  };
  const sql = {
    group: ['drizzle-orm', 'drizzle-orm/*', '**/db/schema', '**/db/schema.js'],
    message: 'query through a store in core/stores/ (add a named operation there), not with Drizzle here',
  };
  const SQL_ALLOWED = [
    'core/stores/**',
    'core/db/**',
    // Exceptions, on purpose:
    // - the event log is itself a store (append-only, keyed; read by SSE and replays) with its own module;
    'core/events.ts',
    // - accounts and sign-in sessions (users, auth_sessions) are the auth layer's own tables;
    'api/auth/**',
    // - tests check what was stored (rows left or gone), and seed rows no route can make.
    'tests/**',
  ];
  return [
    {
      files: ['**/*.{ts,mts,js,mjs,svelte}'],
      rules: { 'no-restricted-imports': ['error', { patterns: [sql] }] },
    },
    { files: RUNTIME, rules: { 'no-restricted-imports': ['error', { patterns: [scripts, sql] }] } },
    { files: SQL_ALLOWED, rules: { 'no-restricted-imports': 'off' } },
    {
      files: SQL_ALLOWED.filter((f) => RUNTIME.some((r) => f.startsWith(r.slice(0, r.indexOf('/') + 1)))),
      rules: { 'no-restricted-imports': ['error', { patterns: [scripts] }] },
    },
  ];
}
