/**
 * The interaction thesaurus: imported as a versioned rule set, protagonists matched to BDPM
 * substances (unmatched ones reported), looked up between substance codes; installed from
 * Réglages as a durable job (a folder, a zip on this computer, a zip sent by the window) and
 * read back per drug for its card.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DrugInteractions, InteractionInstallJob, ThesaurusInfo } from '../../shared/calls/interactions';
import { createApp, type OrdoApp } from '../../electron/app';
import { openSqlite } from '../../electron/db/open';
import { rulesOfSql } from '../../electron/drugs/interactions';
import { dispatch } from '../../electron/dispatch';
import { currentFile, referentialDir } from '../../electron/drugs/files';
import { inlineDrugService as createDrugService } from '../support/drugs';
import { fixedClock } from '../../electron/clock';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-interactions-');
afterAll(() => tmp.remove());
const clock = fixedClock('2026-11-25T10:00:00Z');

/** A small thesaurus in the tables format, written here (the real one is read from ../shared/data). */
function writeThesaurus(dir: string, extraRule = ''): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'molecules.txt'), 'WARFARINE\nACIDE ACETYLSALICYLIQUE\nAMOXICILLINE\nMOLECULE INCONNUE\n');
  writeFileSync(join(dir, 'molecule-classes.tsv'), 'molecule\tfamille\nWARFARINE\tANTICOAGULANTS ORAUX\nMOLECULE INCONNUE\tANTICOAGULANTS ORAUX\n');
  const header = 'protagoniste1\tprotagoniste2\tdescription_interaction\tdescription_medoc\tmecanisme\tCI\tAD\tPE\tPC';
  const rules = [
    "ACIDE ACETYLSALICYLIQUE\tANTICOAGULANTS ORAUX\tAssociation DECONSEILLEE Majoration du risque hemorragique.\t\tMajoration du risque hemorragique.\t\t\t\t",
    "AMOXICILLINE\tANTICOAGULANTS ORAUX\tA prendre en compte Augmentation de l'effet.\t\tAugmentation de l'effet.\t\t\t\tsurveiller l'INR",
    "WARFARINE\tPAMPLEMOUSSE (JUS ET FRUIT)\tCONTRE-INDICATION x\t\tx\tx\t\t\t",
    'SANS NIVEAU\tWARFARINE\tdescription sans niveau\t\t\t\t\t\t',
  ];
  writeFileSync(join(dir, 'thesaurus.tsv'), [header, ...rules, extraRule].join('\n'));
  return dir;
}

