import path from 'node:path';
import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * adapter-node reads `package.json` from the working directory (to leave `dependencies`
 * external). This repository has a single root package.json, so run the adapter from the
 * repository root, with an absolute `out` (= web/build).
 * @param {import('@sveltejs/kit').Adapter} inner
 * @returns {import('@sveltejs/kit').Adapter}
 */
function fromRepoRoot(inner) {
  return {
    ...inner,
    async adapt(builder) {
      const cwd = process.cwd();
      process.chdir(path.resolve(here, '..'));
      try {
        await inner.adapt(builder);
      } finally {
        process.chdir(cwd);
      }
    },
  };
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The built handler (web/build/handler.js) is mounted by the Express API after its /api routes.
    adapter: fromRepoRoot(adapter({ out: path.join(here, 'build') })),
    // The one HTTP contract (zod schemas and the types inferred from them), shared with the API.
    alias: { $contract: path.join(here, '../contract') },
  },
};

export default config;
