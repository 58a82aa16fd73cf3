/**
 * The interaction thesaurus: imported as a versioned rule set, protagonists matched to BDPM
 * substances (unmatched ones reported), looked up between substance codes.
 */
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../electron/app';
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
