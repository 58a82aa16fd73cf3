// esbuild settings shared by `npm run build` and `npm run dev`.
import { build } from 'esbuild';

export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3'],
};

/**
 * The preload only needs the list of call names, not the schemas: read them from the contract
 * at build time and inline them, so the sandboxed preload stays a few kilobytes.
 */
export async function preloadOptions() {
  const result = await build({ ...nodeBundle, entryPoints: ['shared/contract.ts'], format: 'esm', write: false, sourcemap: false });
  const code = result.outputFiles[0].text;
  const { callNames } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  return {
    ...nodeBundle,
    entryPoints: ['electron/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    format: 'cjs',
    define: { __ORDO_CALL_NAMES__: JSON.stringify(callNames) },
  };
}
