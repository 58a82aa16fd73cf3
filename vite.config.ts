import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer only: a browser program, built to dist/renderer and loaded by Electron (app://)
// or by the headless host. Relative base so both origins work.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // Loaded from disk (app://) or loopback, never over a network: the app chunk (React, zod) and the
    // lazily loaded PDF reader (pdf.js, « Vérifier une ordonnance ») are over Rollup's 500 kB advice.
    chunkSizeWarningLimit: 1024,
  },
  server: { port: 5173, strictPort: true },
});
