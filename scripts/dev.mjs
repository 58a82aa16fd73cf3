// `npm run dev`: Vite's dev server with hot reload for the renderer, esbuild watching the main
// process and the preload, Electron restarted when they change.
import { execFileSync, spawn } from 'node:child_process';
import { context } from 'esbuild';
import { createRequire } from 'node:module';
import { createServer } from 'vite';
import { commonJsBundle, preloadOptions } from './esbuild-options.mjs';

const require = createRequire(import.meta.url);
const electronBinary = require('electron');
const binding = execFileSync(process.execPath, ['scripts/native.mjs', 'electron'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

const vite = await createServer({ configFile: 'vite.config.ts' });
await vite.listen();
const devUrl = vite.resolvedUrls?.local[0] ?? 'http://localhost:5173/';

let electron;
function restartElectron() {
  if (electron) {
    electron.removeAllListeners('exit');
    electron.kill();
  }
  electron = spawn(electronBinary, ['.'], {
    stdio: 'inherit',
    env: { ...process.env, ORDO_SQLITE_BINDING: binding, ORDO_DEV_SERVER_URL: devUrl },
  });
  electron.on('exit', () => process.exit(0));
}

const restartPlugin = { name: 'restart-electron', setup: (b) => b.onEnd((result) => result.errors.length === 0 && restartElectron()) };
const main = await context({ ...commonJsBundle, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs', plugins: [restartPlugin] });
const worker = await context({ ...commonJsBundle, entryPoints: ['electron/worker/thread.ts'], outfile: 'dist/electron/worker.cjs', plugins: [restartPlugin] });
const preload = await context(await preloadOptions());
await preload.watch();
await worker.watch();
await main.watch();
