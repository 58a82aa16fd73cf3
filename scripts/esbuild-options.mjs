// esbuild settings shared by `npm run build` and `npm run dev`.
import { build } from 'esbuild';

export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3'],
  // Built code starts its threads from dist/electron/worker.cjs (electron/worker/entry.ts).
  define: { __ORDO_BUNDLED__: 'true' },
};

/**
 * CommonJS bundles have no import.meta: give them the bundle's own URL, which the thread entry
 * (electron/worker/entry.ts) resolves worker.cjs against.
 */
export const commonJsBundle = {
  ...nodeBundle,
  format: 'cjs',
  define: { ...nodeBundle.define, 'import.meta.url': '__ordoImportMetaUrl' },
  banner: { js: "var __ordoImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/** Evaluates a shared/ module at build time (bundled to ESM in memory) and returns its exports. */
async function exportsOf(entry) {
  const result = await build({ ...nodeBundle, entryPoints: [entry], format: 'esm', write: false, sourcemap: false });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/**
 * The preload only needs the lists of call and event names, not the schemas: read them from the
 * contract at build time and inline them, so the sandboxed preload stays a few kilobytes.
 */
export async function preloadOptions() {
  const [{ callNames }, { eventNames }] = await Promise.all([exportsOf('shared/contract.ts'), exportsOf('shared/events.ts')]);
  return {
    ...nodeBundle,
    entryPoints: ['electron/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    format: 'cjs',
    define: { ...nodeBundle.define, __ORDO_CALL_NAMES__: JSON.stringify(callNames), __ORDO_EVENT_NAMES__: JSON.stringify(eventNames) },
  };
}
