import { describe, expect, it } from 'vitest';
import { flagsFromConditions, prescriptionLimitDays } from '../../shared/domain/drugs';
import { daysText, durationDays, totalDays } from '../../shared/domain/durations';
import { aldAllowed, allowedNonSubstitutionReasons, durationLimitDays, legalChecks, type LegalCheckLine } from '../../shared/domain/legal-checks';
import { freeLineInputSchema, drugLineInputSchema, type CheckPatient, type FrozenDrug, type Finding, type LineInput } from '../../shared/domain/prescription';
import { prescriberProfileSchema, type PrescriberProfile } from '../../shared/domain/profile';
import { validProfile } from '../support/fixtures';

const TODAY = '2026-03-15';
const profile: PrescriberProfile = prescriberProfileSchema.parse(validProfile);

function patient(over: Partial<CheckPatient> = {}): CheckPatient {
  return {
    birthName: 'DURAND',
    usedName: '',
    firstNames: 'Claire Marie',
    sex: 'F',
    birthDate: '1980-05-12',
    weightKg: null,
    creatinineClearance: null,
    pregnant: false,
    breastfeeding: false,
    allergies: [],
    conditions: [],
    treatments: [],
    ...over,
  };
}

let cisCounter = 60000000;
/** A frozen drug whose flags and limit come from its BDPM conditions, as the referential derives them. */
function drug(dciLabel: string, substances: readonly (string | [string, 'SA' | 'FT'])[], conditions: readonly string[] = [], marketed = true): FrozenDrug {
  return {
    cis: String(++cisCounter),
    cip13: null,
    packLabel: null,
    dciLabel,
    brand: dciLabel.toUpperCase(),
    form: 'comprimé',
    routes: ['orale'],
    flags: flagsFromConditions(conditions, { marketed, enhancedMonitoring: false }),
    substances: substances.map((s, i) => {
      const [name, nature] = typeof s === 'string' ? [s, 'SA' as const] : s;
      return { code: String(1000 + i), name, dci: name.toLowerCase(), strength: '', strengthReference: 'un comprimé', nature };
    }),
    conditions: [...conditions],
    prescriptionLimitDays: prescriptionLimitDays(conditions),
    referential: { releaseDate: '2026-01-10', importedAt: '2026-01-12T09:00:00Z', demo: false },
  };
}

let keyCounter = 0;
const nextKey = () => `3f1c2b7a-5d4e-4c1b-9a2f-${String(++keyCounter).padStart(12, '0')}`;

type Over = Partial<Omit<Extract<LineInput, { kind: 'drug' }>, 'kind' | 'cis' | 'posology'>>;
function drugLine(d: FrozenDrug, over: Over = {}, current?: LegalCheckLine['current']): LegalCheckLine {
  const line = drugLineInputSchema.parse({
    kind: 'drug',
    cis: d.cis,
    key: nextKey(),
    posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 1 } },
    duration: { value: 7, unit: 'days' },
    ...over,
  });
  return current === undefined ? { line, drug: d } : { line, drug: d, current };
}
function freeLine(over: Partial<Omit<Extract<LineInput, { kind: 'free' }>, 'kind'>> = {}): LegalCheckLine {
  return { line: freeLineInputSchema.parse({ kind: 'free', key: nextKey(), text: 'Bas de contention classe 2', ...over }), drug: null };
}

