/**
 * The clinical checks: each kind fires and stays silent (pregnancy by term, breast-feeding, the
 * clearance thresholds, adult and paediatric maximum doses), on drugs written the way the BDPM
 * 2019 writes them; then, over the real 2019 release, that no rule is dead because of a spelling
 * and that the daily dose is computed for the oral solid forms of the substances the rules name.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLine } from '../../electron/drugs/bdpm-files';
import { openLines } from '../../electron/drugs/lines';
import { clinicalChecks, clinicalRuleSet, CLINICAL_SOURCE, matchRules } from '../../shared/domain/clinical-checks';
import { clinicalRules, clinicalRulesVersion } from '../../shared/domain/clinical-rules.data';
import { dciOfSubstance } from '../../shared/domain/dci';
import { unitForForm } from '../../shared/domain/dose-units';
import { moietyKey } from '../../shared/domain/duplicate-checks';
import { drugLineInputSchema, freeLineInputSchema, ruleSetSchema, type CheckLine, type CheckPatient, type FrozenDrug, type PosologyInput } from '../../shared/domain/prescription';
import { hasSharedData, sharedDataDir } from '../support/paths';

type Row = [name: string, strength: string, reference: string, nature?: 'SA' | 'FT'];

const flags = { narcotic: false, listI: false, listII: false, hospitalOnly: false, hospitalInitial: false, specialistOnly: false, securePrescription: false, notMarketed: false, enhancedMonitoring: false };
let cisCounter = 65000000;
function drug(brand: string, rows: readonly Row[], routes: string[] = ['orale'], form = 'comprimé'): FrozenDrug {
  return {
    cis: String(++cisCounter),
    cip13: null,
    packLabel: null,
    dciLabel: brand.toLowerCase(),
    brand,
    form,
    routes,
    flags,
    substances: rows.map(([name, strength, strengthReference, nature = 'SA'], i) => ({ code: String(4000 + i), name, dci: dciOfSubstance(name), strength, strengthReference, nature })),
    conditions: [],
    prescriptionLimitDays: null,
    referential: { releaseDate: '2019-11-01', importedAt: '2026-01-12T09:00:00Z', demo: false },
  };
}

let keyCounter = 0;
const nextKey = () => `5e2a8c1f-3d4b-4c7e-8a9f-${String(++keyCounter).padStart(12, '0')}`;
const tid = { kind: 'perDay' as const, times: 3 };
function line(d: FrozenDrug, posology: Partial<PosologyInput> = {}): CheckLine {
  return {
    line: drugLineInputSchema.parse({ kind: 'drug', cis: d.cis, key: nextKey(), posology: { dose: 1, unit: 'comprimé', frequency: tid, ...posology }, duration: { value: 5, unit: 'days' } }),
    drug: d,
  };
}

const DAY = '2026-12-01';
/** The ISO day `days` before DAY. */
const daysBefore = (days: number) => new Date(Date.parse(`${DAY}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

const adult: CheckPatient = {
  birthName: 'MARTIN',
  usedName: '',
  firstNames: 'Claire',
  sex: 'F',
  birthDate: '1988-04-12',
  weightKg: 62,
  creatinineClearance: null,
  pregnant: false,
  pregnancyStartedOn: null,
  breastfeeding: false,
  allergies: [],
  conditions: [],
  treatments: [],
};
const pregnantAt = (weeks: number, extraDays = 3): CheckPatient => ({ ...adult, pregnant: true, pregnancyStartedOn: daysBefore(weeks * 7 + extraDays) });
const child = (weightKg: number | null): CheckPatient => ({ ...adult, firstNames: 'Léo', sex: 'M', birthDate: '2020-03-01', weightKg });

const ibuprofen = drug('IBUPROFENE ARROW 400 mg, comprimé pelliculé', [['IBUPROFÈNE', '400 mg', 'un comprimé']]);
const ketoprofenGel = drug('KETOPROFENE 2,5 %, gel', [['KÉTOPROFÈNE', '2,5 g', '100 g']], ['cutanée'], 'gel');
const paracetamol1g = drug('PARACETAMOL ARROW 1 g, comprimé', [['PARACÉTAMOL', '1 g', 'un comprimé']]);
const metformin = drug('METFORMINE SANDOZ 1000 mg, comprimé pelliculé sécable', [
  ['CHLORHYDRATE DE METFORMINE', '1000 mg', 'un comprimé'],
  ['METFORMINE', '780 mg', 'un comprimé', 'FT'],
]);
const metformin500 = drug('METFORMINE ACTAVIS 500 mg, comprimé', [
  ['CHLORHYDRATE DE METFORMINE', '500 mg', 'un comprimé'],
  ['METFORMINE', '390 mg', 'un comprimé', 'FT'],
]);
const amox500 = drug('AMOXICILLINE ZENTIVA 500 mg, gélule', [
  ['AMOXICILLINE TRIHYDRATÉE', '574 mg', 'une gélule'],
  ['AMOXICILLINE ANHYDRE', '500 mg', 'une gélule', 'FT'],
]);
const amox1g = drug('AMOXICILLINE TEVA 1 g, comprimé dispersible', [
  ['AMOXICILLINE TRIHYDRATÉE', '1147,8 mg', 'un comprimé'],
  ['AMOXICILLINE', '1000 mg', 'un comprimé', 'FT'],
]);
const amoxClavSuspension = drug('AMOXICILLINE/ACIDE CLAVULANIQUE ALTER 100 mg/12,5 mg par ml NOURRISSONS, poudre pour suspension buvable en flacon', [
  ['AMOXICILLINE TRIHYDRATÉE', '', ''],
  ['AMOXICILLINE', '100,00 mg', '1 ml de suspension reconstituée', 'FT'],
  ['CLAVULANATE DE POTASSIUM', '', ''],
  ['ACIDE CLAVULANIQUE', '12,50 mg', '1 ml de suspension reconstituée', 'FT'],
]);
const amoxSuspension = drug('AMOXICILLINE SANDOZ 500 mg/5 ml, poudre pour suspension buvable', [
  ['AMOXICILLINE TRIHYDRATÉE', '0,5741 g', 'une cuillère-mesure de 5 ml de suspension reconstituée'],
  ['AMOXICILLINE ANHYDRE', '500,00 mg', 'une cuillère-mesure de 5 ml de suspension reconstituée', 'FT'],
]);
const dafalganCodeine = drug('DAFALGAN CODEINE, comprimé pelliculé', [
  ['PARACÉTAMOL', '500 mg', 'un comprimé'],
  ['PHOSPHATE DE CODÉINE HÉMIHYDRATÉ', '30 mg', 'un comprimé'],
]);
const kardegic75 = drug('KARDEGIC 75 mg, poudre pour solution buvable en sachet', [
  ['ACÉTYLSALICYLATE DE DL-LYSINE', '135 mg', 'un sachet-dose de 153,45 mg'],
  ['ACIDE ACÉTYLSALICYLIQUE', '75 mg', 'un sachet-dose de 153,45 mg', 'FT'],
]);
const aspirin500 = drug('ASPIRINE DU RHÔNE 500 mg, comprimé', [['ACIDE ACÉTYLSALICYLIQUE', '500 mg', 'un comprimé']]);
const depakine = drug('DEPAKINE CHRONO 500 mg, comprimé pelliculé sécable à libération prolongée', [
  ['VALPROATE DE SODIUM', '333 mg', 'un comprimé'],
  ['ACIDE VALPROÏQUE', '145 mg', 'un comprimé'],
]);
const rosuvastatin40 = drug('ROSUVASTATINE BIOGARAN 40 mg, comprimé pelliculé', [
  ['ROSUVASTATINE CALCIQUE', '41,6 mg', 'un comprimé'],
  ['ROSUVASTATINE', '40 mg', 'un comprimé', 'FT'],
]);
const rosuvastatin20 = drug('ROSUVASTATINE BIOGARAN 20 mg, comprimé pelliculé', [
  ['ROSUVASTATINE CALCIQUE', '20,8 mg', 'un comprimé'],
  ['ROSUVASTATINE', '20 mg', 'un comprimé', 'FT'],
]);
const methotrexate = drug('METHOTREXATE BELLON 2,5 mg, comprimé', [['MÉTHOTREXATE', '2,5 mg', 'un comprimé']]);
const ramipril = drug('RAMIPRIL ARROW 10 mg, comprimé sécable', [['RAMIPRIL', '10 mg', 'un comprimé']]);

const ids = (findings: readonly { id: string }[]) => findings.map((f) => f.id);
/** The message with frenchNumber's narrow no-break spaces as plain ones, to compare with literals. */
const msg = (f: { message: string }) => f.message.replace(/\u202f/g, ' ');

describe('the clinical rule set', () => {
  it('is named, versioned and says it is partial', () => {
    expect(ruleSetSchema.parse(clinicalRuleSet)).toEqual(clinicalRuleSet);
    expect(clinicalRuleSet).toMatchObject({ name: 'Règles cliniques Ordo', version: clinicalRulesVersion, partial: true });
    expect(clinicalRulesVersion).toBe('2026.12');
    expect(clinicalRuleSet.coverage).toMatch(/^\d+ substances et \d associations : grossesse, allaitement, rein, doses maximales$/);
  });

  it('holds at least 40 substances, each value with its source, and unique ids', () => {
    expect(clinicalRules.filter((r) => r.together === undefined).length).toBeGreaterThanOrEqual(40);
    expect(new Set(clinicalRules.map((r) => r.id)).size).toBe(clinicalRules.length);
    for (const rule of clinicalRules) {
      const values = [...(rule.pregnancy ?? []), ...(rule.breastfeeding === undefined ? [] : [rule.breastfeeding]), ...(rule.renal ?? []), ...(rule.dose ?? []), ...(rule.onceWeekly === undefined ? [] : [rule.onceWeekly])];
      expect(values.length, rule.id).toBeGreaterThan(0);
      for (const v of values) expect(v.source.source.length, rule.id).toBeGreaterThan(10);
      expect(JSON.stringify(rule)).not.toMatch(/vérifier/);
    }
  });
});

describe('pregnancy', () => {
  it('blocks an NSAID at 26 SA until overridden, naming the term, the threshold and the source', () => {
    const l = line(ibuprofen);
    const findings = clinicalChecks([l], pregnantAt(26), DAY);
    expect(findings).toEqual([
      {
        id: `pregnancy:ibuprofene.grossesse:${l.line.key}`,
        kind: 'pregnancy',
        level: 'CI',
        blocking: true,
        overridable: true,
        message: expect.stringMatching(/^Ligne 1 \(ibuprofene arrow 400 mg, comprimé pelliculé\) : ibuprofène, contre-indication à partir de 24 SA .* ; la patiente en est à 26 SA \(début de grossesse le \d\d\/\d\d\/2026\) \(source : ANSM, AINS et grossesse .*\)\.$/),
        lines: [0],
        source: CLINICAL_SOURCE,
      },
    ]);
    expect(CLINICAL_SOURCE).toBe('Règles cliniques Ordo 2026.12');
  });

  it('warns, without blocking, at 10 SA', () => {
    const findings = clinicalChecks([line(ibuprofen)], pregnantAt(10), DAY);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'pregnancy', level: 'warning', blocking: false, overridable: false });
    expect(msg(findings[0]!)).toContain('10 SA');
  });

  it('counts the term in completed weeks: 23 SA + 6 days is not yet 24', () => {
    expect(clinicalChecks([line(ibuprofen)], pregnantAt(23, 6), DAY)[0]!.level).toBe('warning');
    expect(clinicalChecks([line(ibuprofen)], pregnantAt(24, 0), DAY)[0]!.level).toBe('CI');
  });

  it('turns a contraindication from 24 SA into a warning when the term is unknown', () => {
    const findings = clinicalChecks([line(ibuprofen)], { ...adult, pregnant: true, pregnancyStartedOn: null }, DAY);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ level: 'warning', blocking: false });
    expect(msg(findings[0]!)).toMatch(/contre-indication à partir de 24 SA.*terme non renseigné/);
  });

  it('keeps a whole-pregnancy contraindication when the term is unknown', () => {
    const l = line(depakine);
    const findings = clinicalChecks([l], { ...adult, pregnant: true }, DAY);
    expect(findings).toEqual([expect.objectContaining({ id: `pregnancy:valproate.grossesse:${l.line.key}`, level: 'CI', blocking: true })]);
  });

  it('applies the NSAID contraindication to a gel, but not its renal rule', () => {
    const findings = clinicalChecks([line(ketoprofenGel, { unit: 'application' })], { ...pregnantAt(30), creatinineClearance: 20 }, DAY);
    expect(findings.map((f) => [f.kind, f.level])).toEqual([['pregnancy', 'CI']]);
  });

  it('contraindicates aspirin above 100 mg a day from 24 SA, not a low dose', () => {
    expect(clinicalChecks([line(kardegic75, { unit: 'sachet', frequency: { kind: 'perDay', times: 1 } })], pregnantAt(30), DAY)).toEqual([]);
    const high = clinicalChecks([line(aspirin500)], pregnantAt(30), DAY);
    expect(high.map((f) => f.level)).toEqual(['CI']);
    expect(msg(high[0]!)).toContain('dose prescrite : 1 500 mg par 24 h');
  });

  it('contraindicates an ACE inhibitor from the 2nd trimester, and warns before', () => {
    expect(clinicalChecks([line(ramipril, { frequency: { kind: 'perDay', times: 1 } })], pregnantAt(16), DAY)[0]!.level).toBe('CI');
    expect(clinicalChecks([line(ramipril, { frequency: { kind: 'perDay', times: 1 } })], pregnantAt(8), DAY)[0]!.level).toBe('warning');
  });

  it('says nothing when the patient is not pregnant, or for a drug without a pregnancy rule', () => {
    expect(clinicalChecks([line(ibuprofen)], adult, DAY)).toEqual([]);
    expect(clinicalChecks([line(paracetamol1g)], pregnantAt(30), DAY)).toEqual([]);
  });
});

describe('breast-feeding', () => {
  it('contraindicates codeine while breast-feeding, and only the codeine of the combination', () => {
    const l = line(dafalganCodeine);
    const findings = clinicalChecks([l], { ...adult, breastfeeding: true }, DAY);
    expect(findings).toEqual([
      expect.objectContaining({ id: `pregnancy:codeine.allaitement:${l.line.key}`, kind: 'pregnancy', level: 'CI', blocking: true, overridable: true }),
    ]);
    expect(msg(findings[0]!)).toMatch(/codéine, contre-indication pendant l’allaitement .* ; la patiente allaite \(source : ANSM, codéine/);
  });

  it('says nothing when the patient does not breast-feed', () => {
    expect(clinicalChecks([line(dafalganCodeine)], adult, DAY)).toEqual([]);
  });
});

describe('kidneys', () => {
  const metforminTid = () => line(metformin, { frequency: tid });
  it('contraindicates metformin below 30 ml/min', () => {
    const l = metforminTid();
    const findings = clinicalChecks([l], { ...adult, creatinineClearance: 25 }, DAY);
    expect(findings).toEqual([expect.objectContaining({ id: `renal:metformine:${l.line.key}`, kind: 'renal', level: 'CI', blocking: true, overridable: true })]);
    expect(msg(findings[0]!)).toMatch(/metformine, contre-indication \(clairance de la créatinine inférieure à 30 ml\/min\) ; clairance enregistrée : 25 ml\/min \(source : RCP de la metformine/);
  });

  it('warns at 50 ml/min above 2 000 mg a day, and not within it', () => {
    const findings = clinicalChecks([metforminTid()], { ...adult, creatinineClearance: 50 }, DAY);
    expect(findings).toEqual([expect.objectContaining({ kind: 'renal', level: 'warning', blocking: false, overridable: false })]);
    expect(msg(findings[0]!)).toContain('au plus 2 000 mg par 24 h en cas de clairance de la créatinine inférieure à 60 ml/min ; clairance enregistrée : 50 ml/min, dose prescrite : 3 000 mg par 24 h');
    expect(clinicalChecks([line(metformin500, { frequency: { kind: 'perDay', times: 2 } })], { ...adult, creatinineClearance: 50 }, DAY)).toEqual([]);
  });

  it('applies the stricter maximum at 40 ml/min', () => {
    const findings = clinicalChecks([line(metformin, { frequency: { kind: 'perDay', times: 2 } })], { ...adult, creatinineClearance: 40 }, DAY);
    expect(msg(findings[0]!)).toContain('au plus 1 000 mg par 24 h');
  });

  it('says nothing at 80 ml/min, or without a recorded clearance', () => {
    expect(clinicalChecks([metforminTid()], { ...adult, creatinineClearance: 80 }, DAY)).toEqual([]);
    expect(clinicalChecks([metforminTid()], adult, DAY)).toEqual([]);
  });

  it('contraindicates a dose above a threshold only (rosuvastatin 40 mg below 60 ml/min)', () => {
    const once = { frequency: { kind: 'perDay' as const, times: 1 } };
    expect(clinicalChecks([line(rosuvastatin40, once)], { ...adult, creatinineClearance: 50 }, DAY).map((f) => [f.kind, f.level])).toEqual([['renal', 'CI']]);
    expect(clinicalChecks([line(rosuvastatin20, once)], { ...adult, creatinineClearance: 50 }, DAY)).toEqual([]);
  });

  it('warns when the dose cannot be computed against a maximum', () => {
    const findings = clinicalChecks([line(metformin, { dose: 1000, unit: 'UI' })], { ...adult, creatinineClearance: 50 }, DAY);
    expect(findings[0]).toMatchObject({ level: 'warning' });
    expect(msg(findings[0]!)).toContain('non calculable');
  });
});

describe('doses', () => {
  it('accepts paracetamol 1 g four times a day and warns at six', () => {
    expect(clinicalChecks([line(paracetamol1g, { frequency: { kind: 'perDay', times: 4 } })], adult, DAY)).toEqual([]);
    const l = line(paracetamol1g, { frequency: { kind: 'perDay', times: 6 } });
    const findings = clinicalChecks([l], adult, DAY);
    expect(findings).toEqual([expect.objectContaining({ id: `dose:paracetamol:${l.line.key}`, kind: 'dose', level: 'warning', blocking: false, overridable: false })]);
    expect(msg(findings[0]!)).toMatch(/paracétamol, 6 000 mg par 24 h ; au plus 4 000 mg par 24 h chez l’adulte \(source : RCP du paracétamol/);
  });

  it('counts « si besoin » at its maximum per 24 h', () => {
    const asNeeded = { frequency: { kind: 'everyHours' as const, hours: 4 }, asNeeded: true };
    expect(clinicalChecks([line(paracetamol1g, { ...asNeeded, maxPer24h: 4 })], adult, DAY)).toEqual([]);
    expect(clinicalChecks([line(paracetamol1g, { ...asNeeded, maxPer24h: 5 })], adult, DAY).map((f) => f.kind)).toEqual(['dose']);
  });

  it('accepts amoxicillin 75 mg/kg/day for a child of 20 kg and warns at 150', () => {
    expect(clinicalChecks([line(amox500, { unit: 'gélule' })], child(20), DAY)).toEqual([]);
    const findings = clinicalChecks([line(amox1g)], child(20), DAY);
    expect(findings.map((f) => [f.kind, f.level])).toEqual([['dose', 'warning']]);
    expect(msg(findings[0]!)).toContain('amoxicilline, 3 000 mg par 24 h, soit 150 mg/kg par 24 h pour 20 kg ; au plus 100 mg/kg par 24 h chez l’enfant de moins de 40 kg');
  });

  it('reads an oral suspension per ml for a child', () => {
    expect(clinicalChecks([line(amoxSuspension, { dose: 5, unit: 'ml' })], child(20), DAY)).toEqual([]);
    expect(clinicalChecks([line(amoxSuspension, { dose: 7.5, unit: 'ml' })], child(20), DAY).map((f) => f.kind)).toEqual(['dose']);
  });

  it('applies the combination’s own maximum to amoxicillin with clavulanic acid', () => {
    const l = line(amoxClavSuspension, { dose: 6, unit: 'ml' });
    const findings = clinicalChecks([l], child(20), DAY);
    expect(ids(findings)).toEqual([`dose:amoxicilline-clavulanique:${l.line.key}`]);
    expect(msg(findings[0]!)).toContain('90 mg/kg par 24 h pour 20 kg ; au plus 80 mg/kg par 24 h');
    expect(clinicalChecks([line(amoxClavSuspension, { dose: 5, unit: 'ml' })], child(20), DAY)).toEqual([]);
  });

  it('notes, for a child without a weight, that the dose per kg was not checked', () => {
    const l = line(amox500, { unit: 'gélule' });
    const findings = clinicalChecks([l], child(null), DAY);
    expect(findings).toEqual([expect.objectContaining({ id: `dose:amoxicilline.poids:${l.line.key}`, level: 'info', blocking: false, overridable: false })]);
    expect(msg(findings[0]!)).toContain('poids non renseigné');
    expect(clinicalChecks([line(amox500, { unit: 'gélule' })], { ...adult, weightKg: null }, DAY)).toEqual([]);
  });

  it('does not check an oral maximum on a gel', () => {
    const gel = drug('VOLTARENEEMULGEL 1 %, gel', [['DICLOFÉNAC DE DIÉTHYLAMINE', '1,16 g', '100 g'], ['DICLOFÉNAC', '1 g', '100 g', 'FT']], ['cutanée'], 'gel');
    expect(clinicalChecks([line(gel, { dose: 10, unit: 'g', frequency: { kind: 'perDay', times: 4 } })], adult, DAY)).toEqual([]);
  });

  it('warns when weekly methotrexate is written daily', () => {
    const l = line(methotrexate, { frequency: { kind: 'perDay', times: 1 } });
    const findings = clinicalChecks([l], adult, DAY);
    expect(ids(findings)).toEqual([`dose:methotrexate.hebdomadaire:${l.line.key}`]);
    expect(msg(findings[0]!)).toContain('la posologie écrite est de 1 prise par jour');
    expect(clinicalChecks([line(methotrexate, { dose: 4, frequency: { kind: 'perWeek', times: 1 } })], adult, DAY)).toEqual([]);
  });
});

describe('lines and ids', () => {
  it('checks every drug line with its own index, skips free lines, and keeps ids stable', () => {
    const free: CheckLine = { line: freeLineInputSchema.parse({ kind: 'free', key: nextKey(), text: 'Ibuprofène 400 mg' }), drug: null };
    const lines = [free, line(ibuprofen), line(metformin)];
    const patient = { ...pregnantAt(26), creatinineClearance: 25 };
    const first = clinicalChecks(lines, patient, DAY);
    expect(first.map((f) => [f.kind, f.lines])).toEqual([
      ['pregnancy', [1]],
      ['renal', [1]],
      ['renal', [2]],
    ]);
    expect(msg(first[0]!)).toMatch(/^Ligne 2 /);
    // Another day, the same cause: the same ids, so an override still applies.
    expect(ids(clinicalChecks(lines, patient, '2026-12-03'))).toEqual(ids(first));
  });

  it('matches the combination rule instead of the single substance’s', () => {
    expect(matchRules(line(amoxClavSuspension, { unit: 'ml' })).map((m) => m.rule.id)).toEqual(['amoxicilline-clavulanique']);
    expect(matchRules(line(amox500)).map((m) => m.rule.id)).toEqual(['amoxicilline']);
  });
});

// ---------------------------------------------------------------------------------------------
// The real BDPM 2019 release: every rule meets marketed drugs, and their doses can be counted.

const release = join(sharedDataDir, 'bdpm-2019');
if (!hasSharedData) process.stderr.write(`Clinical rules over the BDPM 2019 release skipped: ${release} absent (real data lives outside the project)\n`);

describe.skipIf(!hasSharedData)('the clinical rules over the real BDPM 2019 release', () => {
  const marketed: FrozenDrug[] = [];

  beforeAll(async () => {
    const specialties = new Map<string, { name: string; form: string; routes: string[]; marketed: boolean }>();
    for await (const { text } of (await openLines(join(release, 'CIS_bdpm.txt'))).lines()) {
      const parsed = parseLine('CIS_bdpm.txt', text);
      if (parsed.ok) specialties.set(parsed.row.cis, parsed.row);
    }
    const compositions = new Map<string, FrozenDrug['substances']>();
    for await (const { text } of (await openLines(join(release, 'CIS_COMPO_bdpm.txt'))).lines()) {
      const parsed = parseLine('CIS_COMPO_bdpm.txt', text);
      if (!parsed.ok) continue;
      const c = parsed.row;
      // What freeze.ts copies from the referential's composition.
      const list = compositions.get(c.cis) ?? [];
      list.push({ code: c.substanceCode, name: c.substanceName, dci: dciOfSubstance(c.substanceName), strength: c.strength, strengthReference: c.strengthReference, nature: c.nature });
      compositions.set(c.cis, list);
    }
    for (const [cis, s] of specialties) {
      const substances = compositions.get(cis);
      if (!s.marketed || substances === undefined) continue;
      marketed.push({ ...drug(s.name, [], s.routes, s.form), cis, substances, dciLabel: s.name.toLowerCase() });
    }
  }, 120_000);

  const defaultLine = (d: FrozenDrug): CheckLine => line(d, { unit: unitForForm(d.form, { name: d.brand, routes: d.routes }), frequency: { kind: 'perDay', times: 1 } });

  it('matches every substance name of every rule in at least one marketed specialty', () => {
    expect(marketed.length).toBeGreaterThan(10_000);
    const keysOf = (d: FrozenDrug) => new Set(d.substances.map((s) => moietyKey(s.name)));
    const allKeys = new Set(marketed.flatMap((d) => [...keysOf(d)]));
    const missing = clinicalRules.flatMap((r) => [...r.names, ...(r.together ?? [])].filter((n) => !allKeys.has(moietyKey(n))).map((n) => `${r.id}: ${n}`));
    expect(missing).toEqual([]);
    const matched = new Set(marketed.flatMap((d) => matchRules(defaultLine(d)).map((m) => m.rule.id)));
    expect(clinicalRules.map((r) => r.id).filter((id) => !matched.has(id))).toEqual([]);
  });

  it('computes the daily dose of most oral solid forms of the substances with a dose rule', () => {
    const SOLID = /^(?:comprimé|gélule|capsule|lyophilisat|granulés|poudre (?:effervescente? )?pour solution buvable|pastille)/;
    let total = 0;
    const failed: string[] = [];
    for (const d of marketed) {
      if (!d.routes.includes('orale') || !SOLID.test(d.form.replace(/\(e\)|\(s\)/g, ''))) continue;
      for (const m of matchRules(defaultLine(d))) {
        if (m.rule.dose === undefined) continue;
        total += 1;
        if (m.substance.peakMgPer24h === null) failed.push(`${d.cis} ${d.brand} [${m.substance.dci}] ${m.substance.reason ?? ''}`);
      }
    }
    const share = (total - failed.length) / total;
    process.stdout.write(`daily dose computed for ${total - failed.length} of ${total} oral solid lines (${(share * 100).toFixed(1)} %)\n${failed.slice(0, 15).join('\n')}\n`);
    expect(total).toBeGreaterThan(1000);
    expect(share).toBeGreaterThan(0.97);
  });
});
