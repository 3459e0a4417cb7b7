import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    host: '127.0.0.1',
    // `vite dev` talks to the API on :3000 (the production build is served by the API itself).
    proxy: { '/api': 'http://127.0.0.1:3000' },
    // Modules beside web/ that the client imports: `vite dev` may serve them. core/text and core/audio:
    // text handling, the WAV writer and the resampler shared with the server (no Node-only imports);
    // contract ($contract): the one HTTP contract; core/sse.ts: the one SSE reader (a share link's stream).
    fs: { allow: ['../core/text', '../core/audio', '../core/sse.ts', '../contract'] },
  },
});
