/**
 * Finding an embedded asset folder (assets/`name`) whether Ordo runs from source (tsx, vitest),
 * from the bundled CLI (dist/electron/cli.mjs) or packaged by Electron. Found by walking up from
 * the entry script and the working folder, since the bundles differ in module format and
 * `import.meta.url` is empty in the CommonJS one. `ORDO_ASSETS_DIR` names another assets folder
 * first.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The folder assets/`name`, recognised by `marker` (a file it must hold); undefined when no
 * start point leads to one.
 */
export function assetDir(name: string, marker: string): string | undefined {
  const fromEnv = process.env['ORDO_ASSETS_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const candidate = join(resolve(fromEnv), name);
    if (existsSync(join(candidate, marker))) return candidate;
  }
  const starts: string[] = [];
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources !== undefined) starts.push(join(resources, 'app.asar'), join(resources, 'app'));
  if (process.argv[1] !== undefined) starts.push(dirname(resolve(process.argv[1])));
  starts.push(process.cwd());
  const relative = join('assets', name);
  for (const start of starts) {
    let dir = start;
    for (let depth = 0; depth < 8; depth++) {
      const candidate = join(dir, relative);
      if (existsSync(join(candidate, marker))) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}
