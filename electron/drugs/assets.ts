/**
 * Finding the embedded demonstration referential (assets/bdpm-sample) whether Ordo runs from
 * source (tsx, vitest), from the bundled CLI (dist/electron/cli.mjs) or packaged by Electron.
 * Found by walking up from the entry script and the working folder, since the bundles differ
 * in module format and `import.meta.url` is empty in the CommonJS one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const SAMPLE = join('assets', 'bdpm-sample');

export function demoReferentialDir(): string | undefined {
  const fromEnv = process.env['ORDO_ASSETS_DIR'];
  const starts: string[] = [];
  if (fromEnv !== undefined && fromEnv !== '') {
    const candidate = join(resolve(fromEnv), 'bdpm-sample');
    if (existsSync(join(candidate, 'CIS_bdpm.txt'))) return candidate;
  }
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources !== undefined) starts.push(join(resources, 'app.asar'), join(resources, 'app'));
  if (process.argv[1] !== undefined) starts.push(dirname(resolve(process.argv[1])));
  starts.push(process.cwd());
  for (const start of starts) {
    let dir = start;
    for (let depth = 0; depth < 8; depth++) {
      const candidate = join(dir, SAMPLE);
      if (existsSync(join(candidate, 'CIS_bdpm.txt'))) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

/** The date the sample was written, from its manifest.json; null when unreadable. */
export function demoReleaseDate(dir: string): string | null {
  try {
    const { releaseDate } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { releaseDate?: unknown };
    return typeof releaseDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(releaseDate) ? releaseDate : null;
  } catch {
    return null;
  }
}
