import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The workplace's shared folder beside the project (real BDPM data, ANS kit); absent elsewhere. */
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const sharedDataDir = resolve(sharedDir, 'data');
export const hasSharedData = existsSync(resolve(sharedDataDir, 'bdpm-2019', 'CIS_bdpm.txt'));
