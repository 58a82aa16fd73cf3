/**
 * Interactions and allergies in a draft's checks. Through the app on the embedded sample with the
 * starter set (no thesaurus installed): an allergy to a class blocks until overridden with a
 * reason (audited), an intolerance warns, an unknown allergy says it is not checked, an AVK with an
 * NSAID and with a long-term treatment. Then by name over the real releases: every molecule of the
 * starter set is a substance of the 2019 BDPM, and the full 2016 thesaurus matches the 2019 names
 * across salts and inverted names (WARFARINE SODIQUE, SODIUM (FUSIDATE DE)).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { verifyAudit } from '../../electron/audit/audit';
import { fixedClock } from '../../electron/clock';
import { dispatch } from '../../electron/dispatch';
import { assetDir } from '../../electron/assets';
import { referentialDir } from '../../electron/drugs/files';
import { importInteractions } from '../../electron/drugs/interactions-import';
import { openInteractions } from '../../electron/drugs/interactions-store';
import { allergyFindings, interactionFindings, loadRuleSet, resolveAllergen, searchAllergens, type LoadedRuleSet } from '../../electron/drugs/rule-set';
import { patientCalls } from '../../shared/calls/patients';
import type { Draft } from '../../shared/calls/prescriptions';
import { keyPrefixes, substanceKey } from '../../shared/domain/dci';
import type { CheckLine, FrozenDrug, LineInput } from '../../shared/domain/prescription';
import type { Result } from '../../shared/errors';
import { validProfile } from '../support/fixtures';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-interaction-rules-');
afterAll(() => tmp.remove());
const clock = fixedClock('2026-03-01T10:00:00Z');
const key = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const line = (i: number, cis: string, unit = 'comprimé'): LineInput => ({
  kind: 'drug',
  key: key(i),
  cis,
  posology: { dose: 1, unit: unit as 'comprimé', frequency: { kind: 'perDay', times: 1 } },
  duration: { value: 7, unit: 'days' },
});

describe('interactions and allergies in a draft (sample referential, starter set)', () => {
  let app: OrdoApp;
  let n = 0;
  beforeEach(() => {
    app = createApp({ dataDir: join(tmp.dir, `app${n++}`), mode: 'host', clock, jobs: { threads: false } });
  });
  afterEach(() => app.close());
  const call = (name: string, input: unknown) => dispatch(app.services, name, input);
  async function value<T>(name: string, input: unknown): Promise<T> {
    const result = (await call(name, input)) as Result<T>;
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }

  it('blocks on an allergy to a class until overridden with a reason; warns on an intolerance, an AVK with an NSAID and a treatment', async () => {
    await value('profile.save', validProfile);
    const patient = await value<{ id: number }>('patients.create', {
      patient: {
        ...patientCalls['patients.create'].example.patient,
        allergies: [
          { kind: 'allergy', substance: 'Pénicillines', reaction: 'Urticaire' },
          { kind: 'intolerance', substance: 'codéine', reaction: 'Nausées' },
          { kind: 'allergy', substance: 'Latex', reaction: '' },
        ],
        treatments: [{ label: 'Aspirine 75 mg', substanceNames: ['ACIDE ACETYLSALICYLIQUE'] }],
      },
      confirmed: [],
    });
    let draft = await value<Draft>('prescriptions.create', { patientId: patient.id });
    const lines = [line(1, '69999002', 'gélule'), line(2, '69999038'), line(3, '69999014'), line(4, '69999013')];
    draft = await value<Draft>('prescriptions.save', { id: draft.id, version: draft.version, lines });

    const starter = draft.ruleSets.find((r) => r.partial && r.name === 'Jeu de départ Ordo');
    expect(starter, JSON.stringify(draft.ruleSets)).toBeDefined();
    const allergy = draft.checks.filter((c) => c.kind === 'allergy' && c.level === 'CI');
    expect(allergy).toHaveLength(1);
    expect(allergy[0]).toMatchObject({ lines: [0], blocking: true, overridable: true, override: null });
    expect(allergy[0]!.message).toContain('Pénicillines');
    expect(allergy[0]!.message).toContain('penicillines');
    const intolerance = draft.checks.filter((c) => c.kind === 'allergy' && c.level === 'warning');
    expect(intolerance.map((c) => c.lines)).toEqual([[3]]);
    expect(draft.checks.filter((c) => c.kind === 'allergy' && c.level === 'info').map((c) => c.message)).toEqual([expect.stringContaining('« Latex »')]);
    const avkNsaid = draft.checks.find((c) => c.kind === 'interaction' && c.lines.join() === '1,2');
    expect(avkNsaid?.level).toBe('ASDEC');
    expect(avkNsaid?.message).toMatch(/antivitamines k et anti-inflammatoires non steroidiens/);
    // The AVK against the patient's aspirin (a long-term treatment): the line alone, the treatment named.
    const withTreatment = draft.checks.find((c) => c.kind === 'interaction' && c.lines.join() === '1' && c.message.includes('Aspirine 75 mg'));
    expect(withTreatment?.level).toBe('CI');
    expect(draft.readyToSign).toBe(false);

    // Overrides: the allergy and the treatment's contre-indication, each with a written reason.
    const overrides = [
      { checkId: allergy[0]!.id, reason: 'Allergie ancienne non confirmée par l’allergologue' },
      { checkId: withTreatment!.id, reason: 'Aspirine arrêtée hier, dossier à mettre à jour' },
    ];
    draft = await value<Draft>('prescriptions.save', { id: draft.id, version: draft.version, lines, overrides });
    expect(draft.checks.find((c) => c.id === allergy[0]!.id)?.override?.reason).toBe('Allergie ancienne non confirmée par l’allergologue');
    expect(draft.readyToSign, JSON.stringify(draft.checks.filter((c) => c.blocking && c.override === null))).toBe(true);
    const audited = app.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'prescription.check.overridden'").pluck().get() as number;
    expect(audited).toBeGreaterThanOrEqual(2);
    expect(verifyAudit(app.db).ok).toBe(true);

    // An override of a check that cannot be overridden (a legal rule) is not taken.
    const noDuration = lines.map((l, i) => (i === 0 ? { ...l, duration: null } : l));
    draft = await value<Draft>('prescriptions.save', { id: draft.id, version: draft.version, lines: noDuration, overrides });
    const legal = draft.checks.find((c) => c.kind === 'legal' && c.blocking);
    expect(legal).toBeDefined();
    draft = await value<Draft>('prescriptions.save', { id: draft.id, version: draft.version, lines: noDuration, overrides: [...overrides, { checkId: legal!.id, reason: 'Je passe outre la loi' }] });
    expect(draft.checks.find((c) => c.id === legal!.id)?.override).toBeNull();
    expect(draft.readyToSign).toBe(false);

    // The patient form's suggestions come from the same rule set, classes first.
    const found = await value<{ kind: string; name: string; label: string }[]>('allergens.search', { query: 'penic' });
    expect(found[0]).toEqual({ kind: 'class', name: 'PENICILLINES', label: 'Penicillines' });
    expect(await value('allergens.search', { query: 'amox' })).toEqual([{ kind: 'substance', name: 'AMOXICILLINE', label: 'amoxicilline' }]);
  });
});

/** Lines as the checks read them, from names alone (what a frozen copy holds). */
function checkLine(i: number, label: string, names: string[]): CheckLine {
  const drug = { dciLabel: label, substances: names.map((name) => ({ code: '0', name, dci: name.toLowerCase(), strength: '', strengthReference: '', nature: 'SA' })) } as unknown as FrozenDrug;
  return { line: { kind: 'drug', key: key(i) } as CheckLine['line'], drug };
}

