/**
 * The drugs' embedded asset folders (electron/assets.ts finds them): assets/bdpm-sample, the
 * demonstration referential; assets/interactions-starter, the starter interaction rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetDir } from '../assets';

export function demoReferentialDir(): string | undefined {
  return assetDir('bdpm-sample', 'CIS_bdpm.txt');
}

/** The starter interaction rules (assets/interactions-starter), in the thesaurus' tables format. */
export function starterInteractionsDir(): string | undefined {
  return assetDir('interactions-starter', 'thesaurus.tsv');
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
