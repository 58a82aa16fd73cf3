/**
 * mg per intake and per 24 h from what the GP wrote and the BDPM strengths, in the shapes the
 * 2019 release writes them (« 500 mg » per « une gélule », « 250 mg » per « une cuillère-mesure de
 * 5 ml », « 2,40 g » per « 100 ml », a salt and its moiety, a powder given per 30 g).
 */
import { describe, expect, it } from 'vitest';
import {
  intakesPer24h,
  lineSubstanceDoses,
  mgPerDoseUnit,
  parseStrengthReference,
  peakIntakesPer24h,
  strengthMg,
} from '../../shared/domain/daily-dose';
import { drugLineInputSchema, freeLineInputSchema, type CheckLine, type FrozenDrug, type PosologyInput } from '../../shared/domain/prescription';

type Row = [name: string, strength: string, reference: string, nature?: 'SA' | 'FT'];

let cisCounter = 64000000;
function drug(brand: string, rows: readonly Row[], routes: string[] = ['orale']): FrozenDrug {
  return {
    cis: String(++cisCounter),
    cip13: null,
    packLabel: null,
    dciLabel: brand.toLowerCase(),
    brand,
    form: 'comprimé',
    routes,
    flags: { narcotic: false, listI: false, listII: false, hospitalOnly: false, hospitalInitial: false, specialistOnly: false, securePrescription: false, notMarketed: false, enhancedMonitoring: false },
    substances: rows.map(([name, strength, strengthReference, nature = 'SA'], i) => ({ code: String(3000 + i), name, dci: name.toLowerCase(), strength, strengthReference, nature })),
    conditions: [],
    prescriptionLimitDays: null,
    referential: { releaseDate: '2019-11-01', importedAt: '2026-01-12T09:00:00Z', demo: false },
  };
}

let keyCounter = 0;
const nextKey = () => `3c1d9e7a-2b4f-4a6c-9d8e-${String(++keyCounter).padStart(12, '0')}`;
const line = (d: FrozenDrug, posology: PosologyInput): CheckLine => ({
  line: drugLineInputSchema.parse({ kind: 'drug', cis: d.cis, key: nextKey(), posology, duration: { value: 5, unit: 'days' } }),
  drug: d,
});
const perDay = (times: number) => ({ kind: 'perDay' as const, times });

const paracetamol1g = drug('PARACETAMOL ARROW 1 g, comprimé', [['PARACÉTAMOL', '1 g', 'un comprimé']]);
const amoxGelule = drug('AMOXICILLINE ZENTIVA 500 mg, gélule', [
  ['AMOXICILLINE TRIHYDRATÉE', '574 mg', 'une gélule'],
  ['AMOXICILLINE ANHYDRE', '500 mg', 'une gélule', 'FT'],
]);
const amoxSuspension = drug('AMOXICILLINE SANDOZ 250 mg/5 ml, poudre pour suspension buvable', [
  ['AMOXICILLINE TRIHYDRATÉE', '0,2870 g', 'une cuillère-mesure de 5 ml de suspension reconstituée'],
  ['AMOXICILLINE ANHYDRE', '250,00 mg', 'une cuillère-mesure de 5 ml de suspension reconstituée', 'FT'],
]);
const doliprane24 = drug('DOLIPRANE 2,4 POUR CENT, suspension buvable', [['PARACÉTAMOL', '2,40 g', '100 ml']]);
const glucophage = drug('METFORMINE SANDOZ 1000 mg, comprimé pelliculé sécable', [
  ['CHLORHYDRATE DE METFORMINE', '1000 mg', 'un comprimé'],
  ['METFORMINE', '780 mg', 'un comprimé', 'FT'],
]);

function only(l: CheckLine) {
  const doses = lineSubstanceDoses(l);
  expect(doses).toHaveLength(1);
  return doses[0]!;
}

