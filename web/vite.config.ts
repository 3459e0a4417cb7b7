import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    host: '127.0.0.1',
    // The client shares text handling with the server (core/text: no Node-only imports).
    fs: { allow: ['../core/text'] },
    // `vite dev` talks to the API on :3000 (the production build is served by the API itself).
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
