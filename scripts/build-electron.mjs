// Bundles the main process, the threads' entry, the preload (CommonJS: a sandboxed preload cannot
// load ESM) and the CLI with esbuild. Native and Electron modules stay external.
import { build } from 'esbuild';
import { commonJsBundle, nodeBundle, preloadOptions } from './esbuild-options.mjs';

await Promise.all([
  build({ ...commonJsBundle, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs' }),
  // Every thread Ordo starts: the service worker, job threads, task threads.
  build({ ...commonJsBundle, entryPoints: ['electron/worker/thread.ts'], outfile: 'dist/electron/worker.cjs' }),
  build(await preloadOptions()),
  build({
    ...nodeBundle,
    entryPoints: ['electron/cli.ts'],
    outfile: 'dist/electron/cli.mjs',
    format: 'esm',
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: { js: "import { createRequire as __ordoCreateRequire } from 'node:module'; const require = __ordoCreateRequire(import.meta.url);" },
  }),
]);
