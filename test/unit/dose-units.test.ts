/**
 * The unit a dose is counted in, from the BDPM pharmaceutical form (shared/domain/dose-units.ts):
 * proved over every distinct form of the real November 2019 release (column 3 of CIS_bdpm.txt,
 * windows-1252), with pinned examples, the context that refines a form, and the default posology.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPosology, doseUnitNouns, doseUnitRule, doseUnitRules, normalizeForm, unitForForm } from '../../shared/domain/dose-units';
import { doseUnits, posologySchema, type DoseUnit } from '../../shared/domain/prescription';
import { hasSharedData, sharedDataDir } from '../support/paths';

const release = join(sharedDataDir, 'bdpm-2019');
if (!hasSharedData) process.stderr.write(`dose units over the BDPM 2019 forms skipped: ${release} absent (real data lives outside the project)\n`);

/** The rows of a BDPM file, split in columns (the files are windows-1252; latin1 reads the letters used). */
const rows = (file: string): string[][] =>
  readFileSync(join(release, file))
    .toString('latin1')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.replace(/\r$/, '').split('\t'));

// As the importer stores a form (electron/drugs/bdpm-files.ts): trimmed, spaces collapsed.
const clean = (text: string | undefined) => (text ?? '').trim().replace(/\s+/g, ' ');

/**
 * The 2019 forms that get the generic « unité », each for its reason: no unit of `doseUnits`
 * names what is taken. Homeopathic granules are most of them (a « granule » unit would empty
 * the list's largest part).
 */
const GENERIC_FORMS: Readonly<Record<string, string>> = {
  granules: 'homeopathic granules (no granule unit)',
  'granules et crème et solution en gouttes en gouttes': 'homeopathic granules (no granule unit)',
  'granules et poudre et solution en gouttes en gouttes': 'homeopathic granules (no granule unit)',
  'granules et solution en gouttes en gouttes': 'homeopathic granules (no granule unit)',
  'granules et solution en gouttes en gouttes et crème': 'homeopathic granules (no granule unit)',
  'comprimé et solution(s) et granules et poudre': 'homeopathic granules (no granule unit)',
  'comprimé et solution(s) et granules et poudre et pommade': 'homeopathic granules (no granule unit)',
  'crème et solution et granules et poudre': 'homeopathic granules (no granule unit)',
  'solution et granules et poudre et pommade': 'homeopathic granules (no granule unit)',
  'précurseur radiopharmaceutique': 'radiopharmaceutical precursor (labels another drug)',
  'précurseur radiopharmaceutique en solution': 'radiopharmaceutical precursor (labels another drug)',
  insert: 'ophthalmic insert (no insert unit)',
  implant: 'implant (no implant unit)',
  gaz: 'medical gas (a flow, not a dose)',
  'gaz pour inhalation': 'medical gas (a flow, not a dose)',
  'cartouche pour inhalation': 'nicotine inhaler cartridge (no cartridge unit)',
  'film orodispersible': 'lozenge, gum, film (no unit of their own)',
  gomme: 'lozenge, gum, film (no unit of their own)',
  'gomme à mâcher médicamenteux(se)': 'lozenge, gum, film (no unit of their own)',
  pastille: 'lozenge, gum, film (no unit of their own)',
  'pastille à sucer': 'lozenge, gum, film (no unit of their own)',
  'pâte à sucer': 'lozenge, gum, film (no unit of their own)',
  gelée: 'oral jelly in a pot (spoonfuls, no spoon unit)',
  'système de diffusion': 'vaginal ring or intra-uterine system (no unit of its own)',
};