const amoxicilline = drug('amoxicilline 500 mg, gélule', ['AMOXICILLINE TRIHYDRATÉE'], ['liste I']);
const paracetamol = drug('paracétamol 500 mg, comprimé', ['PARACÉTAMOL']);
const cetirizine = drug('cétirizine 10 mg, comprimé', ['CÉTIRIZINE (DICHLORHYDRATE DE)'], ['liste II']);
const morphineOral = drug('morphine 10 mg, gélule LP', ['MORPHINE (SULFATE DE)'], ['prescription limitée à 4 semaines', 'stupéfiants']);
const morphineInjectable = drug('morphine 10 mg/ml, solution injectable', ['MORPHINE (CHLORHYDRATE DE)'], ['prescription limitée à 7 jours ou 28 jours', 'stupéfiants']);
const methadone = drug('méthadone 1,33 mg/ml, sirop', ['MÉTHADONE (CHLORHYDRATE DE)'], ['prescription limitée à 2 semaines', 'délivrance fractionnée de 7 jours', 'stupéfiants']);
const narcoticNoLimit = drug('hydromorphone 4 mg, gélule LP', ['HYDROMORPHONE (CHLORHYDRATE D\')'], ['stupéfiants']);
const zolpidem = drug('zolpidem 10 mg, comprimé', ['ZOLPIDEM (TARTRATE DE)'], ['prescription limitée à 4 semaines', 'liste I et prescription sur ordonnance sécurisée']);
const zolpidemNoConditions = drug('zolpidem 10 mg, comprimé', ['ZOLPIDEM (TARTRATE DE)']);
const bromazepam = drug('bromazépam 6 mg, comprimé', ['BROMAZÉPAM'], ['prescription limitée à 12 semaines', 'liste I']);
const bromazepamNoConditions = drug('bromazépam 6 mg, comprimé', ['BROMAZÉPAM']);
const lamotrigine = drug('lamotrigine 100 mg, comprimé', ['LAMOTRIGINE'], ['liste I']);
const levothyroxine = drug('lévothyroxine 75 µg, comprimé', ['LÉVOTHYROXINE SODIQUE'], ['liste I']);
const valproate = drug('valproate de sodium 500 mg, comprimé', ['SODIUM (VALPROATE DE)'], ['liste I']);
const myfortic = drug('acide mycophénolique 360 mg, comprimé', [['MYCOPHÉNOLATE SODIQUE', 'SA'], ['ACIDE MYCOPHÉNOLIQUE', 'FT']], ['liste I']);
const hospitalOnly = drug('ertapénem 1 g, poudre', ['ERTAPÉNEM SODIQUE'], ['réservé à l\'usage HOSPITALIER', 'liste I']);
const hospitalInitial = drug('époétine alfa 10 000 UI', ['ÉPOÉTINE ALFA'], ['prescription initiale hospitalière annuelle', 'liste I']);
const specialistInitial = drug('isotrétinoïne 20 mg, capsule', ['ISOTRÉTINOÏNE'], ['prescription initiale réservée aux spécialistes et services DERMATOLOGIE', 'liste I']);

function run(lines: readonly LegalCheckLine[], over: { patient?: Partial<CheckPatient>; profile?: PrescriberProfile | null; today?: string } = {}): Finding[] {
  return legalChecks({ profile: over.profile === undefined ? profile : over.profile, patient: patient(over.patient), lines, today: over.today ?? TODAY });
}
const rule = (findings: readonly Finding[], name: string) => findings.filter((f) => f.id.startsWith(`legal:${name}:`));
const blocking = (findings: readonly Finding[]) => findings.filter((f) => f.blocking);

describe('durations', () => {
  it('counts 30 days a month and 7 a week, renewals repeating the written duration', () => {
    expect(durationDays({ value: 1, unit: 'months' })).toBe(30);
    expect(durationDays({ value: 4, unit: 'weeks' })).toBe(28);
    expect(totalDays({ duration: { value: 1, unit: 'months' }, renewals: 11 })).toBe(360);
    expect(totalDays({ duration: null, renewals: 2 })).toBeNull();
    expect(daysText(28)).toBe('4 semaines (28 jours)');
    expect(daysText(29)).toBe('29 jours');
    expect(daysText(1)).toBe('1 jour');
    expect(daysText(7)).toBe('7 jours');
  });
});

