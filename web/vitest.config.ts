// Component tests: Svelte components rendered in jsdom with @testing-library/svelte, as the user sees
// them (web/src/**/*.svelte.test.ts). A project of the root vitest config, so `vitest run` runs them too.
// SvelteKit's own modules ($app/*) are small stand-ins (src/test-support); $lib is the real library.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));
const stub = (name: string) => path.join(here, 'src/test-support', name);

export default defineConfig({
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } }), svelteTesting()],
  resolve: {
    alias: [
      { find: /^\$lib\//, replacement: `${path.join(here, 'src/lib')}/` },
      { find: /^\$lib$/, replacement: path.join(here, 'src/lib') },
      { find: /^\$contract$/, replacement: path.join(here, '../contract/index.ts') },
      { find: /^\$contract\//, replacement: `${path.join(here, '../contract')}/` },
      { find: '$app/paths', replacement: stub('app-paths.ts') },
      { find: '$app/navigation', replacement: stub('app-navigation.ts') },
      { find: '$app/state', replacement: stub('app-state.svelte.ts') },
    ],
  },
  test: {
    name: 'components',
    root: here,
    include: ['src/**/*.svelte.test.ts'],
    environment: 'jsdom',
    setupFiles: [stub('setup.ts')],
  },
});