describe('strengths and their references', () => {
  it('reads a strength as mg, whatever its unit and decimals', () => {
    expect(strengthMg('500 mg')).toBe(500);
    expect(strengthMg('500,00 mg')).toBe(500);
    expect(strengthMg('1 g')).toBe(1000);
    expect(strengthMg('0,500 g')).toBe(500);
    expect(strengthMg('1 000 mg')).toBe(1000);
    expect(strengthMg('75 microgrammes')).toBeCloseTo(0.075);
    expect(strengthMg('100 000 UI')).toBeNull();
    expect(strengthMg('entre 562,2 mg et 615,6 mg')).toBeNull();
    expect(strengthMg('')).toBeNull();
  });

  it('reads what a strength is per: one unit, a volume, a mass of preparation', () => {
    expect(parseStrengthReference('un comprimé')).toEqual({ unit: 'comprime', ml: null, g: null });
    expect(parseStrengthReference('une cuillère-mesure de 5 ml de suspension reconstituée')).toEqual({ unit: 'cuillere', ml: 5, g: null });
    expect(parseStrengthReference('1 ml de solution buvable')).toEqual({ unit: null, ml: 1, g: null });
    expect(parseStrengthReference('100 g de gel')).toEqual({ unit: null, ml: null, g: 100 });
    expect(parseStrengthReference('un sachet de 13,1 g')).toEqual({ unit: 'sachet', ml: null, g: 13.1 });
    expect(parseStrengthReference('1 litre')).toEqual({ unit: null, ml: 1000, g: null });
  });

  it('gives the mg per unit of the dose only when the reference is in that unit', () => {
    expect(mgPerDoseUnit({ strength: '500 mg', strengthReference: 'un comprimé' }, 'comprimé')).toBe(500);
    expect(mgPerDoseUnit({ strength: '250 mg', strengthReference: '5 ml' }, 'ml')).toBe(50);
    expect(mgPerDoseUnit({ strength: '250 mg', strengthReference: 'une cuillère-mesure de 5 ml' }, 'cuillère-mesure')).toBe(250);
    expect(mgPerDoseUnit({ strength: '5 g', strengthReference: '100 g' }, 'g')).toBe(50);
    expect(mgPerDoseUnit({ strength: '1000 mg', strengthReference: 'un sachet-dose' }, 'sachet')).toBe(1000);
    expect(mgPerDoseUnit({ strength: '250 mg', strengthReference: 'un lyophilisat' }, 'comprimé')).toBe(250);
    expect(mgPerDoseUnit({ strength: '500 mg', strengthReference: 'un comprimé' }, 'ml')).toBeNull();
    expect(mgPerDoseUnit({ strength: '20 mg', strengthReference: '1 ml' }, 'goutte')).toBeNull();
    expect(mgPerDoseUnit({ strength: '3 g', strengthReference: 'un flacon' }, 'ml')).toBeNull();
  });
});

describe('intakes per 24 hours', () => {
  it('counts N a day, every h hours and N a week', () => {
    expect(intakesPer24h(perDay(3))).toBe(3);
    expect(intakesPer24h({ kind: 'everyHours', hours: 6 })).toBe(4);
    expect(intakesPer24h({ kind: 'everyHours', hours: 48 })).toBe(0.5);
    expect(intakesPer24h({ kind: 'perWeek', times: 2 })).toBeCloseTo(2 / 7);
  });

  it('counts the most one 24-hour window can hold', () => {
    expect(peakIntakesPer24h(perDay(3))).toBe(3);
    expect(peakIntakesPer24h({ kind: 'everyHours', hours: 6 })).toBe(4);
    expect(peakIntakesPer24h({ kind: 'everyHours', hours: 5 })).toBe(5);
    expect(peakIntakesPer24h({ kind: 'everyHours', hours: 48 })).toBe(1);
    expect(peakIntakesPer24h({ kind: 'perWeek', times: 3 })).toBe(1);
  });
});

