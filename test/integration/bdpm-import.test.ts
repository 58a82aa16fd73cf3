/**
 * The BDPM importer on real files in temporary folders: encodings, tolerated quirks, rejected
 * lines named by file and line, missing optional files, the atomic swap that keeps the previous
 * referential when an import fails, and every way a broken release is refused before it replaces
 * a good one (missing, empty or cut files, misaligned columns, too few specialties or packs).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoReferentialDir } from '../../electron/drugs/assets';
import { currentFile, referentialDir } from '../../electron/drugs/files';
import { importBdpm, MAX_WRONG_COLUMN_LINES, MIN_RELEASE_COUNT, type ImportOptions } from '../../electron/drugs/import';
import { openReferential } from '../../electron/drugs/referential';
import { inlineDrugService as createDrugService } from '../support/drugs';
import { fixedClock } from '../../electron/clock';
import { OrdoError } from '../../shared/errors';
import { cutFile, writeBdpmFile } from '../support/bdpm-writer';
import { writeSyntheticBdpm } from '../support/synthetic-bdpm';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-bdpm-');
afterAll(() => tmp.remove());
let n = 0;
const fresh = (name: string) => {
  const dir = join(tmp.dir, `${name}-${n++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};
const options = { sqlite: {}, now: () => new Date('2026-11-25T10:00:00Z'), source: 'test' };

const cisLines = [
  '61111111\tAMOXICILLINE DÉMOGEN 500 mg, gélule\tgélule\torale\tAutorisation active\tProcédure nationale\tCommercialisée\t23/02/1995\t\t\t DÉMOGEN;DÉMOGEN SANTÉ\tNon',
  '61111112\tŒSTRODOSE 0,06 %, gel pour application cutanée\tgel\tcutanée\tAutorisation active\tProcédure nationale\tCommercialisée\t01/01/2001\t\t\t LABORATOIRE’S\tNon\t\t',
  '',
  '61111113\tVIEUX REMÈDE 10 mg, comprimé\tcomprimé\torale\tAutorisation abrogée\tProcédure nationale\tNon commercialisée\t01/01/1990\t\t\t ANCIEN\tNon',
];
const cipLines = [
  "61111111\t3320863\tplaquette(s) PVC aluminium de 12 gélule(s)\tPrésentation active\tDéclaration de commercialisation\t03/12/2003\t3400933208639\toui\t65%\t1,85\t2,87\t1,02\tPris en charge dans les cas suivants :<br><br>- Angine à streptocoque<br>",
  '61111112\t3320864\t1 tube(s) de 80 g\tPrésentation active\tDéclaration de commercialisation\t04/05/2017\t3400933208646\tnon\t\t\t\t\t',
];
const compoLines = [
  '61111111\tgélule\t28165\tAMOXICILLINE TRIHYDRATÉE\t\tune gélule\tSA\t1\t',
  '61111111\tgélule\t05248\tAMOXICILLINE ANHYDRE\t500 mg\tune gélule\tFT\t1\t',
  '61111112\tgel\t01234\tESTRADIOL HÉMIHYDRATÉ\t0,06 g\t100 g de gel\tSA\t1\t',
];
const generLines = ['1\tAMOXICILLINE 500 mg - CLAMOXYL 500 mg, gélule\t61111111\t1\t2\t', '1\tAMOXICILLINE 500 mg - CLAMOXYL 500 mg, gélule\t69999999\t0\t1\t'];
const cpdLines = ['61111111\tliste I', '61111112\tprescription nécessitant le recueil de l’accord de soins'];

function writeRelease(dir: string, parts: { cis?: string[]; cip?: string[]; compo?: string[] | null; gener?: string[] | null; cpd?: string[] | null } = {}) {
  writeBdpmFile(dir, 'CIS_bdpm.txt', parts.cis ?? cisLines);
  writeBdpmFile(dir, 'CIS_CIP_bdpm.txt', parts.cip ?? cipLines, { eol: '\n' });
  if (parts.compo !== null) writeBdpmFile(dir, 'CIS_COMPO_bdpm.txt', parts.compo ?? compoLines);
  if (parts.gener !== null) writeBdpmFile(dir, 'CIS_GENER_bdpm.txt', parts.gener ?? generLines, { encoding: 'utf-8' });
  if (parts.cpd !== null) writeBdpmFile(dir, 'CIS_CPD_bdpm.txt', parts.cpd ?? cpdLines, { encoding: 'utf-8', eol: '\n' });
}

function service(dataDir: string) {
  return createDrugService({ dataDir, clock: fixedClock('2026-11-25T10:00:00Z'), sqlite: {} });
}

describe('importing a BDPM release', () => {
  it('detects the encoding of each file and decodes Windows-1252 accents, ’ and Œ', async () => {
    const source = fresh('release');
    writeRelease(source);
    const dataDir = fresh('data');
    const summary = await importBdpm(source, dataDir, options);
    expect(summary.files.map((f) => [f.file, f.encoding, f.lines, f.imported, f.rejected])).toEqual([
      ['CIS_bdpm.txt', 'windows-1252', 3, 3, 0],
      ['CIS_CIP_bdpm.txt', 'windows-1252', 2, 2, 0],
      ['CIS_COMPO_bdpm.txt', 'windows-1252', 3, 3, 0],
      ['CIS_GENER_bdpm.txt', 'utf-8', 2, 2, 0],
      ['CIS_CPD_bdpm.txt', 'utf-8', 2, 2, 0],
    ]);
    expect(summary.missingFiles).toEqual([]);
    expect(summary.releaseDate).toBe('2017-05-04');

    const drugs = service(dataDir);
    const detail = await drugs.get('61111111');
    expect(detail).toMatchObject({
      name: 'AMOXICILLINE DÉMOGEN 500 mg, gélule',
      holders: ['DÉMOGEN', 'DÉMOGEN SANTÉ'],
      dciLabel: 'amoxicilline 500 mg, gélule',
      genericType: 'generic',
      flags: { listI: true, notMarketed: false },
      packs: [{ cip13: '3400933208639', cip7: '3320863', marketed: true, reimbursementRate: '65 %', priceCents: 287 }],
    });
    expect((await drugs.get('61111112')).name).toBe('ŒSTRODOSE 0,06 %, gel pour application cutanée');
    expect((await drugs.get('61111112')).holders).toEqual(['LABORATOIRE’S']);
    expect((await drugs.get('61111112')).conditions).toEqual(['prescription nécessitant le recueil de l’accord de soins']);
    expect((await drugs.get('61111113')).flags.notMarketed).toBe(true);
    drugs.close();
  });

  it('never takes a date after the import day for the release date (a marketing date in 2924)', async () => {
    const source = fresh('future');
    writeRelease(source, { cip: [...cipLines, cipLines[1]!.replace('3320864', '3320870').replace('3400933208646', '3400933208707').replace('04/05/2017', '29/11/2924')] });
    const dataDir = fresh('data');
    const summary = await importBdpm(source, dataDir, options);
    expect(summary).toMatchObject({ releaseDate: '2017-05-04', releaseDateSource: 'content', rejectedCount: 0 });
    const drugs = service(dataDir);
    // Imported on 2026-11-25: nine years old, and the GP is warned.
    expect(await drugs.status()).toMatchObject({ releaseDate: '2017-05-04', releaseDateSource: 'content', stale: true });
    expect((await drugs.status()).ageDays).toBeGreaterThan(3000);
    drugs.close();

    // A declared or server date in the future is no better: the files' plausible date is used.
    const declared = await importBdpm(source, fresh('data'), { ...options, releaseDate: { date: '2924-11-29', source: 'server' } });
    expect(declared).toMatchObject({ releaseDate: '2017-05-04', releaseDateSource: 'content' });
    expect(await importBdpm(source, fresh('data'), { ...options, releaseDate: { date: '2026-11-01', source: 'server' } })).toMatchObject({
      releaseDate: '2026-11-01',
      releaseDateSource: 'server',
    });
  });

  it('says the release date is unknown when no date can be trusted', async () => {
    const source = fresh('undated');
    const undated = (line: string) => line.replace(/\d{2}\/\d{2}\/\d{4}/, '29/11/2924');
    writeRelease(source, { cis: cisLines.map(undated), cip: cipLines.map(undated) });
    const dataDir = fresh('data');
    expect(await importBdpm(source, dataDir, options)).toMatchObject({ releaseDate: null, releaseDateSource: 'unknown' });
    const drugs = service(dataDir);
    expect(await drugs.status()).toMatchObject({ state: 'real', releaseDate: null, releaseDateSource: 'unknown' });
    drugs.close();
  });

  it('rejects a malformed line naming its file, line and reason, and imports the rest', async () => {
    const source = fresh('rejects');
    writeRelease(source, {
      cip: [...cipLines, '61111113\t3320865\tboîte\tPrésentation active\tDéclaration de commercialisation\t01/01/2010\t3400933208655\tnon', '61111113\t33208'],
    });
    const summary = await importBdpm(source, fresh('data'), options);
    expect(summary.rejectedCount).toBe(2);
    expect(summary.rejected).toEqual([
      { file: 'CIS_CIP_bdpm.txt', line: 3, reason: 'code CIP13 invalide « 3400933208655 » : Le code CIP13 est incorrect : la clé EAN-13 ne correspond pas.' },
      { file: 'CIS_CIP_bdpm.txt', line: 4, reason: '2 colonnes au lieu de 13' },
    ]);
    expect(summary.files.find((f) => f.file === 'CIS_CIP_bdpm.txt')).toMatchObject({ lines: 4, imported: 2, rejected: 2 });
  });

  it('counts blank lines in line numbers without rejecting them', async () => {
    const source = fresh('blank');
    writeRelease(source, { cis: [cisLines[0]!, '', '   ', '6111111X\tBAD\tx\tx\tx\tx\tx\tx\tx\tx\tx\tx'] });
    const summary = await importBdpm(source, fresh('data'), options);
    expect(summary.rejected).toEqual([{ file: 'CIS_bdpm.txt', line: 4, reason: 'code CIS invalide « 6111111X » (8 chiffres attendus)' }]);
  });

  it('refuses a release missing optional files unless told so, then says what the base lacks', async () => {
    const source = fresh('partial');
    writeRelease(source, { compo: null, gener: null, cpd: null });
    const dataDir = fresh('data');
    const refused = (await importBdpm(source, dataDir, options).catch((e: unknown) => e)) as OrdoError;
    expect(refused).toBeInstanceOf(OrdoError);
    expect(refused.code).toBe('NEEDS_CONFIRMATION');
    expect(refused.message).toBe(
      'Version incomplète, fichiers absents : CIS_COMPO_bdpm.txt (compositions), CIS_GENER_bdpm.txt (groupes génériques), CIS_CPD_bdpm.txt (conditions de prescription). Une telle version n’est importée que sur confirmation, et la base serait alors partielle (compositions absentes, groupes génériques absents, conditions de prescription absentes). Les données précédentes sont conservées.',
    );
    expect(currentFile(referentialDir(dataDir), 'drugs')).toBeUndefined();

    const summary = await importBdpm(source, dataDir, { ...options, allowPartial: true });
    expect(summary.missingFiles).toEqual(['CIS_COMPO_bdpm.txt', 'CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt']);
    // The referential's own metadata records what its release lacked.
    const db = openReferential(currentFile(referentialDir(dataDir), 'drugs')!, {})!;
    expect(JSON.parse(db.prepare("SELECT value FROM meta WHERE key = 'missing_files'").pluck().get() as string)).toEqual(summary.missingFiles);
    db.close();
    const drugs = service(dataDir);
    expect(await drugs.status()).toMatchObject({ missingFiles: summary.missingFiles, missingParts: ['compositions', 'genericGroups', 'conditions'] });
    // Without composition the DCI label falls back to the name, and the drug is still found.
    expect((await drugs.search('amox')).groups[0]?.dciLabel).toBe('AMOXICILLINE DÉMOGEN 500 mg, gélule');
    // The card knows its composition and conditions are unknown, not empty.
    expect(await drugs.get('61111111')).toMatchObject({ composition: [], conditions: [], missingParts: ['compositions', 'genericGroups', 'conditions'] });
    drugs.close();
  });

  it('a complete release says nothing is missing, and gives the SHA-256 of each file read', async () => {
    const source = fresh('complete');
    writeRelease(source);
    const dataDir = fresh('data');
    const summary = await importBdpm(source, dataDir, options);
    for (const report of summary.files) {
      const bytes = readFileSync(join(source, report.file));
      expect(report).toMatchObject({ sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
    }
    const drugs = service(dataDir);
    expect(await drugs.status()).toMatchObject({ missingFiles: [], missingParts: [] });
    expect((await drugs.get('61111111')).missingParts).toEqual([]);
    drugs.close();
  });

  it('refuses a release without CIS_bdpm.txt and installs nothing', async () => {
    const source = fresh('nocis');
    writeBdpmFile(source, 'CIS_CIP_bdpm.txt', cipLines);
    const dataDir = fresh('data');
    await expect(importBdpm(source, dataDir, options)).rejects.toThrow(/Fichier obligatoire absent.*CIS_bdpm\.txt/);
    expect(currentFile(referentialDir(dataDir), 'drugs')).toBeUndefined();
  });
});

describe('the atomic swap', () => {
  it('keeps the previous referential, untouched and searchable, when an import fails', async () => {
    const dataDir = fresh('swap');
    const good = fresh('good');
    writeRelease(good);
    await importBdpm(good, dataDir, options);
    const installed = currentFile(referentialDir(dataDir), 'drugs')!;
    const before = readFileSync(installed);

    const garbage = fresh('garbage');
    writeRelease(garbage, { cip: ['not a BDPM line', 'nor this one', cipLines[0]!] });
    const failure = await importBdpm(garbage, dataDir, options).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OrdoError);
    expect((failure as OrdoError).code).toBe('IMPORT_FAILED');
    expect((failure as OrdoError).message).toContain('CIS_CIP_bdpm.txt');
    expect((failure as OrdoError).message).toContain('Les données précédentes sont conservées');

    expect(currentFile(referentialDir(dataDir), 'drugs')).toBe(installed);
    expect(readFileSync(installed).equals(before)).toBe(true);
    expect(readdirSync(referentialDir(dataDir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const drugs = service(dataDir);
    expect((await drugs.search('amox 500')).groups[0]?.dciLabel).toBe('amoxicilline 500 mg, gélule');
    drugs.close();
  });

  it('keeps the previous referential when the import is aborted half-way', async () => {
    const dataDir = fresh('abort');
    const good = fresh('good');
    writeRelease(good);
    await importBdpm(good, dataDir, options);
    const installed = currentFile(referentialDir(dataDir), 'drugs');
    const big = fresh('big');
    writeRelease(big, { cip: Array.from({ length: 5000 }, () => cipLines[1]!) });
    const controller = new AbortController();
    const failure = importBdpm(big, dataDir, { ...options, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(failure).rejects.toThrow(/interrompu/);
    expect(currentFile(referentialDir(dataDir), 'drugs')).toBe(installed);
  });

  it('a running service picks up a referential another process installed', async () => {
    const dataDir = fresh('reload');
    const first = fresh('first');
    writeRelease(first);
    await importBdpm(first, dataDir, options);
    const drugs = service(dataDir);
    expect((await drugs.search('oestro')).groups).toHaveLength(1);

    const second = fresh('second');
    writeRelease(second, { cis: [cisLines[0]!] });
    await importBdpm(second, dataDir, options);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await drugs.search('oestro')).groups).toHaveLength(0);
    expect((await drugs.status()).counts.specialties).toBe(1);
    drugs.close();
  });
});

describe('a broken release never replaces a good one', () => {
  /** A data folder with the small good release installed; returns its file and bytes. */
  async function withGood(): Promise<{ dataDir: string; installed: string; bytes: Buffer }> {
    const dataDir = fresh('kept');
    const good = fresh('good');
    writeRelease(good);
    await importBdpm(good, dataDir, options);
    const installed = currentFile(referentialDir(dataDir), 'drugs')!;
    return { dataDir, installed, bytes: readFileSync(installed) };
  }

  /** The import fails with IMPORT_FAILED and `message`; the referential in use is the same file, unchanged, and no build is left. */
  async function refused(source: string, kept: { dataDir: string; installed: string; bytes: Buffer }, message: RegExp, more: Partial<ImportOptions> = {}) {
    const failure = (await importBdpm(source, kept.dataDir, { ...options, ...more }).catch((e: unknown) => e)) as OrdoError;
    expect(failure).toBeInstanceOf(OrdoError);
    expect(failure.code).toBe('IMPORT_FAILED');
    expect(failure.message).toMatch(message);
    expect(failure.message).toContain('Les données précédentes sont conservées.');
    expect(currentFile(referentialDir(kept.dataDir), 'drugs')).toBe(kept.installed);
    expect(readFileSync(kept.installed).equals(kept.bytes)).toBe(true);
    expect(readdirSync(referentialDir(kept.dataDir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
    return failure;
  }

  it('refuses an empty file, even an optional one (0 bytes, or blank lines only)', async () => {
    const kept = await withGood();
    const emptyPacks = fresh('empty-cip');
    writeRelease(emptyPacks, { cip: [] });
    await refused(emptyPacks, kept, /^Le fichier CIS_CIP_bdpm\.txt est vide/);
    const blankConditions = fresh('blank-cpd');
    writeRelease(blankConditions, { cpd: ['', '  '] });
    await refused(blankConditions, kept, /^Le fichier CIS_CPD_bdpm\.txt est vide/);
    // Even allowed to be partial: an empty file is not an absent one.
    await refused(blankConditions, kept, /CIS_CPD_bdpm\.txt est vide/, { allowPartial: true });
  });

  it('refuses a file that ends in the middle of a line: no final line end, or cut inside a record', async () => {
    const kept = await withGood();
    const noEol = fresh('no-eol');
    writeRelease(noEol);
    writeBdpmFile(noEol, 'CIS_COMPO_bdpm.txt', compoLines, { finalEol: false });
    await refused(noEol, kept, /^Le fichier CIS_COMPO_bdpm\.txt se termine au milieu d’une ligne \(ligne 3\) : il a été tronqué/);

    const cut = fresh('cut');
    writeRelease(cut);
    // The second pack's line cut after its CIP7: the first line whole, the second a stub.
    const path = join(cut, 'CIS_CIP_bdpm.txt');
    cutFile(path, readFileSync(path).indexOf(Buffer.from('3320864')) + 7);
    await refused(cut, kept, /^Le fichier CIS_CIP_bdpm\.txt se termine au milieu d’une ligne \(ligne 2\)/);
  });

  it('refuses a file with more than a handful of lines of the wrong column count, naming them', async () => {
    const kept = await withGood();
    const shifted = (n: number) => Array.from({ length: n }, (_, i) => `6111120${i}\tDÉCALÉ ${i}\tcomprimé\torale\tAutorisation active\tProcédure nationale\tCommercialisée\t01/01/2000\t\t\tLAB\tNon\tcolonne en trop`);
    const many = [...cisLines, ...shifted(MAX_WRONG_COLUMN_LINES + 1), '61111300\tCOURTE'];
    const bad = fresh('columns');
    writeRelease(bad, { cis: many });
    await refused(bad, kept, /^Le fichier CIS_bdpm\.txt a 7 lignes sans les 12 colonnes attendues \(lignes 5, 6, 7, 8, 9, 10 et 11\) ; au-delà de 5, le fichier est tenu pour tronqué ou d’un autre format\./);

    // Up to the handful, the lines are rejected and named, the rest imports.
    const few = fresh('columns-few');
    const more = Array.from({ length: 6 }, (_, i) => cisLines[0]!.replace('61111111', `6111140${i}`));
    writeRelease(few, { cis: [...cisLines, ...shifted(MAX_WRONG_COLUMN_LINES), ...more] });
    const summary = await importBdpm(few, kept.dataDir, options);
    expect(summary.rejected.map((r) => [r.line, r.reason])).toEqual([5, 6, 7, 8, 9].map((line) => [line, '13 colonnes au lieu de 12']));
    expect(summary.files[0]).toMatchObject({ imported: 9, rejected: 5 });
  });

  it('refuses a release of three lines when no real referential is installed (nothing, or the demonstration data)', async () => {
    const three = fresh('three');
    writeBdpmFile(three, 'CIS_bdpm.txt', [cisLines[0]!]);
    writeBdpmFile(three, 'CIS_CIP_bdpm.txt', [cipLines[0]!]);
    writeBdpmFile(three, 'CIS_COMPO_bdpm.txt', [compoLines[0]!]);
    writeBdpmFile(three, 'CIS_GENER_bdpm.txt', [generLines[0]!]);
    writeBdpmFile(three, 'CIS_CPD_bdpm.txt', [cpdLines[0]!]);
    const plausible = { plausibility: { minimumCount: MIN_RELEASE_COUNT } };
    const nothing = fresh('nothing');
    await expect(importBdpm(three, nothing, { ...options, ...plausible })).rejects.toThrow(
      // Thousands with a narrow no-break space, as every French number Ordo prints.
      'Cette version ne compte que 1 spécialité (une version complète en compte environ 15\u202f000 ; au moins 1\u202f000 sont attendues) : elle est sans doute incomplète et n’est pas installée. Les données précédentes sont conservées.',
    );
    expect(currentFile(referentialDir(nothing), 'drugs')).toBeUndefined();

    const demo = fresh('demo-installed');
    await importBdpm(demoReferentialDir()!, demo, { ...options, demo: true });
    const installed = currentFile(referentialDir(demo), 'drugs');
    await expect(importBdpm(three, demo, { ...options, ...plausible })).rejects.toThrow(/ne compte que 1 spécialité/);
    expect(currentFile(referentialDir(demo), 'drugs')).toBe(installed);
  });

  it('refuses a release with more than 10 % fewer specialties or packs than the real one installed', async () => {
    const dataDir = fresh('drop');
    const release = (name: string, size: { specialties: number; packs: number }) => {
      const dir = fresh(name);
      writeSyntheticBdpm(dir, { ...size, compositions: size.specialties + 10 });
      return dir;
    };
    const plausible = { plausibility: { minimumCount: MIN_RELEASE_COUNT } };
    // 200 specialties would not pass as a first release…
    await expect(importBdpm(release('first', { specialties: 200, packs: 300 }), dataDir, { ...options, ...plausible })).rejects.toThrow(/ne compte que 200 spécialités/);
    // …the tests install it without the floor, and the 10 % rule then compares with it.
    await importBdpm(release('first-again', { specialties: 200, packs: 300 }), dataDir, { ...options, plausibility: { minimumCount: 1 } });
    const installed = currentFile(referentialDir(dataDir), 'drugs');
    await expect(importBdpm(release('fewer-specialties', { specialties: 179, packs: 300 }), dataDir, { ...options, ...plausible })).rejects.toThrow(
      'Cette version compte 179 spécialités contre 200 dans la base installée (11 % de moins) : une version qui en perd plus de 10 % est sans doute incomplète et n’est pas installée. Les données précédentes sont conservées.',
    );
    await expect(importBdpm(release('fewer-packs', { specialties: 200, packs: 150 }), dataDir, { ...options, ...plausible })).rejects.toThrow(
      /^Cette version compte 150 présentations contre 300 dans la base installée \(50 % de moins\)/,
    );
    expect(currentFile(referentialDir(dataDir), 'drugs')).toBe(installed);
    // Exactly 10 % fewer is a release that dropped drugs, not a broken one.
    const summary = await importBdpm(release('ten-percent', { specialties: 180, packs: 270 }), dataDir, { ...options, ...plausible });
    expect(summary.files.slice(0, 2).map((f) => f.imported)).toEqual([180, 270]);
    expect(currentFile(referentialDir(dataDir), 'drugs')).not.toBe(installed);
  });
});

describe('leftovers of a killed import', () => {
  it('are removed when the drug service starts, not hours later; the work of a live process stays', async () => {
    const dataDir = fresh('leftovers');
    const good = fresh('good');
    writeRelease(good);
    await importBdpm(good, dataDir, options);
    const dir = referentialDir(dataDir);
    const installed = currentFile(dir, 'drugs')!;
    // A process id no system hands out (Linux's maximum is 4 194 304): a dead importer.
    const dead = 2_147_483_000;
    const leftovers = [
      `drugs-20261125T100000Z-aaaaaa.sqlite.p${dead}.partial`,
      `drugs-20261125T100000Z-bbbbbb.sqlite.p${process.pid}.partial`,
      'interactions-20261125T100000Z-cccccc.sqlite.partial',
      `.drugs.json.p${dead}.0a0b0c0d.tmp`,
    ];
    for (const name of leftovers) writeFileSync(join(dir, name), 'half a build');
    mkdirSync(join(dir, `download-p${dead}-abc-def`));
    writeFileSync(join(dir, `download-p${dead}-abc-def`, 'CIS_bdpm.txt'), 'half a download');
    // Process 1 is always there: its build may be under way (the app while the CLI starts).
    const alive = `drugs-20261125T100000Z-dddddd.sqlite.p1.partial`;
    writeFileSync(join(dir, alive), 'a build under way');
    // Ten minutes old, not six hours.
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    for (const name of [...leftovers, alive, `download-p${dead}-abc-def`]) utimesSync(join(dir, name), tenMinutesAgo, tenMinutesAgo);

    const drugs = service(dataDir);
    expect(readdirSync(dir).sort()).toEqual([alive, 'drugs.json', installed.slice(dir.length + 1)].sort());
    expect((await drugs.search('amox 500')).groups[0]?.dciLabel).toBe('amoxicilline 500 mg, gélule');
    drugs.close();
  });
});

describe('the embedded demonstration referential', () => {
  it('imports on first use, flagged as demonstration data', async () => {
    const dataDir = fresh('demo');
    const drugs = service(dataDir);
    const status = await drugs.status();
    expect(status).toMatchObject({ state: 'demo', releaseDateSource: 'declared', missingFiles: [], rejectedCount: 0 });
    expect(status.counts.specialties).toBeGreaterThanOrEqual(40);
    const result = await drugs.search('amox 500');
    expect(result.demo).toBe(true);
    expect(result.groups[0]?.dciLabel).toBe('amoxicilline 500 mg, gélule');
    expect(result.groups[0]?.items.map((i) => i.name)).toContain('CLAMOXYL 500 mg, gélule');
    drugs.close();
  });

  it('is written in the real format: every line imports, encodings as documented', async () => {
    const summary = await importBdpm(demoReferentialDir()!, fresh('demo-check'), options);
    expect(summary.rejectedCount).toBe(0);
    expect(summary.files.map((f) => f.encoding)).toEqual(['windows-1252', 'windows-1252', 'windows-1252', 'windows-1252', 'utf-8']);
  });
});

describe.skipIf(!hasSharedData)('real lines of the 2019 release (../shared/data)', () => {
  if (!hasSharedData) process.stderr.write(`real BDPM lines skipped: ${sharedDataDir} absent\n`);

  it('imports an extract taken at test time: Windows-1252, HTML in the last CIP column, several holders', async () => {
    const real = join(sharedDataDir, 'bdpm-2019');
    const source = fresh('real-extract');
    // Only the lines this test looks at, to keep it quick; the full release has its own test.
    const latin = (file: string) => readFileSync(join(real, file)).toString('latin1').split('\n');
    const pick = (file: string, needles: string[]) => latin(file).filter((l) => needles.some((n) => l.startsWith(n)));
    const wanted = ['60021127', '61266250', '69118175', '60002504', '65039517'];
    for (const file of ['CIS_bdpm.txt', 'CIS_CIP_bdpm.txt', 'CIS_COMPO_bdpm.txt', 'CIS_CPD_bdpm.txt']) {
      writeFileSync(join(source, file), Buffer.from(`${pick(file, wanted).join('\n')}\n`, 'latin1'));
    }
    writeFileSync(join(source, 'CIS_GENER_bdpm.txt'), Buffer.from(`${latin('CIS_GENER_bdpm.txt').slice(0, 3).join('\n')}\n`, 'latin1'));
    const dataDir = fresh('real-data');
    const summary = await importBdpm(source, dataDir, options);
    expect(summary.rejectedCount).toBe(0);
    expect(summary.files.slice(0, 3).map((f) => f.encoding)).toEqual(['windows-1252', 'windows-1252', 'windows-1252']);
    const drugs = service(dataDir);
    expect((await drugs.get('60021127')).name).toBe('SPIRONOLACTONE MYLAN 75 mg, comprimé pelliculé');
    const db = openReferential(currentFile(referentialDir(dataDir), 'drugs')!, {})!;
    const html = db.prepare("SELECT indications FROM pack WHERE cis = '60021127' AND indications <> ''").pluck().get() as string;
    db.close();
    expect(html).toContain('<br><br>');
    expect(html).toContain('Hyperaldostéronisme');
    const amox = await drugs.get('69118175');
    expect(amox).toMatchObject({ name: 'AMOXICILLINE BIOGARAN 500 mg, gélule', dciLabel: 'amoxicilline 500 mg, gélule', holders: ['BIOGARAN'] });
    const ranitidine = await drugs.get('60002504');
    expect(ranitidine.composition.map((c) => c.substanceName)).toEqual(['RANITIDINE (CHLORHYDRATE DE)', 'RANITIDINE BASE']);
    expect(ranitidine.dciLabel).toMatch(/^ranitidine 150 mg, comprimé/);
    expect((await drugs.get('65039517')).holders).toEqual(['TEVA (PAYS-BAS)', 'TEVA PHARMA (PAYS-BAS)']);
    drugs.close();
  });
});
