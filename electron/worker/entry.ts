/**
 * Where the code of Ordo's threads is. Built (`npm run build`, the app, the installed `ordo`):
 * `worker.cjs` beside the bundle that starts it. From source (tests, `npm run ordo`): the
 * TypeScript entry, loaded through tsx by a small bootstrap, since a worker thread does not
 * inherit its parent's module hooks on Node 20.
 */
declare const __ORDO_BUNDLED__: boolean | undefined;

export interface ThreadEntry {
  file: URL;
  /** Merged into the thread's workerData. */
  data: Record<string, unknown>;
}

export function threadEntry(): ThreadEntry {
  // esbuild defines import.meta.url in the CommonJS bundles too (scripts/esbuild-options.mjs).
  const here = import.meta.url;
  if (typeof __ORDO_BUNDLED__ !== 'undefined') return { file: new URL('./worker.cjs', here), data: {} };
  return { file: new URL('./bootstrap.mjs', here), data: { entry: new URL('./thread.ts', here).href } };
}