describe('a line’s mg per intake and per 24 h', () => {
  it('multiplies the tablets by their strength and the intakes', () => {
    const d = only(line(paracetamol1g, { dose: 1, unit: 'comprimé', frequency: perDay(4) }));
    expect(d).toMatchObject({ key: 'paracetamol', dci: 'paracétamol', mgPerIntake: 1000, mgPer24h: 4000, peakMgPer24h: 4000, reason: null });
  });

  it('counts half a tablet', () => {
    const d = only(line(paracetamol1g, { dose: 0.5, unit: 'comprimé', frequency: perDay(3) }));
    expect(d.mgPerIntake).toBe(500);
    expect(d.mgPer24h).toBe(1500);
  });

  it('counts the base the name states, not the salt, when the BDPM gives both', () => {
    expect(only(line(amoxGelule, { dose: 2, unit: 'gélule', frequency: perDay(3) })).mgPer24h).toBe(3000);
  });

  it('counts the salt when the name states the salt, as the RCP doses do', () => {
    expect(only(line(glucophage, { dose: 1, unit: 'comprimé', frequency: perDay(2) })).mgPer24h).toBe(2000);
  });

  it('reads an oral suspension per ml and per measuring spoon', () => {
    expect(only(line(amoxSuspension, { dose: 7.5, unit: 'ml', frequency: perDay(3) })).mgPer24h).toBe(1125);
    expect(only(line(amoxSuspension, { dose: 1, unit: 'cuillère-mesure', frequency: perDay(2) })).mgPer24h).toBe(500);
    expect(only(line(doliprane24, { dose: 5, unit: 'ml', frequency: { kind: 'everyHours', hours: 6 } })).mgPer24h).toBe(480);
  });

  it('reads the concentration the name states when the BDPM gives the powder’s whole content', () => {
    const amodex = drug('AMODEX 250 mg/5 ml, poudre pour suspension buvable', [['AMOXICILLINE', '3 g', '30 g', 'FT']]);
    expect(only(line(amodex, { dose: 10, unit: 'ml', frequency: perDay(2) })).mgPer24h).toBe(1000);
  });

  it('takes a dose written in mg or g as the substance itself', () => {
    expect(only(line(amoxGelule, { dose: 1, unit: 'g', frequency: perDay(3) })).mgPer24h).toBe(3000);
    expect(only(line(paracetamol1g, { dose: 500, unit: 'mg', frequency: perDay(2) })).mgPerIntake).toBe(500);
  });

  it('counts « si besoin » at the maximum per 24 h the GP wrote, else at the frequency', () => {
    const withMax = only(line(paracetamol1g, { dose: 1, unit: 'comprimé', frequency: { kind: 'everyHours', hours: 4 }, asNeeded: true, maxPer24h: 3 }));
    expect(withMax.mgPerIntake).toBe(1000);
    expect(withMax.mgPer24h).toBe(3000);
    expect(withMax.peakMgPer24h).toBe(3000);
    expect(only(line(paracetamol1g, { dose: 1, unit: 'comprimé', frequency: { kind: 'everyHours', hours: 6 }, asNeeded: true })).mgPer24h).toBe(4000);
  });

  it('averages a weekly drug over the week, and keeps its intake day as the peak', () => {
    const mtx = drug('METHOTREXATE 2,5 mg, comprimé', [['MÉTHOTREXATE', '2,5 mg', 'un comprimé']]);
    const d = only(line(mtx, { dose: 4, unit: 'comprimé', frequency: { kind: 'perWeek', times: 1 } }));
    expect(d.mgPer24h).toBeCloseTo(10 / 7);
    expect(d.peakMgPer24h).toBe(10);
  });

  it('gathers a salt the BDPM names apart with its moiety', () => {
    const monuril = drug('MONURIL 3 g, granulés pour solution buvable en sachet', [
      ['FOSFOMYCINE TROMÉTAMOL', '5,631 g', 'un sachet de 8,000 g'],
      ['FOSFOMYCINE', '3,000 g', 'un sachet de 8,000 g', 'FT'],
    ]);
    const d = only(line(monuril, { dose: 1, unit: 'sachet', frequency: perDay(1) }));
    expect(d.key).toBe('fosfomycine');
    expect(d.keys).toContain('fosfomycine trometamol');
    expect(d.mgPer24h).toBe(3000);
  });

  it('gives each substance of a combination its own dose', () => {
    const augmentin = drug('AUGMENTIN 500 mg/62,5 mg ADULTES, comprimé pelliculé', [
      ['AMOXICILLINE TRIHYDRATÉE', '', ''],
      ['AMOXICILLINE', '500 mg', 'un comprimé', 'FT'],
      ['CLAVULANATE DE POTASSIUM', '', ''],
      ['ACIDE CLAVULANIQUE', '62,5 mg', 'un comprimé', 'FT'],
    ]);
    const doses = lineSubstanceDoses(line(augmentin, { dose: 2, unit: 'comprimé', frequency: perDay(3) }));
    expect(doses.map((d) => [d.key, d.mgPer24h])).toEqual([
      ['amoxicilline', 3000],
      ['acide clavulanique', 375],
    ]);
  });

  it('says null, and why, when nothing can be computed honestly', () => {
    const augmentin = drug('AUGMENTIN 1 g/125 mg, sachet', [
      ['AMOXICILLINE', '1000 mg', 'un sachet-dose', 'FT'],
      ['ACIDE CLAVULANIQUE', '125 mg', 'un sachet-dose', 'FT'],
    ]);
    const inMg = lineSubstanceDoses(line(augmentin, { dose: 1000, unit: 'mg', frequency: perDay(3) }));
    expect(inMg.every((d) => d.mgPer24h === null && d.reason !== null && /names none/.test(d.reason))).toBe(true);
    const drops = drug('TRAMADOL 100 mg/ml, solution buvable en gouttes', [['CHLORHYDRATE DE TRAMADOL', '100 mg', '1 ml']]);
    expect(only(line(drops, { dose: 20, unit: 'goutte', frequency: perDay(3) }))).toMatchObject({ mgPerIntake: null, mgPer24h: null, peakMgPer24h: null });
    const kit = drug('KIT, comprimé', [
      ['PARACÉTAMOL', '500 mg', 'un comprimé'],
      ['PARACÉTAMOL', '250 mg', 'un comprimé'],
    ]);
    expect(only(line(kit, { dose: 1, unit: 'comprimé', frequency: perDay(1) })).reason).toMatch(/different strengths/);
    expect(lineSubstanceDoses({ line: freeLineInputSchema.parse({ kind: 'free', key: nextKey(), text: 'Bas de contention' }), drug: null })).toEqual([]);
  });
});