describe.skipIf(!hasSharedData)('every pharmaceutical form of the BDPM 2019 release', () => {
  const specialties = hasSharedData ? rows('CIS_bdpm.txt') : [];
  const forms = new Map<string, number>();
  for (const r of specialties) forms.set(clean(r[2]), (forms.get(clean(r[2])) ?? 0) + 1);

  it('has the forms a release has', () => {
    expect(specialties.length).toBeGreaterThan(14_000);
    expect(forms.size).toBeGreaterThan(350);
  });

  it('maps every form by an explicit rule, none by falling through', () => {
    const unruled = [...forms.keys()].filter((f) => doseUnitRule(f) === null);
    expect(unruled).toEqual([]);
  });

  it('gives the generic « unité » only to the listed forms, each by the rule the list names', () => {
    const generic = [...forms.keys()].filter((f) => unitForForm(f) === 'unité').sort();
    const report = generic.map((f) => `  ${f} (${forms.get(f)} specialties): ${doseUnitRule(f)?.name ?? 'no rule'}`).join('\n');
    process.stdout.write(`Forms of the BDPM 2019 counted in the generic « unité » (${generic.length} of ${forms.size}):\n${report}\n`);
    expect(generic).toEqual(Object.keys(GENERIC_FORMS).sort());
    for (const f of generic) expect(doseUnitRule(f)?.name, f).toBe(GENERIC_FORMS[f]);
    // Few specialties besides the homeopathic strains.
    const nonHomeopathic = generic.filter((f) => !/granules/.test(f)).reduce((n, f) => n + (forms.get(f) ?? 0), 0);
    expect(nonHomeopathic).toBeLessThan(200);
  });

  it('uses every rule for at least one 2019 form, and each rule’s unit', () => {
    const used = new Set([...forms.keys()].map((f) => doseUnitRule(f)?.name));
    expect(doseUnitRules.map((r) => r.name).filter((n) => !used.has(n))).toEqual([]);
    for (const f of forms.keys()) expect(unitForForm(f), f).toBe(doseUnitRule(f)!.unit);
  });

  it('counts the big families in the unit their packs say', () => {
    const specialtiesIn = (unit: DoseUnit) => [...forms].filter(([f]) => unitForForm(f) === unit).reduce((n, [, c]) => n + c, 0);
    expect(specialtiesIn('comprimé')).toBeGreaterThan(6_000);
    expect(specialtiesIn('gélule')).toBeGreaterThan(1_400);
    expect(specialtiesIn('injection')).toBeGreaterThan(1_500);
    expect(specialtiesIn('application')).toBeGreaterThan(700);
    expect(specialtiesIn('goutte')).toBeGreaterThan(300);
    expect(specialtiesIn('patch')).toBeGreaterThan(150);
  });

  it('counts every insulin in UI once its substances are given, and nothing else', () => {
    const substances = new Map<string, string[]>();
    for (const r of rows('CIS_COMPO_bdpm.txt')) substances.set(r[0]!, [...(substances.get(r[0]!) ?? []), clean(r[3])]);
    let insulins = 0;
    for (const r of specialties) {
      const names = (substances.get(r[0]!) ?? []).join(' + ');
      const unit = unitForForm(clean(r[2]), { substances: names, name: r[1] ?? null, routes: clean(r[3]).split(';') });
      const insulin = /\bINSULINE\b/.test(names);
      if (insulin) insulins++;
      expect(unit === 'UI', `${r[1]!} (${names})`).toBe(insulin && unitForForm(clean(r[2])) === 'injection');
    }
    expect(insulins).toBeGreaterThan(50);
  });

  it('starts every form with a valid default posology in its own unit, or none', () => {
    let withDefault = 0;
    for (const [f, n] of forms) {
      const p = defaultPosology(f);
      if (p === null) {
        expect(['unité', 'ml', 'g', 'injection', 'patch', 'flacon', 'ampoule', 'cuillère-mesure', 'goutte'], f).toContain(unitForForm(f));
        continue;
      }
      withDefault += n;
      expect(posologySchema.parse(p), f).toEqual(p);
      expect(p.unit, f).toBe(unitForForm(f));
    }
    // Most specialties are tablets, capsules, creams, sachets: they start with a default.
    expect(withDefault / specialties.length).toBeGreaterThan(0.6);
  });
});