async function loaded(source: string, name: string): Promise<LoadedRuleSet> {
  const dataDir = join(tmp.dir, name);
  await importInteractions(source, dataDir, { sqlite: {}, now: () => clock.now(), substances: [], matchedAgainst: 'none', sourceName: name });
  const handle = openInteractions(referentialDir(dataDir), {})!;
  return loadRuleSet(handle.db, { name, version: handle.version, coverage: '', partial: false });
}

describe('the starter set', () => {
  it('holds at least 40 pairs across the four levels, each protagonist a known molecule or class', async () => {
    const set = await loaded(assetDir('interactions-starter', 'thesaurus.tsv')!, 'starter');
    const rules = new Set([...set.rulesOf.values()].flat());
    expect(rules.size).toBeGreaterThanOrEqual(40);
    expect(new Set([...rules].map((r) => r.severity))).toEqual(new Set(['CI', 'AD', 'PE', 'PC']));
    const unknown = [...rules].flatMap((r) => [r.p1, r.p2]).filter((p) => !set.molecules.has(p) && !set.classes.has(p));
    expect(unknown).toEqual([]);
    for (const c of set.classes) expect([...set.classesOf.values()].some((list) => list.includes(c)), c).toBe(true);
  });

  it.skipIf(!hasSharedData)('names no molecule the 2019 BDPM lacks (so no pair is dead for a spelling)', async () => {
    const set = await loaded(assetDir('interactions-starter', 'thesaurus.tsv')!, 'starter2019');
    const compo = iconv.decode(readFileSync(join(sharedDataDir, 'bdpm-2019', 'CIS_COMPO_bdpm.txt')), 'latin1').split(/\r?\n/);
    const keys = new Set(compo.flatMap((row) => (row.split('\t')[3] === undefined ? [] : keyPrefixes(substanceKey(row.split('\t')[3]!)))));
    const matchKey = new Map([...set.byKey].flatMap(([k, names]) => names.map((m) => [m, k] as const)));
    // A few are not medicines of the BDPM as such (iodinated contrast media are, under their own names).
    const absent = [...set.molecules].filter((m) => !keys.has(matchKey.get(m)!));
    expect(absent.length, absent.join(', ')).toBeLessThanOrEqual(Math.ceil(set.molecules.size * 0.05));
    process.stderr.write(`starter set: ${set.molecules.size - absent.length}/${set.molecules.size} molecules found in the 2019 BDPM; absent: ${absent.join(', ')}\n`);
  });
});

