import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the API at /dashboard (same origin as /v1): every asset is bundled under
// /dashboard/assets/ with a content hash, so the API can cache it for a year.
export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `pnpm --filter @inbox/dashboard dev` beside a running API: /v1 and the session go to it.
    proxy: { '/v1': 'http://localhost:3000', '/dashboard/session': 'http://localhost:3000' },
  },
});
