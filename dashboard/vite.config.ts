import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// `npm run dev -w dashboard` serves the app with hot reload and forwards the API
// to a NOC server on PORT (default 8080).
const api = `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig({
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: api, ws: true } },
  },
});