describe.skipIf(!hasSharedData)('the full 2016 thesaurus over 2019 BDPM names', () => {
  let set: LoadedRuleSet;
  it('matches salts, hydrates and inverted names to molecules and classes', async () => {
    set = await loaded(join(sharedDataDir, 'ansm-interactions-2016'), 'ansm-2016');
    const lines = [
      checkLine(1, 'warfarine 5 mg, comprimé', ['WARFARINE SODIQUE']),
      checkLine(2, 'ibuprofène 400 mg, comprimé', ['IBUPROFÈNE']),
      checkLine(3, 'acide fusidique 250 mg, comprimé', ['SODIUM (FUSIDATE DE)']),
      checkLine(4, 'simvastatine 20 mg, comprimé', ['SIMVASTATINE']),
      checkLine(5, 'paracétamol 1 g, comprimé', ['PARACÉTAMOL']),
    ];
    const found = interactionFindings(set, lines, []);
    const between = (a: number, b: number) => found.filter((f) => f.lines.join() === `${a},${b}`);
    expect(between(0, 1).map((f) => f.level)).toContainEqual(expect.stringMatching(/^(?:CI|ASDEC)$/));
    expect(between(0, 1)[0]!.message).toMatch(/anticoagulants oraux|antivitamines k/i);
    // Fusidic acid with a statin: a contre-indication, reached through « SODIUM (FUSIDATE DE) ».
    expect(between(2, 3).map((f) => f.level)).toContain('CI');
    expect(between(1, 4)).toEqual([]);
    // Against a long-term treatment.
    const treatment = interactionFindings(set, [lines[1]!], [{ label: 'Préviscan', substanceNames: ['FLUINDIONE'] }]);
    expect(treatment.map((f) => f.lines)).toContainEqual([0]);
    expect(treatment[0]!.message).toContain('Préviscan');
  });

  it('matches free-text allergies to classes and molecules, and stays silent otherwise', () => {
    expect(resolveAllergen(set, 'Pénicillines')).toEqual({ kind: 'class', name: 'PENICILLINES' });
    expect(resolveAllergen(set, 'pénicilline')).toEqual({ kind: 'class', name: 'PENICILLINES' });
    expect(resolveAllergen(set, 'AINS')).toEqual({ kind: 'class', name: 'ANTI-INFLAMMATOIRES NON STEROIDIENS' });
    expect(resolveAllergen(set, 'amoxicilline')).toEqual({ kind: 'substance', name: 'AMOXICILLINE' });
    expect(resolveAllergen(set, 'Latex')).toBeNull();
    const amox = checkLine(1, 'amoxicilline 500 mg, gélule', ['AMOXICILLINE TRIHYDRATÉE']);
    const para = checkLine(2, 'paracétamol 1 g, comprimé', ['PARACÉTAMOL']);
    const findings = allergyFindings(set, [amox, para], [{ kind: 'allergy', substance: 'Pénicillines', reaction: '', code: null }]);
    expect(findings.map((f) => [f.level, f.lines])).toEqual([['CI', [0]]]);
    const coded = allergyFindings(set, [amox, para], [{ kind: 'intolerance', substance: 'AINS', reaction: '', code: { kind: 'class', name: 'ANTI-INFLAMMATOIRES NON STEROIDIENS' } }]);
    expect(coded).toEqual([]);
    expect(searchAllergens(set, 'macrol', 5)[0]).toMatchObject({ kind: 'class', name: expect.stringMatching(/^MACROLIDES/) });
  });
});