describe('importing the interaction thesaurus', () => {
  it('stores a versioned rule set and reports unmatched names and unreadable rows', async () => {
    const dataDir = join(tmp.dir, 'small');
    const drugs = createDrugService({ dataDir, clock, sqlite: {} });
    const summary = await drugs.importInteractions(writeThesaurus(join(tmp.dir, 'thesaurus-small')));
    expect(summary).toMatchObject({
      rules: 3,
      matchedAgainst: 'demo',
      unmatchedMolecules: ['MOLECULE INCONNUE'],
      otherProtagonists: ['PAMPLEMOUSSE (JUS ET FRUIT)'],
      rejected: [{ file: 'thesaurus.tsv', line: 5, reason: 'niveau de l’interaction introuvable' }],
    });
    expect(summary.version).toMatch(/^thesaurus-small-[0-9a-f]{12}$/);
    expect((await drugs.status()).interactions).toMatchObject({ version: summary.version, rules: 3 });

    // Demo codes: 90038 warfarine sodique (COUMADINE), 90015 acide acétylsalicylique (KARDEGIC), 90002 amoxicilline.
    const found = await drugs.interactions(['90038', '90015', '90002']);
    expect(found.map((i) => [i.substanceCodes, i.severity, i.protagonists])).toEqual([
      [['90015', '90038'], 'AD', ['ACIDE ACETYLSALICYLIQUE', 'ANTICOAGULANTS ORAUX']],
      [['90002', '90038'], 'PC', ['AMOXICILLINE', 'ANTICOAGULANTS ORAUX']],
    ]);
    expect(found[0]?.ruleSetVersion).toBe(summary.version);
    expect(await drugs.interactions(['90002', '90001'])).toEqual([]);
    drugs.close();
  });

  it('a new import replaces the rule set atomically; a failed one keeps it', async () => {
    const dataDir = join(tmp.dir, 'versions');
    const drugs = createDrugService({ dataDir, clock, sqlite: {} });
    const first = await drugs.importInteractions(writeThesaurus(join(tmp.dir, 'v1')));
    const second = await drugs.importInteractions(writeThesaurus(join(tmp.dir, 'v2'), 'AMOXICILLINE\tWARFARINE\tPrecaution d\'emploi x\t\tx\t\t\t\t'));
    expect(second.version).not.toBe(first.version);
    expect(second.rules).toBe(4);
    const installed = currentFile(referentialDir(dataDir), 'interactions');
    await expect(drugs.importInteractions(join(tmp.dir, 'nowhere'))).rejects.toThrow(/absent/);
    expect(currentFile(referentialDir(dataDir), 'interactions')).toBe(installed);
    expect((await drugs.status()).interactions?.version).toBe(second.version);
    drugs.close();
  });

  it('goes through the same build-and-install as the drug referential: old crash leftovers are cleaned', async () => {
    const dataDir = join(tmp.dir, 'leftovers');
    const dir = referentialDir(dataDir);
    mkdirSync(dir, { recursive: true });
    const leftover = join(dir, 'interactions-20261120T000000Z-abcdef.sqlite.partial');
    writeFileSync(leftover, 'half a build');
    const longAgo = new Date('2026-11-20T00:00:00Z');
    utimesSync(leftover, longAgo, longAgo);
    const drugs = createDrugService({ dataDir, clock, sqlite: {} });
    await drugs.importInteractions(writeThesaurus(join(tmp.dir, 'v-leftovers')));
    expect(existsSync(leftover)).toBe(false);
    expect(currentFile(dir, 'interactions')).toBeDefined();
    drugs.close();
  });

  it('answers through the contract call', async () => {
    const app = createApp({ dataDir: join(tmp.dir, 'contract'), mode: 'host', clock });
    expect(await dispatch(app.services, 'drugs.interactions', { substanceCodes: ['90038', '90015'] })).toEqual({ ok: true, value: [] });
    await import('../../electron/drugs/calls').then(({ drugServiceOf }) => drugServiceOf(app.context).importInteractions(writeThesaurus(join(tmp.dir, 'v3'))));
    const result = await dispatch(app.services, 'drugs.interactions', { substanceCodes: ['90038', '90015'] });
    expect(result).toMatchObject({ ok: true, value: [{ severity: 'AD', levels: ['AD'] }] });
    expect(await dispatch(app.services, 'drugs.interactions', { substanceCodes: ['90038'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    app.close();
  });
});

describe.skipIf(!hasSharedData)('the ANSM thesaurus 2016 (../shared/data)', () => {
  if (!hasSharedData) process.stderr.write(`ANSM thesaurus test skipped: ${sharedDataDir} absent\n`);

  it('imports every rule, levels read from the columns or the description', async () => {
    const drugs = createDrugService({ dataDir: join(tmp.dir, 'ansm'), clock, sqlite: {} });
    const summary = await drugs.importInteractions(join(sharedDataDir, 'ansm-interactions-2016'));
    expect(summary.rules).toBe(1463);
    expect(summary.rejected).toEqual([]);
    expect(summary.molecules).toBeGreaterThanOrEqual(1010);
    expect(summary.otherProtagonists).toContain('PAMPLEMOUSSE (JUS ET FRUIT)');
    // Against the demonstration referential most molecules are unmatched, and the report says so.
    expect(summary.matchedAgainst).toBe('demo');
    expect(summary.unmatchedMolecules.length).toBeGreaterThan(500);
    const found = await drugs.interactions(['90038', '90015']);
    expect(found.length).toBeGreaterThan(0);
    // The aspirin × oral anticoagulants rule is conditional: CI, AD and PC depending on the dose.
    expect(found.find((i) => i.protagonists[0] === 'ACIDE ACETYLSALICYLIQUE' && i.protagonists[1] === 'ANTICOAGULANTS ORAUX')).toMatchObject({
      severity: 'CI',
      levels: ['CI', 'AD', 'PC'],
    });
    drugs.close();
  });
});

/** The real thesaurus when ../shared/data has it, else the small one written above. */
const realDir = join(sharedDataDir, 'ansm-interactions-2016');
const hasRealThesaurus = existsSync(join(realDir, 'thesaurus.tsv'));
if (!hasRealThesaurus) process.stderr.write(`thesaurus job tests use a synthetic thesaurus: ${realDir} absent\n`);
function thesaurusFolder(): { dir: string; rules: number } {
  if (hasRealThesaurus) return { dir: realDir, rules: 1463 };
  return { dir: writeThesaurus(join(tmp.dir, 'ansm-interactions-2016')), rules: 3 };
}

/** A zip of a folder's files, under `prefix/` inside the archive. */
function zipOf(dir: string, prefix = ''): Uint8Array {
  const files = Object.fromEntries(readdirSync(dir).map((name) => [`${prefix}${name}`, new Uint8Array(readFileSync(join(dir, name)))]));
  return zipSync(files);
}

let app: OrdoApp | undefined;
afterEach(async () => {
  await app?.shutdown();
  app = undefined;
});

let n = 0;
/** The app as the service worker builds it: jobs run by themselves, inline unless `threads`. */
function openApp(threads = false): OrdoApp {
  app = createApp({ dataDir: join(tmp.dir, `job-${n++}`), mode: 'host', jobs: { autoRun: true, threads } });
  return app;
}

async function call<T>(a: OrdoApp, name: string, input: unknown = {}): Promise<T> {
  const result = await dispatch(a.services, name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Starts an installation and keeps every snapshot the events carried, until it ends. */
async function install(a: OrdoApp, input: unknown): Promise<{ job: InteractionInstallJob; seen: InteractionInstallJob[] }> {
  const seen: InteractionInstallJob[] = [];
  const off = a.subscribe((event) => {
    if (event.name === 'jobs.changed' && event.payload.kind === 'interactions.install') seen.push(event.payload);
  });
  const started = await call<InteractionInstallJob>(a, 'interactions.install', input);
  const job = (await a.jobs.whenFinished(started.id)) as InteractionInstallJob;
  off();
  return { job, seen };
}

const installed = (a: OrdoApp) => call<{ thesaurus: ThesaurusInfo | null }>(a, 'interactions.status').then((s) => s.thesaurus);

describe('installing the thesaurus as a durable job (interactions.install)', { timeout: 60_000 }, () => {
  it('from a folder: progress pushed as events, then the report; the drug card reads it', async () => {
    const a = openApp();
    expect(await installed(a)).toBeNull();
    const { dir, rules } = thesaurusFolder();
    const { job, seen } = await install(a, { source: 'path', path: dir });
    expect(job.state).toBe('done');
    // The small thesaurus written here has one row without a level, on purpose (line 5).
    const rejected = hasRealThesaurus ? [] : [{ file: 'thesaurus.tsv', line: 5, reason: 'niveau de l’interaction introuvable' }];
    expect(job.result).toMatchObject({ rules, edition: '2016', sourceName: 'ansm-interactions-2016', matchedAgainst: 'demo', rejected });
    expect(job.result!.molecules).toBeGreaterThan(0);
    expect(job.result!.classes).toBeGreaterThan(0);
    // Progress: every phase in order, the bar never going back.
    const progress = seen.filter((j) => j.state === 'running' && j.progress !== null).map((j) => j.progress!);
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases[0]).toBe('reading');
    // Within a phase snapshots are coalesced; a new phase is always pushed.
    expect(phases).toEqual(['reading', 'rules', 'matching']);
    const percents = progress.map((p) => p.percent);
    expect(percents).toEqual([...percents].sort((x, y) => x - y));
    expect(seen.at(-1)?.state).toBe('done');
    expect(await installed(a)).toMatchObject({ version: job.result!.version, edition: '2016', rules, molecules: job.result!.molecules, classes: job.result!.classes });
    // The jobs list shows it after a reload.
    expect(await call<{ jobs: InteractionInstallJob[] }>(a, 'jobs.list', { kind: 'interactions.install', limit: 1 })).toMatchObject({ jobs: [{ id: job.id, state: 'done' }] });
  });

  it('from a zip on this computer (tables in a sub-folder), in a job thread of its own', async () => {
    const a = openApp(true);
    const { dir, rules } = thesaurusFolder();
    const zip = join(tmp.dir, 'ansm-interactions-2016.zip');
    writeFileSync(zip, zipOf(dir, 'thesaurus/'));
    const { job } = await install(a, { source: 'path', path: zip });
    expect(job.error).toBeNull();
    expect(job.result).toMatchObject({ rules, edition: '2016', sourceName: 'ansm-interactions-2016.zip' });
    expect(job.result!.version).toMatch(/^ansm-interactions-2016-[0-9a-f]{12}$/);
    // Nothing unpacked is left behind.
    expect(readdirSync(referentialDir(a.context.dataDir)).filter((f) => !/^interactions-.*\.sqlite$|^drugs-.*\.sqlite$|\.json$/.test(f))).toEqual([]);
  });

  it('from a zip the window sends; the same request twice starts one job', async () => {
    const a = openApp();
    const { dir, rules } = thesaurusFolder();
    const input = {
      source: 'upload',
      fileName: 'thesaurus-ansm-2016.zip',
      contentBase64: Buffer.from(zipOf(dir)).toString('base64'),
      requestId: '0b9a4f7e-2c31-4d5e-8f60-7a1b2c3d4e5f',
    };
    const first = await call<InteractionInstallJob>(a, 'interactions.install', input);
    const again = await call<InteractionInstallJob>(a, 'interactions.install', input);
    expect(again.id).toBe(first.id);
    const job = (await a.jobs.whenFinished(first.id)) as InteractionInstallJob;
    expect(job.result).toMatchObject({ rules, edition: '2016', sourceName: 'thesaurus-ansm-2016.zip' });
    expect(job.input).toEqual({ source: 'upload', fileName: 'thesaurus-ansm-2016.zip', bytes: Buffer.from(input.contentBase64, 'base64').length });
  });

  it('refuses in French what is not the thesaurus, and keeps the one installed', async () => {
    const a = openApp();
    const good = await install(a, { source: 'path', path: writeThesaurus(join(tmp.dir, 'kept-2015')) });
    expect(good.job.state).toBe('done');
    const pointer = currentFile(referentialDir(a.context.dataDir), 'interactions');

    // A BDPM release zipped instead of the thesaurus.
    const bdpm = join(tmp.dir, 'bdpm');
    mkdirSync(bdpm, { recursive: true });
    writeFileSync(join(bdpm, 'CIS_bdpm.txt'), '60000001\tDOLIPRANE 500 mg\n');
    const notThesaurus = await install(a, { source: 'upload', fileName: 'bdpm.zip', contentBase64: Buffer.from(zipOf(bdpm)).toString('base64') });
    // Not a zip at all.
    const notZip = await install(a, { source: 'upload', fileName: 'notes.zip', contentBase64: Buffer.from('pas une archive').toString('base64') });
    // The right file names with other content.
    const other = join(tmp.dir, 'other-tables');
    writeThesaurus(other);
    writeFileSync(join(other, 'thesaurus.tsv'), 'nom\tprenom\nDupont\tJean\n');
    const wrongTable = await install(a, { source: 'path', path: other });
    const nowhere = await install(a, { source: 'path', path: join(tmp.dir, 'nulle-part') });

    expect(notThesaurus.job).toMatchObject({ state: 'failed', error: { code: 'IMPORT_FAILED' } });
    expect(notThesaurus.job.error?.message).toMatch(/^Ce n’est pas le thésaurus des interactions de l’ANSM : fichier absent de « bdpm\.zip » : thesaurus\.tsv, molecule-classes\.tsv, molecules\.txt/);
    expect(notZip.job.error?.message).toMatch(/« notes\.zip » n’est pas une archive \.zip/);
    expect(wrongTable.job.error?.message).toMatch(/Ce n’est pas le thésaurus des interactions de l’ANSM : la première ligne de thesaurus\.tsv/);
    expect(nowhere.job.error?.message).toMatch(/introuvable sur ce poste/);
    for (const refused of [notThesaurus, notZip, wrongTable, nowhere]) {
      expect(refused.job.error?.message).toMatch(/Le thésaurus précédent est conservé\.$/);
      // Not retried: a wrong file stays wrong.
      expect(refused.job.attempts).toBe(1);
    }
    expect(currentFile(referentialDir(a.context.dataDir), 'interactions')).toBe(pointer);
    expect(await installed(a)).toMatchObject({ version: good.job.result!.version, edition: '2015', rules: 3 });
  });

  it('cancelled while it runs, it stops and keeps the thesaurus installed', async () => {
    const a = openApp();
    const first = await install(a, { source: 'path', path: writeThesaurus(join(tmp.dir, 'before-cancel')) });
    const pointer = currentFile(referentialDir(a.context.dataDir), 'interactions');
    let asked = false;
    const off = a.subscribe((event) => {
      if (event.name !== 'jobs.changed' || event.payload.kind !== 'interactions.install' || event.payload.state !== 'running' || asked) return;
      asked = true;
      void dispatch(a.services, 'jobs.cancel', { id: event.payload.id });
    });
    const { job } = await install(a, { source: 'path', path: thesaurusFolder().dir });
    off();
    expect(job).toMatchObject({ state: 'cancelled', error: { message: 'Installation annulée : le thésaurus précédent est conservé.' } });
    expect(currentFile(referentialDir(a.context.dataDir), 'interactions')).toBe(pointer);
    expect((await installed(a))?.version).toBe(first.job.result!.version);
  });

  it('`ordo import-interactions` runs the same job', async () => {
    const a = openApp();
    const summary = await a.tools.importInteractions(writeThesaurus(join(tmp.dir, 'from-cli')));
    expect(summary).toMatchObject({ rules: 3, sourceName: 'from-cli', matchedAgainst: 'demo' });
    expect(await call<{ jobs: InteractionInstallJob[] }>(a, 'jobs.list', { kind: 'interactions.install' })).toMatchObject({ jobs: [{ state: 'done', input: { source: 'path' } }] });
  });
});

describe('a drug’s interactions for its card (interactions.ofDrug)', { timeout: 60_000 }, () => {
  it('says when no thesaurus is installed', async () => {
    const a = openApp();
    expect(await call<DrugInteractions>(a, 'interactions.ofDrug', { cis: '69999038' })).toEqual({ cis: '69999038', thesaurus: null, interactions: [] });
    expect(await dispatch(a.services, 'interactions.ofDrug', { cis: '12345678' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatch(a.services, 'interactions.ofDrug', { cis: '6999' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { cis: 'Le code CIS comporte 8 chiffres.' } } });
  });

  it('warfarin (COUMADINE) interacts with aspirin through its class, most severe first', async () => {
    const a = openApp();
    await install(a, { source: 'path', path: writeThesaurus(join(tmp.dir, 'card')) });
    const card = await call<DrugInteractions>(a, 'interactions.ofDrug', { cis: '69999038' });
    expect(card.thesaurus).toMatchObject({ rules: 3 });
    expect(card.interactions.map((i) => [i.severity, i.via.name, i.with])).toEqual([
      ['CI', 'WARFARINE', { name: 'PAMPLEMOUSSE (JUS ET FRUIT)', kind: 'other' }],
      ['AD', 'ANTICOAGULANTS ORAUX', { name: 'ACIDE ACETYLSALICYLIQUE', kind: 'substance' }],
      ['PC', 'ANTICOAGULANTS ORAUX', { name: 'AMOXICILLINE', kind: 'substance' }],
    ]);
    expect(card.interactions[1]).toMatchObject({ via: { kind: 'class' }, risk: 'Majoration du risque hemorragique.', advice: '' });
    expect(card.interactions[2]).toMatchObject({ risk: "Augmentation de l'effet.", advice: "surveiller l'INR" });
    // Aspirin (KARDEGIC) sees the same rule from its side; ibuprofen (not in this thesaurus) none.
    const kardegic = await call<DrugInteractions>(a, 'interactions.ofDrug', { cis: '69999017' });
    expect(kardegic.interactions).toMatchObject([{ severity: 'AD', via: { name: 'ACIDE ACETYLSALICYLIQUE' }, with: { name: 'ANTICOAGULANTS ORAUX', kind: 'class' } }]);
    expect((await call<DrugInteractions>(a, 'interactions.ofDrug', { cis: '69999014' })).interactions).toEqual([]);
  });

  it.skipIf(!hasRealThesaurus)('with the ANSM thesaurus 2016: warfarin × aspirin is conditional, and NSAIDs are there', async () => {
    const a = openApp();
    await install(a, { source: 'path', path: realDir });
    const card = await call<DrugInteractions>(a, 'interactions.ofDrug', { cis: '69999038' });
    const aspirin = card.interactions.find((i) => i.with.name === 'ACIDE ACETYLSALICYLIQUE');
    expect(aspirin).toMatchObject({ severity: 'CI', levels: ['CI', 'AD', 'PC'], via: { name: 'ANTICOAGULANTS ORAUX', kind: 'class' } });
    expect(aspirin?.advice).toMatch(/^Contre-indication avec/);
    expect(aspirin?.risk).toMatch(/hemorragique/);
    expect(card.interactions.some((i) => i.with.name.startsWith('ANTI-INFLAMMATOIRES NON STEROIDIENS'))).toBe(true);
    const order = { CI: 0, AD: 1, PE: 2, PC: 3 } as const;
    const severities = card.interactions.map((i) => order[i.severity]);
    expect(severities).toEqual([...severities].sort((x, y) => x - y));
    // Ibuprofen, an NSAID, meets the oral anticoagulants from its side.
    const ibuprofen = await call<DrugInteractions>(a, 'interactions.ofDrug', { cis: '69999014' });
    expect(ibuprofen.interactions.some((i) => i.with.name === 'ANTICOAGULANTS ORAUX')).toBe(true);
  });

  it('the lookup of one drug’s rules uses both protagonist indexes', async () => {
    const a = openApp();
    await install(a, { source: 'path', path: writeThesaurus(join(tmp.dir, 'plan')) });
    const db = openSqlite(currentFile(referentialDir(a.context.dataDir), 'interactions')!, { readonly: true });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${rulesOfSql(2)}`).all('A', 'B', 'A', 'B') as { detail: string }[]).map((r) => r.detail).join('\n');
    db.close();
    expect(plan).toMatch(/rule_by_protagonist1/);
    expect(plan).toMatch(/rule_by_protagonist2/);
    expect(basename(plan)).not.toMatch(/SCAN rule\b/);
  });
});
