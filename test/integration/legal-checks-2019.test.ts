/**
 * The legal checks over every specialty of the real November 2019 BDPM release (../shared/data,
 * never copied into the project): frozen drugs built from CIS_bdpm, CIS_COMPO and CIS_CPD as the
 * referential derives them (flags and limit from the conditions, DCI from the substance name).
 * The duplicate-substance check runs over the same frozen drugs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { dciOfSubstance } from '../../shared/domain/dci';
import { duplicateChecks } from '../../shared/domain/duplicate-checks';
import { flagsFromConditions, isMarketed, prescriptionLimitDays } from '../../shared/domain/drugs';
import { ANXIOLYTICS, ANXIOLYTIC_MAX_DAYS, HYPNOTICS, HYPNOTIC_MAX_DAYS, allowedNonSubstitutionReasons, legalChecks, type LegalCheckLine } from '../../shared/domain/legal-checks';
import { drugLineInputSchema, type CheckPatient, type Finding, type FrozenDrug, type LineInput } from '../../shared/domain/prescription';
import { prescriberProfileSchema } from '../../shared/domain/profile';
import { normalizeText } from '../../shared/domain/text';
import { validProfile } from '../support/fixtures';
import { sharedDataDir } from '../support/paths';

const release = join(sharedDataDir, 'bdpm-2019');
const files = ['CIS_bdpm.txt', 'CIS_COMPO_bdpm.txt', 'CIS_CPD_bdpm.txt'];
const present = files.every((f) => existsSync(join(release, f)));
if (!present) process.stderr.write(`Legal checks over the BDPM 2019 release skipped: ${files.join(', ')} absent from ${release} (real data lives outside the project)\n`);

const TODAY = '2026-03-15';
const profile = prescriberProfileSchema.parse(validProfile);
const adult: CheckPatient = {
  birthName: 'MARTIN',
  usedName: '',
  firstNames: 'Paul',
  sex: 'M',
  birthDate: '1961-09-02',
  weightKg: 78,
  creatinineClearance: null,
  pregnant: false,
  breastfeeding: false,
  allergies: [],
  conditions: [],
  treatments: [],
};

/** Rows of a BDPM file: Windows-1252, tab-separated, CRLF. */
function rows(file: string): string[][] {
  return iconv
    .decode(readFileSync(join(release, file)), 'win1252')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t').map((c) => c.trim()));
}

interface Specialty {
  name: string;
  /** BDPM link groups (an SA with its FT), the substances a GP would count. */
  groups: number;
  marketed: boolean;
  drug: FrozenDrug;
  /** Normalised DCIs of its substances, independent of the module's own moiety keys. */
  dcis: Set<string>;
}

const MTE_PRINCIPLES: Record<string, readonly string[]> = {
  lamotrigine: ['lamotrigine'],
  prégabaline: ['pregabaline'],
  zonisamide: ['zonisamide'],
  lévétiracétam: ['levetiracetam'],
  topiramate: ['topiramate'],
  'valproate de sodium': ['valproate de sodium', 'acide valproique'],
  lévothyroxine: ['levothyroxine'],
  'mycophénolate mofétil': ['mycophenolate mofetil'],
  'mycophénolate sodique': ['mycophenolate', 'acide mycophenolique'],
  buprénorphine: ['buprenorphine'],
  azathioprine: ['azathioprine'],
  ciclosporine: ['ciclosporine'],
  évérolimus: ['everolimus'],
  // Arrêté du 20 juillet 2022.
  lacosamide: ['lacosamide'],
  oxcarbazépine: ['oxcarbazepine'],
};
const mteDcis = new Set(Object.values(MTE_PRINCIPLES).flat());

let keyCounter = 0;
function line(drug: FrozenDrug, over: Partial<Extract<LineInput, { kind: 'drug' }>> = {}): LegalCheckLine {
  const parsed = drugLineInputSchema.parse({
    kind: 'drug',
    cis: drug.cis,
    key: `5b0d6e1a-8c2f-4a3b-9d4e-${String(++keyCounter).padStart(12, '0')}`,
    posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 1 } },
    ...over,
  });
  return { line: parsed, drug };
}
const check = (l: LegalCheckLine, patient: CheckPatient = adult): Finding[] => legalChecks({ profile, patient, lines: [l], today: TODAY });
const durationRefusal = (findings: readonly Finding[]) => findings.filter((f) => f.blocking && /^legal:(?:narcotic-duration|limited-duration):/.test(f.id));
const days = (value: number) => ({ duration: { value, unit: 'days' as const } });

