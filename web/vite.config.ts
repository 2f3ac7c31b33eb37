import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web app is built into web/dist and served by the Tradeloop server (src/http/app.ts).
// During development, `npx vite --config web/vite.config.ts` proxies the API to a running server.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/ready': 'http://127.0.0.1:3000' } },
});
