import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths';

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function cruise(cwd: string, folders: string[]): Violation[] {
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), ...folders, '--config', join(repoRoot, '.dependency-cruiser.cjs'), '--output-type', 'json'],
    { cwd, encoding: 'utf8' },
  );
  const report = JSON.parse(result.stdout) as { summary: { violations: Violation[] } };
  return report.summary.violations;
}

describe('layer check', () => {
  it('catches every kind of forbidden import', () => {
    const found = cruise(join(repoRoot, 'test/fixtures/layers'), ['renderer', 'shared', 'electron']).map((v) => `${v.rule.name}: ${v.from}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'renderer-not-main: renderer/reaches-main.ts',
        'renderer-no-core: renderer/reaches-main.ts',
        'renderer-no-node-no-electron: renderer/imports-electron.ts',
        'shared-only-shared: shared/reaches-out.ts',
        'shared-only-shared: shared/imports-node.ts',
        'electron-package-in-shell-only: electron/patients/service.ts',
        'services-not-adapters: electron/patients/service.ts',
        'adapters-through-the-app: electron/cli/reaches-service.ts',
        'no-reaching-into-drugs: electron/patients/reaches-drugs.ts',
      ]),
    );
    expect(found.some((f) => /^no-circular: electron\/db\/(open|migrate)\.ts$/.test(f))).toBe(true);
    // A domain's api.ts is its public face: using it is allowed.
    const reaches = cruise(join(repoRoot, 'test/fixtures/layers'), ['electron']).filter((v) => v.from === 'electron/patients/reaches-drugs.ts');
    expect(reaches.map((v) => v.to)).toEqual(['electron/drugs/internal.ts']);
    expect(found.some((f) => f.startsWith('electron-package-in-shell-only: electron/main.ts'))).toBe(false);
  });

  it('finds no violation in the project', () => {
    expect(cruise(repoRoot, ['electron', 'renderer', 'shared'])).toEqual([]);
  });
});