describe('unitForForm', () => {
  it.each([
    ['comprimé pelliculé', 'comprimé'],
    ['comprimé pelliculé sécable', 'comprimé'],
    ['comprimé effervescent(e)', 'comprimé'],
    ['comprimé pour suspension buvable', 'comprimé'],
    ['lyophilisat', 'comprimé'],
    ['gélule', 'gélule'],
    ['gélule gastro-résistant(e)', 'gélule'],
    ['microgranule à libération prolongée en gélule', 'gélule'],
    ['capsule molle', 'capsule'],
    ['poudre pour suspension buvable', 'ml'],
    ['granulés pour suspension buvable', 'ml'],
    ['sirop', 'ml'],
    ['solution buvable', 'ml'],
    ['solution buvable en gouttes', 'goutte'],
    ['solution buvable gouttes', 'goutte'],
    ['poudre pour solution buvable', 'sachet'],
    ['poudre pour solution buvable en sachet', 'sachet'],
    ['granulés pour solution buvable', 'sachet'],
    ['granulés', 'sachet'],
    ['suspension pour inhalation', 'bouffée'],
    ['solution pour inhalation', 'bouffée'],
    ['solution pour inhalation en flacon pressurisé', 'bouffée'],
    ['poudre pour inhalation', 'dose'],
    ['poudre pour inhalation en gélule', 'gélule'],
    ['suspension pour inhalation par nébuliseur', 'dose'],
    ['solution pour pulvérisation', 'pulvérisation'],
    ['collutoire', 'pulvérisation'],
    ['crème', 'application'],
    ['gel', 'application'],
    ['pommade', 'application'],
    ['solution pour application', 'application'],
    ['collyre', 'goutte'],
    ['collyre en solution', 'goutte'],
    ['poudre et solvant pour collyre en solution', 'goutte'],
    ['solution pour instillation', 'goutte'],
    ['suppositoire', 'suppositoire'],
    ['ovule', 'ovule'],
    ['dispositif', 'patch'],
    ['dispositif transdermique', 'patch'],
    ['emplâtre médicamenteux(se)', 'patch'],
    ['solution injectable', 'injection'],
    ['suspension injectable', 'injection'],
    ['poudre et solvant pour solution injectable', 'injection'],
    ['solution pour perfusion', 'injection'],
    ['solution injectable et buvable', 'ampoule'],
    ['solution pour dialyse péritonéale', 'ml'],
    ['poudre pour suspension pour administration intravésicale', 'flacon'],
    ['granulés gastro-résistant(e)', 'cuillère-mesure'],
    ['graines', 'g'],
    ['granules', 'unité'],
    ['pastille', 'unité'],
  ] as const)('« %s » → %s', (form, unit) => {
    expect(unitForForm(form)).toBe(unit);
  });

  it('reads a form whatever its case, spacing and agreement marks', () => {
    expect(normalizeForm('  Comprimé(s)   PELLICULÉ ')).toBe('comprimé pelliculé');
    expect(unitForForm('Comprimé(s) pelliculé')).toBe('comprimé');
    expect(unitForForm('Gel  pour   application')).toBe('application');
    expect(normalizeForm('gomme à mâcher médicamenteux(se)')).toBe('gomme à mâcher médicamenteux');
  });

  it('tells homeopathic « granules » from « granulés »', () => {
    expect(unitForForm('granules et solution en gouttes en gouttes')).toBe('unité');
    expect(unitForForm('granulés et granulés pour solution buvable')).toBe('sachet');
    // A BDPM slip: Isentress « granules pour suspension buvable » are granulés.
    expect(unitForForm('granules pour suspension buvable')).toBe('ml');
  });

  it('falls to « unité » with no rule for a form no rule knows', () => {
    expect(doseUnitRule('objet inconnu')).toBeNull();
    expect(unitForForm('objet inconnu')).toBe('unité');
    expect(doseUnitRule('')).toBeNull();
  });

  it('counts an insulin in UI, any other injectable in injections', () => {
    expect(unitForForm('solution injectable', { substances: 'insuline glargine' })).toBe('UI');
    expect(unitForForm('suspension injectable', { substances: 'INSULINE HUMAINE RECOMBINANTE ISOPHANE' })).toBe('UI');
    expect(unitForForm('solution injectable', { substances: 'énoxaparine sodique' })).toBe('injection');
    expect(unitForForm('solution injectable')).toBe('injection');
    // Only an injectable: the word alone changes nothing else.
    expect(unitForForm('comprimé', { substances: 'insuline' })).toBe('comprimé');
  });

  it('takes an oral liquid’s ampoule or sachet from the specialty’s name', () => {
    expect(unitForForm('solution buvable', { name: 'ACTI 5, solution buvable en ampoule' })).toBe('ampoule');
    expect(unitForForm('poudre pour suspension buvable', { name: 'SMECTA 3 g, poudre pour suspension buvable en sachet' })).toBe('sachet');
    expect(unitForForm('suspension buvable', { name: 'GAVISCON, suspension buvable en sachet-dose' })).toBe('sachet');
    expect(unitForForm('solution buvable', { name: 'DOLIPRANE 2,4 POUR CENT, solution buvable' })).toBe('ml');
    // The name's head is no form: « SACHET » there means nothing.
    expect(unitForForm('solution buvable', { name: 'SIROP EN SACHET, solution buvable' })).toBe('ml');
    // Not an oral liquid: a gel in a sachet is still applied.
    expect(unitForForm('gel', { name: 'X, gel en sachet' })).toBe('application');
  });

  it('takes a bare solution’s use from its routes, unless it is also taken by mouth', () => {
    expect(unitForForm('solution', { routes: ['nasale'] })).toBe('pulvérisation');
    expect(unitForForm('suspension', { routes: ['ophtalmique'] })).toBe('goutte');
    expect(unitForForm('solution', { routes: ['auriculaire'] })).toBe('goutte');
    expect(unitForForm('solution', { routes: ['vaginale'] })).toBe('application');
    expect(unitForForm('poudre pour suspension ou', { routes: ['orale', 'rectale'] })).toBe('ml');
    expect(unitForForm('solution', { routes: ['intraveineuse'] })).toBe('ml');
    expect(unitForForm('solution')).toBe('ml');
    // A form that says its use keeps it.
    expect(unitForForm('solution buvable', { routes: ['nasale'] })).toBe('ml');
  });
});

