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
  {
    // scripts/ holds command-line tools only: nothing the app runs may import them (the runtime images
    // do not even copy scripts/). Shared data such as model locations lives in core/ (core/models.mjs).
    files: [
      'core/**',
      'agents/**',
      'api/**',
      'voice/**',
      'workflows/**',
      'ingestion/**',
      'server/**',
      'web/src/**',
      'observability/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/scripts/**'],
              message: 'runtime code must not import command-line tools in scripts/',
            },
          ],
        },
      ],
    },
  },
);
