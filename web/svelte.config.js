import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The built handler (build/handler.js) is mounted by the Express API after its /api routes.
    adapter: adapter({ out: 'build' }),
  },
};

export default config;