describe('defaultPosology', () => {
  it('starts a tablet, a capsule, a cream, an inhaler at 1 once a day, valid for the contract', () => {
    for (const [form, unit] of [
      ['comprimé pelliculé', 'comprimé'],
      ['gélule', 'gélule'],
      ['crème', 'application'],
      ['suspension pour inhalation', 'bouffée'],
      ['collyre en solution', 'goutte'],
      ['poudre pour solution buvable', 'sachet'],
      ['suppositoire', 'suppositoire'],
    ] as const) {
      const p = defaultPosology(form);
      expect(p, form).toEqual({ dose: 1, unit, frequency: { kind: 'perDay', times: 1 }, moments: [], asNeeded: false, maxPer24h: null, route: null });
      expect(posologySchema.parse(p)).toEqual(p);
    }
  });

  it('has none where 1 once a day would mean nothing or harm', () => {
    for (const form of ['solution injectable', 'poudre pour suspension buvable', 'sirop', 'dispositif', 'solution buvable en gouttes', 'solution pour instillation', 'granules', 'gaz pour inhalation', 'granulés gastro-résistant(e)'])
      expect(defaultPosology(form), form).toBeNull();
    expect(defaultPosology('solution injectable', { substances: 'insuline glargine' })).toBeNull();
  });

  it('follows the context’s unit', () => {
    expect(defaultPosology('solution buvable', { name: 'X, solution buvable en sachet' })?.unit).toBe('sachet');
    expect(defaultPosology('solution', { routes: ['nasale'] })?.unit).toBe('pulvérisation');
  });
});

describe('doseUnitNouns', () => {
  it('writes every dose unit, with no digit', () => {
    expect(Object.keys(doseUnitNouns).sort()).toEqual([...doseUnits].sort());
    for (const n of Object.values(doseUnitNouns)) expect(`${n.singular} ${n.plural} ${n.words?.singular ?? ''}`).not.toMatch(/\d/);
  });

  it('knows each noun’s gender and plural', () => {
    const feminine = (u: DoseUnit) => doseUnitNouns[u].feminine;
    for (const u of ['gélule', 'ampoule', 'goutte', 'bouffée', 'application', 'dose', 'cuillère-mesure', 'capsule', 'pulvérisation', 'injection', 'unité', 'pipette', 'UI'] as const) expect(feminine(u), u).toBe(true);
    for (const u of ['comprimé', 'sachet', 'patch', 'ml', 'mg', 'g', 'suppositoire', 'ovule', 'flacon', 'stylo'] as const) expect(feminine(u), u).toBe(false);
    expect(doseUnitNouns['cuillère-mesure'].plural).toBe('cuillères-mesure');
    expect(doseUnitNouns.patch.plural).toBe('patchs');
    expect(doseUnitNouns.ml.plural).toBe('ml');
    expect(doseUnitNouns.ml.words).toEqual({ singular: 'millilitre', plural: 'millilitres' });
    expect(doseUnitNouns.UI.words).toEqual({ singular: 'unité internationale', plural: 'unités internationales' });
    expect(doseUnits.filter((u) => doseUnitNouns[u].measured)).toEqual(['ml', 'mg', 'g', 'UI']);
  });
});
