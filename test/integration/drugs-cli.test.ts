import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DrugSearchResult, ImportSummary } from '../../shared/calls/drugs';
import { demoReferentialDir } from '../../electron/drugs/assets';
import { writeBdpmFile } from '../support/bdpm-writer';
import { runOrdo } from '../support/cli';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-drugs-cli-');
afterAll(() => tmp.remove());

// Each case spawns the CLI a few times (tsx start-up ~1 s, more on a loaded machine).
describe('ordo import-bdpm, drugs search, import-interactions', { timeout: 120_000 }, () => {
  it('lists the drug commands in the help', () => {
    const help = runOrdo(['--help']).stdout;
    for (const usage of ['ordo import-bdpm DOSSIER', 'ordo drugs search TEXTE', 'ordo import-interactions DOSSIER']) expect(help).toContain(usage);
  });

  it('imports a release: progress on stderr, one JSON summary on stdout', () => {
    const dataDir = join(tmp.dir, 'import');
    const result = runOrdo(['import-bdpm', demoReferentialDir()!, '--data-dir', dataDir, '--release-date', '2026-10-01']);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!) as ImportSummary;
    expect(summary).toMatchObject({ releaseDate: '2026-10-01', rejectedCount: 0, missingFiles: [] });
    expect(summary.files.map((f) => f.file)).toEqual(['CIS_bdpm.txt', 'CIS_CIP_bdpm.txt', 'CIS_COMPO_bdpm.txt', 'CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt']);
    expect(result.stderr).toContain('import CIS_bdpm.txt');
    expect(result.stderr).toContain('Import terminé.');
    expect(result.stderr).toContain('Date de la version : 01/10/2026 (date déclarée à l’import).');

    const search = runOrdo(['drugs', 'search', 'amox', '500', '--data-dir', dataDir, '--json']);
    expect(search.status).toBe(0);
    const found = JSON.parse(search.stdout) as DrugSearchResult;
    expect(found).toMatchObject({ query: 'amox 500', demo: false, groups: [{ dciLabel: 'amoxicilline 500 mg, gélule' }] });

    const text = runOrdo(['drugs', 'search', 'clamoxyl', '--data-dir', dataDir]);
    expect(text.stdout).toContain('amoxicilline 500 mg, gélule');
    expect(text.stdout).toContain('CLAMOXYL 500 mg, gélule  [Liste I, Princeps]');

    // More groups than shown: the count is said, with how to see the rest.
    const wide = runOrdo(['drugs', 'search', 'a', '--data-dir', dataDir, '--limit', '2']);
    expect(wide.stdout).toMatch(/\d+ groupes trouvés, 2 affichés : --limit N pour en voir plus, --offset 2 pour la suite\./);
    const page = JSON.parse(runOrdo(['drugs', 'search', 'a', '--data-dir', dataDir, '--limit', '2', '--offset', '2', '--json']).stdout) as DrugSearchResult;
    expect(page).toMatchObject({ offset: 2, groups: [{}, {}] });
    expect(page.totalGroups).toBeGreaterThan(4);
  });

  it('reports rejected lines and missing files, and exits non-zero without touching the data on failure', () => {
    const source = join(tmp.dir, 'partial');
    mkdirSync(source);
    writeBdpmFile(source, 'CIS_bdpm.txt', ['61111111\tX 10 mg, comprimé\tcomprimé\torale\tAutorisation active\tProcédure nationale\tCommercialisée\t01/01/2000\t\t\t LAB\tNon', '123\tbad']);
    writeBdpmFile(source, 'CIS_CIP_bdpm.txt', []);
    const dataDir = join(tmp.dir, 'partial-data');
    const result = runOrdo(['import-bdpm', source, '--data-dir', dataDir]);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as ImportSummary;
    expect(summary.rejected).toEqual([{ file: 'CIS_bdpm.txt', line: 2, reason: '2 colonnes au lieu de 12' }]);
    expect(summary.missingFiles).toEqual(['CIS_COMPO_bdpm.txt', 'CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt']);
    expect(result.stderr).toContain('Fichiers absents (import partiel)');

    const missing = runOrdo(['import-bdpm', join(tmp.dir, 'nowhere'), '--data-dir', dataDir]);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/introuvable|absent/);
    expect(JSON.parse(runOrdo(['drugs', 'search', '61111111', '--data-dir', dataDir, '--json']).stdout)).toMatchObject({ groups: [{ items: [{ cis: '61111111' }] }] });
  });

  it('refuses bad usage with exit code 2', () => {
    expect(runOrdo(['import-bdpm']).status).toBe(2);
    expect(runOrdo(['drugs', 'find', 'x']).status).toBe(2);
    expect(runOrdo(['import-bdpm', '.', '--release-date', '2026/10/01']).status).toBe(2);
  });

  it.skipIf(!hasSharedData)('imports the interaction thesaurus and reports unmatched substances', () => {
    const dataDir = join(tmp.dir, 'interactions');
    const result = runOrdo(['import-interactions', join(sharedDataDir, 'ansm-interactions-2016'), '--data-dir', dataDir]);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as { rules: number; version: string; unmatchedMolecules: string[] };
    expect(summary.rules).toBe(1463);
    expect(summary.unmatchedMolecules.length).toBeGreaterThan(0);
    expect(result.stderr).toContain('sans correspondance');
  });
});