describe('legal checks: the prescription as a whole', () => {
  it('a complete prescription of ordinary drugs raises nothing that blocks', () => {
    const findings = run([drugLine(amoxicilline, { duration: { value: 6, unit: 'days' } }), drugLine(paracetamol, { duration: null, packs: 2 }), freeLine()]);
    expect(blocking(findings)).toEqual([]);
  });

  it('refuses an empty prescription', () => {
    const [empty, ...rest] = rule(run([]), 'empty');
    expect(rest).toEqual([]);
    expect(empty).toMatchObject({ id: 'legal:empty:prescription', kind: 'legal', level: 'warning', blocking: true, overridable: false, lines: [], source: 'Règles de prescription (CSP)' });
    expect(empty!.message).toContain('Ajoutez au moins une ligne.');
    expect(rule(run([freeLine()]), 'empty')).toEqual([]);
  });

  it('requires a complete prescriber profile and names what is missing', () => {
    const none = rule(run([freeLine()], { profile: null }), 'profile');
    expect(none).toHaveLength(1);
    expect(none[0]).toMatchObject({ id: 'legal:profile:prescription', blocking: true });
    expect(none[0]!.message).toContain('numéro RPPS');
    const bad = rule(run([freeLine()], { profile: { ...profile, rpps: '10003154588', phone: '12' } }), 'profile');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toContain('les champs numéro RPPS et téléphone');
    expect(bad[0]!.message).not.toContain('adresse e-mail');
    expect(rule(run([freeLine()]), 'profile')).toEqual([]);
  });

  it('requires the patient’s birth name and first names', () => {
    const f = rule(run([freeLine()], { patient: { birthName: ' ', firstNames: '' } }), 'patient-names');
    expect(f).toHaveLength(1);
    expect(f[0]!.blocking).toBe(true);
    expect(f[0]!.message).toContain('le nom de naissance et les prénoms');
    expect(rule(run([freeLine()], { patient: { usedName: '' } }), 'patient-names')).toEqual([]);
  });

  it('accepts an indeterminate sex with a note that does not block', () => {
    const f = rule(run([freeLine()], { patient: { sex: 'I' } }), 'patient-sex');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ level: 'info', blocking: false });
    expect(rule(run([freeLine()], { patient: { sex: 'M' } }), 'patient-sex')).toEqual([]);
  });

  it('requires a real date of birth, not after the prescription’s day', () => {
    for (const birthDate of ['', '2026-02-30', '15/03/1980', '2026-03-16']) {
      expect(rule(run([freeLine()], { patient: { birthDate } }), 'patient-birth-date'), birthDate).toHaveLength(1);
    }
    expect(rule(run([freeLine()], { patient: { birthDate: TODAY, weightKg: 3.4 } }), 'patient-birth-date')).toEqual([]);
  });

  it('requires the weight under 18 years, not from the 18th birthday', () => {
    const child = rule(run([freeLine()], { patient: { birthDate: '2008-03-16' } }), 'patient-weight');
    expect(child).toHaveLength(1);
    expect(child[0]!.blocking).toBe(true);
    expect(rule(run([freeLine()], { patient: { birthDate: '2008-03-15' } }), 'patient-weight')).toEqual([]);
    expect(rule(run([freeLine()], { patient: { birthDate: '2021-06-01', weightKg: 18 } }), 'patient-weight')).toEqual([]);
  });
});

