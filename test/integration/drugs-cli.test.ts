import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DrugSearchResult, DrugStatus, ImportSummary } from '../../shared/calls/drugs';
import { openSqlite } from '../../electron/db/open';
import { demoReferentialDir } from '../../electron/drugs/assets';
import { cutFile, writeBdpmFile } from '../support/bdpm-writer';
import { runOrdo } from '../support/cli';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-drugs-cli-');
afterAll(() => tmp.remove());
/** The embedded sample (45 specialties) stands for a release: a test release may replace the demonstration data. */
const small = { env: { ORDO_BDPM_ALLOW_SMALL_RELEASE: '1' } };

/** The audit entries of referential installs in a data folder's ordo.db, read once the CLI has exited. */
function installs(dataDir: string): { subject: string; details: Record<string, unknown> }[] {
  const db = openSqlite(join(dataDir, 'ordo.db'), { readonly: true });
  try {
    const rows = db.prepare("SELECT subject, details FROM audit_log WHERE action = 'drugs.referential.installed' ORDER BY seq").all() as { subject: string; details: string }[];
    return rows.map((r) => ({ subject: r.subject, details: JSON.parse(r.details) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

// Each case spawns the CLI a few times (tsx start-up ~1 s, more on a loaded machine).
describe('ordo import-bdpm, drugs search, import-interactions', { timeout: 120_000 }, () => {
  it('lists the drug commands in the help', () => {
    const help = runOrdo(['--help']).stdout;
    for (const usage of ['ordo import-bdpm DOSSIER', 'ordo drugs search TEXTE', 'ordo import-interactions DOSSIER']) expect(help).toContain(usage);
  });

  it('imports a release: progress on stderr, one JSON summary on stdout', () => {
    const dataDir = join(tmp.dir, 'import');
    const result = runOrdo(['import-bdpm', demoReferentialDir()!, '--data-dir', dataDir, '--release-date', '2026-10-01'], small);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!) as ImportSummary;
    expect(summary).toMatchObject({ releaseDate: '2026-10-01', rejectedCount: 0, missingFiles: [] });
    expect(summary.files.map((f) => f.file)).toEqual(['CIS_bdpm.txt', 'CIS_CIP_bdpm.txt', 'CIS_COMPO_bdpm.txt', 'CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt']);
    expect(result.stderr).toContain('import CIS_bdpm.txt');
    expect(result.stderr).toContain('Import terminé.');
    expect(result.stderr).toContain('Date de la version : 01/10/2026 (date déclarée à l’import).');
    expect(result.stderr).not.toContain('base partielle');

    // The install is in the audit log: the folder, the counts, the SHA-256 of each file.
    const [entry] = installs(dataDir);
    expect(entry).toMatchObject({
      subject: expect.stringMatching(/^referential:drugs-.*\.sqlite$/),
      details: {
        source: demoReferentialDir(),
        demo: false,
        partial: false,
        releaseDate: '2026-10-01',
        counts: { specialties: summary.files[0]!.imported, packs: summary.files[1]!.imported, compositions: summary.files[2]!.imported },
        files: summary.files.map((f) => ({ file: f.file, sha256: createHash('sha256').update(readFileSync(join(demoReferentialDir()!, f.file))).digest('hex'), bytes: f.bytes, lines: f.lines })),
      },
    });

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

  it('refuses a partial release without --allow-partial, imports it with, and says the base is partial', () => {
    const source = join(tmp.dir, 'partial');
    cpSync(demoReferentialDir()!, source, { recursive: true });
    rmSync(join(source, 'CIS_COMPO_bdpm.txt'));
    const dataDir = join(tmp.dir, 'partial-data');

    const refused = runOrdo(['import-bdpm', source, '--data-dir', dataDir], small);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('Version incomplète, fichier absent : CIS_COMPO_bdpm.txt (compositions).');
    expect(refused.stderr).toContain(`Pour l’importer quand même : ordo import-bdpm ${source} --allow-partial.`);
    expect(JSON.parse(runOrdo(['drugs', 'status', '--data-dir', dataDir, '--json']).stdout)).toMatchObject({ state: 'demo', missingParts: [] });

    const result = runOrdo(['import-bdpm', source, '--data-dir', dataDir, '--allow-partial'], small);
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as ImportSummary).missingFiles).toEqual(['CIS_COMPO_bdpm.txt']);
    expect(result.stderr).toContain('Attention, base partielle : compositions absentes (fichiers absents : CIS_COMPO_bdpm.txt).');
    expect(installs(dataDir).at(-1)).toMatchObject({ details: { partial: true, missingFiles: ['CIS_COMPO_bdpm.txt'], counts: { compositions: 0 } } });

    const status = runOrdo(['drugs', 'status', '--data-dir', dataDir]);
    expect(status.status).toBe(0);
    expect(status.stdout).toContain('Attention, base partielle : compositions absentes (fichiers absents de la version importée : CIS_COMPO_bdpm.txt).');
    expect(JSON.parse(runOrdo(['drugs', 'status', '--data-dir', dataDir, '--json']).stdout) as DrugStatus).toMatchObject({
      state: 'real',
      missingFiles: ['CIS_COMPO_bdpm.txt'],
      missingParts: ['compositions'],
    });
    const doctor = runOrdo(['doctor', '--data-dir', dataDir]);
    expect(doctor.status).toBe(0);
    expect(JSON.parse(doctor.stdout)).toMatchObject({ ok: true, referential: { drugs: 'real', missingParts: ['compositions'] } });
    expect(doctor.stderr).toContain('Médicaments : base partielle : compositions absentes (importée ainsi à dessein).');
  });

  it('refuses a broken release with a non-zero exit and keeps the previous data: three lines, a cut file, a missing folder', () => {
    const dataDir = join(tmp.dir, 'kept-data');
    expect(runOrdo(['import-bdpm', demoReferentialDir()!, '--data-dir', dataDir], small).status).toBe(0);
    const before = JSON.parse(runOrdo(['drugs', 'status', '--data-dir', dataDir, '--json']).stdout) as DrugStatus;
    const unchanged = () => {
      const now = JSON.parse(runOrdo(['drugs', 'status', '--data-dir', dataDir, '--json']).stdout) as DrugStatus;
      expect(now.counts).toEqual(before.counts);
      expect(now.importedAt).toBe(before.importedAt);
    };

    const three = join(tmp.dir, 'three');
    mkdirSync(three);
    writeBdpmFile(three, 'CIS_bdpm.txt', ['61111111\tX 10 mg, comprimé\tcomprimé\torale\tAutorisation active\tProcédure nationale\tCommercialisée\t01/01/2000\t\t\t LAB\tNon']);
    writeBdpmFile(three, 'CIS_CIP_bdpm.txt', ['61111111\t3320863\tboîte\tPrésentation active\tDéclaration de commercialisation\t03/12/2003\t3400933208639\toui\t65%\t1,85\t2,87\t1,02\t']);
    writeBdpmFile(three, 'CIS_COMPO_bdpm.txt', ['61111111\tcomprimé\t05248\tX\t10 mg\tun comprimé\tSA\t1\t']);
    writeBdpmFile(three, 'CIS_GENER_bdpm.txt', ['1\tX 10 mg\t61111111\t0\t1\t']);
    writeBdpmFile(three, 'CIS_CPD_bdpm.txt', ['61111111\tliste I']);
    // Even as a test release: 1 specialty against 45 installed is more than 10 % fewer.
    const tiny = runOrdo(['import-bdpm', three, '--data-dir', dataDir], small);
    expect(tiny.status).toBe(1);
    expect(tiny.stdout).toBe('');
    expect(tiny.stderr).toMatch(/Cette version compte 1 spécialité contre \d+ dans la base installée \(\d+ % de moins\).*Les données précédentes sont conservées\./);
    unchanged();
    // Into a fresh folder (the demonstration data only), a real import of three lines is refused too.
    const fresh = runOrdo(['import-bdpm', three, '--data-dir', join(tmp.dir, 'three-data')]);
    expect(fresh.status).toBe(1);
    expect(fresh.stderr).toContain('Cette version ne compte que 1 spécialité');

    const cut = join(tmp.dir, 'cut');
    cpSync(demoReferentialDir()!, cut, { recursive: true });
    cutFile(join(cut, 'CIS_CIP_bdpm.txt'), 0.5);
    const truncated = runOrdo(['import-bdpm', cut, '--data-dir', dataDir], small);
    expect(truncated.status).toBe(1);
    expect(truncated.stderr).toMatch(/Le fichier CIS_CIP_bdpm\.txt se termine au milieu d’une ligne \(ligne \d+\)/);
    unchanged();

    const missing = runOrdo(['import-bdpm', join(tmp.dir, 'nowhere'), '--data-dir', dataDir]);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/introuvable|absent/);
    unchanged();
    // Only the one good import was installed, so only it is in the audit log.
    expect(installs(dataDir)).toHaveLength(1);
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
