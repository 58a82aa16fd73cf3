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
  },
  server: { port: 5173, strictPort: true },
});