describe('legal checks: quantities and durations', () => {
  it('requires a duration or a number of packs on a drug line', () => {
    const l = drugLine(paracetamol, { duration: null, packs: null });
    const f = rule(run([l]), 'quantity');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ id: `legal:quantity:${l.line.key}`, lines: [0], blocking: true });
    expect(f[0]!.message).toMatch(/^Ligne 1 \(paracétamol 500 mg, comprimé\) : /);
    expect(rule(run([drugLine(paracetamol, { duration: null, packs: 1 })]), 'quantity')).toEqual([]);
    expect(rule(run([drugLine(paracetamol)]), 'quantity')).toEqual([]);
    expect(rule(run([freeLine()]), 'quantity')).toEqual([]);
  });

  it('refuses more than 365 days of treatment, renewals included', () => {
    const total = (duration: { value: number; unit: 'days' | 'weeks' | 'months' }, renewals = 0) => rule(run([drugLine(cetirizine, { duration, renewals })]), 'total-duration');
    expect(total({ value: 365, unit: 'days' })).toEqual([]);
    expect(total({ value: 366, unit: 'days' })).toHaveLength(1);
    expect(total({ value: 73, unit: 'days' }, 4)).toEqual([]);
    expect(total({ value: 61, unit: 'days' }, 5)).toHaveLength(1);
    expect(total({ value: 1, unit: 'months' }, 11)).toEqual([]);
    expect(total({ value: 3, unit: 'months' }, 3)).toEqual([]);
    expect(total({ value: 52, unit: 'weeks' })).toEqual([]);
    expect(total({ value: 53, unit: 'weeks' })).toHaveLength(1);
    const [f] = total({ value: 2, unit: 'months' }, 6);
    expect(f!.message).toContain('420 jours, renouvellements compris (60 jours × 7)');
    expect(f!.message).toContain('R.5132-21');
    expect(rule(run([freeLine({ duration: { value: 6, unit: 'months' }, renewals: 2 })]), 'total-duration')).toHaveLength(1);
  });

  it('lets list I and list II drugs be renewed, and refuses any renewal of a narcotic (R.5132-30)', () => {
    expect(rule(run([drugLine(amoxicilline, { renewals: 2 }), drugLine(cetirizine, { renewals: 3 })]), 'narcotic-renewal')).toEqual([]);
    const f = rule(run([drugLine(morphineOral, { renewals: 1 })]), 'narcotic-renewal');
    expect(f).toHaveLength(1);
    expect(f[0]!.blocking).toBe(true);
    expect(f[0]!.message).toContain('R.5132-30');
    expect(rule(run([drugLine(morphineOral, { renewals: 0 })]), 'narcotic-renewal')).toEqual([]);
  });

  it('limits a narcotic to 28 days: 28 passes, 29 and one month do not', () => {
    const duration = (d: FrozenDrug, value: number, unit: 'days' | 'weeks' | 'months' = 'days') => blocking(rule(run([drugLine(d, { duration: { value, unit } })]), 'narcotic-duration'));
    expect(duration(narcoticNoLimit, 28)).toEqual([]);
    expect(duration(narcoticNoLimit, 29)).toHaveLength(1);
    expect(duration(narcoticNoLimit, 4, 'weeks')).toEqual([]);
    expect(duration(narcoticNoLimit, 1, 'months')).toHaveLength(1);
    expect(duration(morphineOral, 28)).toEqual([]);
    expect(duration(morphineOral, 29)[0]!.message).toContain('R.5132-30');
    expect(duration(narcoticNoLimit, 1, 'months')[0]!.message).toContain('1 mois, soit 30 jours');
  });

  it('applies a narcotic’s own shorter limit from its conditions', () => {
    expect(methadone.prescriptionLimitDays).toBe(14);
    const d = (value: number) => rule(run([drugLine(methadone, { duration: { value, unit: 'days' } })]), 'narcotic-duration');
    expect(d(14)).toEqual([]);
    expect(d(15)).toHaveLength(1);
    expect(d(15)[0]!.message).toContain('2 semaines (14 jours)');
  });

  it('warns above 7 days for injectable morphine (28 days only with an infusion pump) and refuses above 28', () => {
    const at = (value: number) => run([drugLine(morphineInjectable, { duration: { value, unit: 'days' } })]);
    expect(rule(at(7), 'narcotic-infusion')).toEqual([]);
    expect(rule(at(8), 'narcotic-infusion')).toHaveLength(1);
    expect(rule(at(8), 'narcotic-infusion')[0]).toMatchObject({ blocking: false, level: 'warning' });
    expect(rule(at(28), 'narcotic-duration')).toEqual([]);
    expect(rule(at(29), 'narcotic-duration')).toHaveLength(1);
  });

  it('requires a narcotic’s duration to be written, packs alone do not do', () => {
    const f = rule(run([drugLine(morphineOral, { duration: null, packs: 1 })]), 'narcotic-duration');
    expect(f).toHaveLength(1);
    expect(f[0]!.blocking).toBe(true);
  });

  it('notes a fractioned delivery so the fractions are written', () => {
    expect(rule(run([drugLine(methadone, { duration: { value: 14, unit: 'days' } })]), 'fractions')[0]).toMatchObject({ level: 'info', blocking: false });
    expect(rule(run([drugLine(methadone, { duration: { value: 7, unit: 'days' } })]), 'fractions')).toEqual([]);
  });

  it('limits a hypnotic to 4 weeks, renewals included, from its conditions or its class', () => {
    for (const d of [zolpidem, zolpidemNoConditions]) {
      const at = (value: number, unit: 'days' | 'weeks' | 'months', renewals = 0) => rule(run([drugLine(d, { duration: { value, unit }, renewals })]), 'limited-duration');
      expect(at(4, 'weeks')).toEqual([]);
      expect(at(28, 'days')).toEqual([]);
      expect(at(5, 'weeks')).toHaveLength(1);
      expect(at(29, 'days')).toHaveLength(1);
      expect(at(1, 'months')).toHaveLength(1);
      expect(at(14, 'days', 1)).toEqual([]);
      expect(at(14, 'days', 2)).toHaveLength(1);
      expect(at(14, 'days', 2)[0]!.message).toContain('renouvellements compris');
    }
    expect(rule(run([drugLine(zolpidemNoConditions, { duration: { value: 5, unit: 'weeks' } })]), 'limited-duration')[0]!.message).toContain('comme hypnotique');
  });

  it('limits an anxiolytic to 12 weeks: 12 pass, 13 weeks and 3 months do not', () => {
    for (const d of [bromazepam, bromazepamNoConditions]) {
      const at = (value: number, unit: 'days' | 'weeks' | 'months', renewals = 0) => rule(run([drugLine(d, { duration: { value, unit }, renewals })]), 'limited-duration');
      expect(at(12, 'weeks')).toEqual([]);
      expect(at(13, 'weeks')).toHaveLength(1);
      expect(at(3, 'months')).toHaveLength(1);
      expect(at(4, 'weeks', 2)).toEqual([]);
      expect(at(4, 'weeks', 3)).toHaveLength(1);
    }
    expect(durationLimitDays(bromazepamNoConditions)).toBe(84);
    expect(durationLimitDays(amoxicilline)).toBeNull();
    expect(rule(run([drugLine(amoxicilline, { duration: { value: 3, unit: 'months' } })]), 'limited-duration')).toEqual([]);
  });

  it('warns, without blocking, when a limited drug is given in packs only', () => {
    const f = rule(run([drugLine(bromazepam, { duration: null, packs: 2 })]), 'limited-duration-unknown');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ blocking: false, level: 'warning' });
  });
});