describe.skipIf(!present)('legal checks over the BDPM 2019 release', () => {
  const specialties: Specialty[] = [];

  beforeAll(() => {
    const compositions = new Map<string, FrozenDrug['substances']>();
    const links = new Map<string, Set<string>>();
    rows('CIS_COMPO_bdpm.txt').forEach(([cis = '', element = '', code = '', name = '', strength = '', reference = '', nature = '', link = ''], index) => {
      const list = compositions.get(cis) ?? [];
      list.push({ code, name, dci: dciOfSubstance(name), strength, strengthReference: reference, nature: nature === 'FT' ? 'FT' : 'SA' });
      compositions.set(cis, list);
      links.set(cis, (links.get(cis) ?? new Set()).add(link === '' ? `row${index}` : `${element}|${link}`));
    });
    const conditions = new Map<string, string[]>();
    for (const [cis = '', condition = ''] of rows('CIS_CPD_bdpm.txt')) conditions.set(cis, [...(conditions.get(cis) ?? []), condition]);
    for (const r of rows('CIS_bdpm.txt')) {
      const [cis = '', name = '', form = '', routes = ''] = r;
      const marketed = isMarketed(r[6] ?? '');
      const own = conditions.get(cis) ?? [];
      const substances = compositions.get(cis) ?? [];
      specialties.push({
        name,
        groups: links.get(cis)?.size ?? 0,
        marketed,
        dcis: new Set(substances.map((s) => normalizeText(s.dci))),
        drug: {
          cis,
          cip13: null,
          packLabel: null,
          dciLabel: name,
          brand: name,
          form,
          routes: routes.split(';'),
          flags: flagsFromConditions(own, { marketed, enhancedMonitoring: r[11] === 'Oui' }),
          substances,
          conditions: own,
          prescriptionLimitDays: prescriptionLimitDays(own),
          referential: { releaseDate: '2019-11-28', importedAt: '2026-01-12T09:00:00Z', demo: false },
        },
      });
    }
  }, 60_000);

  it('reads the whole release', () => {
    expect(specialties).toHaveLength(14_442);
  });

  it('limits every narcotic to 28 days or its own shorter limit, and refuses a day more', () => {
    const narcotics = specialties.filter((s) => s.drug.flags.narcotic);
    const byLimit = new Map<string, number>();
    const wrong: string[] = [];
    for (const { drug, name } of narcotics) {
      const infusion = drug.conditions.some((c) => /limitée à 7 jours ou 28 jours/.test(c));
      const limit = Math.min(28, drug.prescriptionLimitDays ?? 28);
      byLimit.set(infusion ? '7 (28 avec pompe)' : String(limit), (byLimit.get(infusion ? '7 (28 avec pompe)' : String(limit)) ?? 0) + 1);
      if (durationRefusal(check(line(drug, days(limit)))).length > 0) wrong.push(`${name}: ${limit} days refused`);
      if (durationRefusal(check(line(drug, days(29)))).length !== 1) wrong.push(`${name}: 29 days not refused`);
      if (infusion) {
        // Injectable morphine and oxycodone: 7 days, or 28 with an active infusion system.
        const eight = check(line(drug, days(8)));
        if (durationRefusal(eight).length > 0 || !eight.some((f) => f.id.startsWith('legal:narcotic-infusion:') && !f.blocking)) wrong.push(`${name}: 8 days not a warning`);
        if (durationRefusal(check(line(drug, days(28)))).length > 0) wrong.push(`${name}: 28 days refused`);
      } else if (durationRefusal(check(line(drug, days(limit + 1)))).length !== 1) wrong.push(`${name}: ${limit + 1} days not refused`);
      if (!check(line(drug, { duration: null, packs: 1 })).some((f) => f.blocking && f.id.startsWith('legal:narcotic-duration:'))) wrong.push(`${name}: packs alone accepted`);
      if (!check(line(drug, { ...days(7), renewals: 1 })).some((f) => f.blocking && f.id.startsWith('legal:narcotic-renewal:'))) wrong.push(`${name}: renewal accepted`);
    }
    process.stdout.write(`BDPM 2019: ${narcotics.length} narcotic specialties; limits in days: ${JSON.stringify(Object.fromEntries(byLimit))}\n`);
    expect(narcotics.length).toBeGreaterThan(200);
    expect(wrong).toEqual([]);
  });

  it('allows MTE for the marketed specialties of each substance of the closed list, and for no other', () => {
    const found: Record<string, number> = {};
    const wrong: string[] = [];
    for (const s of specialties) {
      const principles = Object.entries(MTE_PRINCIPLES).filter(([, dcis]) => dcis.some((d) => s.dcis.has(d)));
      const allowed = allowedNonSubstitutionReasons(line(s.drug), adult, TODAY).includes('MTE');
      if (allowed !== principles.length > 0) wrong.push(`${s.name}: MTE ${allowed ? 'allowed' : 'refused'} (${[...s.dcis].join(' + ')})`);
      if (!s.marketed || principles.length === 0) continue;
      for (const [principle] of principles) found[principle] = (found[principle] ?? 0) + 1;
      if (check(line(s.drug, { ...days(28), nonSubstitution: 'MTE' })).some((f) => f.id.startsWith('legal:non-substitution:'))) wrong.push(`${s.name}: MTE refused`);
    }
    process.stdout.write(`BDPM 2019: marketed specialties allowing MTE, by substance: ${JSON.stringify(found)}\n`);
    expect(wrong).toEqual([]);
    expect(Object.keys(MTE_PRINCIPLES).filter((p) => (found[p] ?? 0) === 0)).toEqual([]);
    expect(mteDcis.size).toBeGreaterThan(13);
  });

  it('refuses MTE for every amoxicilline specialty', () => {
    const amoxicilline = specialties.filter((s) => s.dcis.has('amoxicilline'));
    expect(amoxicilline.length).toBeGreaterThan(50);
    const accepted = amoxicilline.filter((s) => !check(line(s.drug, { ...days(7), nonSubstitution: 'MTE' })).some((f) => f.blocking && f.id.startsWith('legal:non-substitution:')));
    expect(accepted.map((s) => s.name)).toEqual([]);
  });

  it('refuses 5 weeks for every specialty limited to 4 weeks, and accepts 4', () => {
    const limited = specialties.filter((s) => s.drug.conditions.includes('prescription limitée à 4 semaines'));
    expect(limited.length).toBeGreaterThan(200);
    const weeks = (value: number) => ({ duration: { value, unit: 'weeks' as const } });
    expect(limited.filter((s) => durationRefusal(check(line(s.drug, weeks(5)))).length !== 1).map((s) => s.name)).toEqual([]);
    expect(limited.filter((s) => durationRefusal(check(line(s.drug, weeks(4)))).length !== 0).map((s) => s.name)).toEqual([]);
    // Non-narcotics count the renewals: two weeks renewed twice is six.
    const renewable = limited.filter((s) => !s.drug.flags.narcotic);
    expect(renewable.filter((s) => durationRefusal(check(line(s.drug, { ...weeks(2), renewals: 2 }))).length !== 1).map((s) => s.name)).toEqual([]);
  });

  it('refuses 13 weeks for every specialty limited to 12 weeks, and accepts 12', () => {
    const limited = specialties.filter((s) => s.drug.conditions.includes('prescription limitée à 12 semaines'));
    expect(limited.length).toBeGreaterThan(80);
    const weeks = (value: number) => ({ duration: { value, unit: 'weeks' as const } });
    expect(limited.filter((s) => durationRefusal(check(line(s.drug, weeks(13)))).length !== 1).map((s) => s.name)).toEqual([]);
    expect(limited.filter((s) => durationRefusal(check(line(s.drug, weeks(12)))).length !== 0).map((s) => s.name)).toEqual([]);
  });

  it('keeps the class limits used without conditions no stricter than the BDPM', () => {
    const classes: [readonly string[], number][] = [
      [HYPNOTICS, HYPNOTIC_MAX_DAYS],
      [ANXIOLYTICS, ANXIOLYTIC_MAX_DAYS],
    ];
    const looser: string[] = [];
    const stricter: string[] = [];
    for (const [names, limit] of classes) {
      const keys = names.map((n) => normalizeText(dciOfSubstance(n)));
      for (const s of specialties) {
        if (!keys.some((k) => s.dcis.has(k))) continue;
        const bdpm = s.drug.prescriptionLimitDays;
        if (bdpm === null || bdpm > limit) stricter.push(`${s.name}: BDPM ${bdpm ?? 'none'}, class ${limit}`);
        else if (bdpm < limit) looser.push(`${s.name}: BDPM ${bdpm}, class ${limit}`);
        // Without its conditions, the specialty still gets its class's limit.
        const bare: FrozenDrug = { ...s.drug, conditions: [], prescriptionLimitDays: null, flags: flagsFromConditions([], { marketed: s.marketed, enhancedMonitoring: false }) };
        if (durationRefusal(check(line(bare, days(limit + 1)))).length !== 1) stricter.push(`${s.name}: class limit not applied`);
      }
    }
    process.stdout.write(`BDPM 2019: specialties the BDPM limits below their class: ${JSON.stringify(looser)}\n`);
    expect(stricter).toEqual([]);
  });

  const byName = (name: string) => {
    const s = specialties.find((x) => x.name.startsWith(name));
    if (s === undefined) throw new Error(`${name} absent from the release`);
    return s.drug;
  };
  const duplicated = (...drugs: FrozenDrug[]) => duplicateChecks(drugs.map((d) => line(d, days(7)))).map((f) => f.message.split(' figure sur')[0]);

  it('flags every specialty written twice, about once per substance the BDPM counts', () => {
    const composed = specialties.filter((s) => s.groups > 0);
    const silent = composed.filter((s) => duplicateChecks([line(s.drug), line(s.drug)]).length === 0);
    expect(silent.map((s) => s.name)).toEqual([]);
    // A salt and its moiety the names cannot pair (« IODE », « IOMÉPROL »; « FER », « OXYDE FERRIQUE SACCHAROSE ») give one warning more.
    const noisy = composed.filter((s) => duplicateChecks([line(s.drug), line(s.drug)]).length > s.groups);
    process.stdout.write(`BDPM 2019: ${noisy.length} of ${composed.length} specialties written twice raise more warnings than their BDPM substances\n`);
    expect(noisy.length / composed.length).toBeLessThan(0.02);
  });

  it('finds the substance two real specialties share, by its DCI, and nothing else', () => {
    expect(duplicated(byName('AUGMENTIN 500 mg/62,5 mg ADULTES'), byName('CLAMOXYL 500 mg, gélule'))).toEqual(['amoxicilline']);
    expect(duplicated(byName('AUGMENTIN 500 mg/62,5 mg ADULTES'), byName('AUGMENTIN 500 mg/62,5 mg ADULTES'))).toEqual(['amoxicilline', 'acide clavulanique']);
    expect(duplicated(byName('DEPAKINE 500 mg'), byName('DEPAKINE CHRONO 500 mg'))).toHaveLength(1);
    expect(duplicated(byName('FOSAMAX 70 mg'), byName('FOSAVANCE 70 mg/2800'))).toEqual(['acide alendronique']);
    expect(duplicated(byName('MYFORTIC 360'), byName('MYFORTIC 360'))).toEqual(['acide mycophénolique']);
    expect(duplicated(byName('DOLIPRANE 1000 mg, comprimé'), byName('DAFALGAN CODEINE, comprimé pelliculé'))).toEqual(['paracétamol']);
    expect(duplicated(byName('KARDEGIC 75'), byName('ASPIRINE UPSA 500'))).toHaveLength(1);
    expect(duplicated(byName('VOLTARENE EMULGEL 1 %, gel'), byName('VOLTARENE 50 mg'))).toEqual(['diclofénac']);
    expect(duplicated(byName('DOLIPRANE 1000 mg, comprimé'), byName('CLAMOXYL 500 mg, gélule'), byName('KARDEGIC 75'))).toEqual([]);
  });
});
