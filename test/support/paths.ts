import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The workplace's shared folder beside the project (real BDPM data, ANS kit); absent elsewhere. */
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const sharedDataDir = resolve(sharedDir, 'data');
export const hasSharedData = existsSync(resolve(sharedDataDir, 'bdpm-2019', 'CIS_bdpm.txt'));

/**
 * The ANS validator of the DMP document (`validate-cda`): the shared kit beside the project when
 * it is there, else the copy kept in test/conformance/ (a clean clone on CI).
 */
export const ansCdaValidator = [resolve(sharedDir, 'conformance', 'ans-cda', 'validate-cda'), resolve(repoRoot, 'test', 'conformance', 'ans-cda', 'validate-cda')].find((f) => existsSync(f))!;