describe('legal checks: non-substitution', () => {
  const child = (birthDate: string) => patient({ birthDate, weightKg: 20 });

  it('offers MTE only for the substances of the closed list, salts stripped', () => {
    for (const d of [lamotrigine, levothyroxine, valproate, myfortic]) {
      expect(allowedNonSubstitutionReasons(drugLine(d), patient(), TODAY), d.dciLabel).toEqual(['MTE', 'CIF']);
      expect(rule(run([drugLine(d, { nonSubstitution: 'MTE' })]), 'non-substitution'), d.dciLabel).toEqual([]);
    }
    expect(allowedNonSubstitutionReasons(drugLine(amoxicilline), patient(), TODAY)).toEqual(['CIF']);
    const f = rule(run([drugLine(amoxicilline, { nonSubstitution: 'MTE' })]), 'non-substitution');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ blocking: true, overridable: false });
    expect(f[0]!.message).toContain('arrêté du 12 novembre 2019');
  });

  it('offers EFG for a child of 5 years and 364 days, not from the 6th birthday', () => {
    expect(allowedNonSubstitutionReasons(drugLine(amoxicilline), child('2020-03-16'), TODAY)).toEqual(['EFG', 'CIF']);
    expect(allowedNonSubstitutionReasons(drugLine(amoxicilline), child('2020-03-15'), TODAY)).toEqual(['CIF']);
    expect(rule(run([drugLine(amoxicilline, { nonSubstitution: 'EFG' })], { patient: { birthDate: '2020-03-16', weightKg: 20 } }), 'non-substitution')).toEqual([]);
    const f = rule(run([drugLine(amoxicilline, { nonSubstitution: 'EFG' })], { patient: { birthDate: '2020-03-15', weightKg: 20 } }), 'non-substitution');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('le patient a 6 ans');
  });

  it('always accepts CIF on a drug line, never any reason on a free line', () => {
    expect(rule(run([drugLine(paracetamol, { nonSubstitution: 'CIF' })]), 'non-substitution')).toEqual([]);
    const free = freeLine({ nonSubstitution: 'CIF' });
    expect(allowedNonSubstitutionReasons(free, patient(), TODAY)).toEqual([]);
    expect(rule(run([free]), 'non-substitution')).toHaveLength(1);
  });
});

describe('legal checks: restricted, withdrawn and ALD', () => {
  it('refuses a hospital-only drug and notes a hospital or specialist initial prescription', () => {
    const f = rule(run([drugLine(hospitalOnly)]), 'hospital-only');
    expect(f).toHaveLength(1);
    expect(f[0]!.blocking).toBe(true);
    for (const d of [hospitalInitial, specialistInitial]) {
      const notes = rule(run([drugLine(d)]), 'restricted');
      expect(notes, d.dciLabel).toHaveLength(1);
      expect(notes[0]).toMatchObject({ level: 'info', blocking: false });
      expect(blocking(run([drugLine(d)])), d.dciLabel).toEqual([]);
    }
    expect(rule(run([drugLine(specialistInitial)]), 'restricted')[0]!.message).toContain('« prescription initiale réservée aux spécialistes et services DERMATOLOGIE »');
    expect(rule(run([drugLine(amoxicilline)]), 'restricted')).toEqual([]);
  });

  it('warns, without blocking, of a drug not marketed or gone from today’s referential', () => {
    const withdrawn = drug('fénofibrate 200 mg, gélule', ['FÉNOFIBRATE'], ['liste II'], false);
    expect(rule(run([drugLine(withdrawn)]), 'not-marketed')[0]).toMatchObject({ level: 'warning', blocking: false });
    expect(rule(run([drugLine(withdrawn, {}, { present: true, marketed: true })]), 'not-marketed')).toEqual([]);
    expect(rule(run([drugLine(amoxicilline, {}, { present: true, marketed: false })]), 'not-marketed')).toHaveLength(1);
    const gone = run([drugLine(amoxicilline, {}, { present: false, marketed: false })]);
    expect(rule(gone, 'not-in-referential')[0]).toMatchObject({ level: 'warning', blocking: false });
    expect(rule(gone, 'not-marketed')).toEqual([]);
    expect(rule(run([drugLine(amoxicilline)]), 'not-marketed')).toEqual([]);
  });

  it('refuses the ALD flag when the patient has no long-term condition', () => {
    const ald = { label: 'Diabète de type 2', ald: true };
    expect(aldAllowed(patient({ conditions: [ald] }))).toBe(true);
    expect(aldAllowed(patient({ conditions: [{ label: 'Asthme', ald: false }] }))).toBe(false);
    const l = drugLine(paracetamol, { ald: true });
    expect(rule(run([l]), 'ald')).toMatchObject([{ id: `legal:ald:${l.line.key}`, blocking: true }]);
    expect(rule(run([l], { patient: { conditions: [ald] } }), 'ald')).toEqual([]);
  });

  it('gives every finding the legal kind, its source, a stable id and the level its blocking implies', () => {
    const lines = [
      drugLine(morphineOral, { duration: { value: 2, unit: 'months' }, renewals: 1, nonSubstitution: 'MTE', ald: true }),
      drugLine(hospitalInitial, {}, { present: true, marketed: false }),
      freeLine({ nonSubstitution: 'EFG' }),
    ];
    const findings = run(lines, { profile: null, patient: { sex: 'I', birthName: '' } });
    expect(findings.length).toBeGreaterThan(8);
    for (const f of findings) {
      expect(f.kind).toBe('legal');
      expect(f.source).toBe('Règles de prescription (CSP)');
      expect(f.overridable).toBe(false);
      expect(f.level).toBe(f.blocking ? 'warning' : f.level);
      if (f.level === 'info') expect(f.blocking).toBe(false);
      expect(f.id).toMatch(/^legal:[a-z-]+:(?:prescription|[0-9a-f-]{36})$/);
      if (f.lines.length > 0) expect(f.id.endsWith(lines[f.lines[0]!]!.line.key)).toBe(true);
    }
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
    expect(run(lines, { profile: null, patient: { sex: 'I', birthName: '' } })).toEqual(findings);
  });
});
