/**
 * Drug-referential rules that do not depend on where they run (DOMAIN.md §4): the flags read
 * from the prescribing conditions, the words search indexes, and when a referential is too old to
 * trust without a warning. The DCI label lives in ./dci.
 */
import { normalizeText } from './text';

/** What the search shows next to a drug, and what the prescribing checks read. */
export interface DrugFlags {
  narcotic: boolean;
  listI: boolean;
  listII: boolean;
  /** Prescription or use reserved to hospitals: a GP cannot prescribe it. */
  hospitalOnly: boolean;
  /** Initial prescription by a hospital doctor; a GP may renew it. */
  hospitalInitial: boolean;
  /** Prescription (or initial prescription) reserved to some specialists. */
  specialistOnly: boolean;
  securePrescription: boolean;
  notMarketed: boolean;
  enhancedMonitoring: boolean;
}

export const drugFlagNames = [
  'narcotic',
  'listI',
  'listII',
  'hospitalOnly',
  'hospitalInitial',
  'specialistOnly',
  'securePrescription',
  'notMarketed',
  'enhancedMonitoring',
] as const satisfies readonly (keyof DrugFlags)[];

export type DrugFlagName = (typeof drugFlagNames)[number];

/** Flags as a bit set, so the referential stores one integer per specialty. */
export function encodeFlags(flags: DrugFlags): number {
  return drugFlagNames.reduce((bits, name, index) => (flags[name] ? bits | (1 << index) : bits), 0);
}

export function decodeFlags(bits: number): DrugFlags {
  const flags = {} as DrugFlags;
  drugFlagNames.forEach((name, index) => {
    flags[name] = (bits & (1 << index)) !== 0;
  });
  return flags;
}

/** Flags from the CIS_CPD conditions (free text, so matched on the wording the ANSM uses). */
export function flagsFromConditions(
  conditions: readonly string[],
  specialty: { marketed: boolean; enhancedMonitoring: boolean },
): DrugFlags {
  const has = (pattern: RegExp) => conditions.some((c) => pattern.test(c));
  const narcotic = has(/stupéfiant/i);
  return {
    narcotic,
    listI: has(/\bliste I(?!I)\b/i),
    listII: has(/\bliste II\b/i),
    hospitalOnly: has(
      /réservé à l['’]usage hospitalier|^prescription hospitalière$|pharmacies à usage intérieur|réservée aux médecins hospitaliers|délivrance réservée aux ETS/i,
    ),
    hospitalInitial: has(/prescription initiale hospitalière/i),
    specialistOnly: has(/réservée? (?:aux|à certains) (?:spécialistes|médecins)/i),
    securePrescription: narcotic || has(/ordonnance sécurisée/i),
    notMarketed: !specialty.marketed,
    enhancedMonitoring: specialty.enhancedMonitoring,
  };
}

/** "prescription limitée à 4 semaines" → 28; the shortest limit when there are several. */
export function prescriptionLimitDays(conditions: readonly string[]): number | null {
  let limit: number | null = null;
  for (const condition of conditions) {
    for (const match of condition.matchAll(/limitée à (\d+) (jours?|semaines?|mois)/gi)) {
      const n = Number(match[1]);
      const unit = match[2]!.toLowerCase();
      const days = unit.startsWith('jour') ? n : unit.startsWith('semaine') ? n * 7 : n * 30;
      limit = limit === null ? days : Math.min(limit, days);
    }
  }
  return limit;
}

/** CIS_GENER type column: 0 princeps, 1 generic, 2 dose-complementary, 4 substitutable. */
export const genericTypes = ['princeps', 'generic', 'complementary', 'substitutable'] as const;
export type GenericType = (typeof genericTypes)[number];
/** The type codes CIS_GENER may hold (genericTypeOf knows each). */
export const genericTypeCodes: readonly number[] = [0, 1, 2, 4];

/** What a GP reads for each flag and generic type, the same words on screen and in the CLI. */
export const drugFlagLabels: Readonly<Record<DrugFlagName | GenericType, string>> = {
  narcotic: 'Stupéfiant',
  listI: 'Liste I',
  listII: 'Liste II',
  hospitalOnly: 'Réservé à l’hôpital',
  hospitalInitial: 'Prescription initiale hospitalière',
  specialistOnly: 'Prescription réservée à des spécialistes',
  securePrescription: 'Ordonnance sécurisée',
  notMarketed: 'Non commercialisé',
  enhancedMonitoring: 'Surveillance renforcée',
  princeps: 'Princeps',
  generic: 'Générique',
  complementary: 'Générique (dosage complémentaire)',
  substitutable: 'Substituable',
};

/** The labels of the flags an item carries, in display order, its generic type last. */
export function drugFlagLabelsOf(item: { flags: Readonly<Record<DrugFlagName, boolean>>; genericType: GenericType | null }): string[] {
  const labels = drugFlagNames.filter((name) => item.flags[name]).map((name) => drugFlagLabels[name]);
  return item.genericType === null ? labels : [...labels, drugFlagLabels[item.genericType]];
}

export function genericTypeOf(code: number): GenericType | null {
  switch (code) {
    case 0:
      return 'princeps';
    case 1:
      return 'generic';
    case 2:
      return 'complementary';
    case 4:
      return 'substitutable';
    default:
      return null;
  }
}

/** Words the search matches by prefix: normalised, and "500mg" split into "500" "mg". */
export function searchWords(text: string): string[] {
  return normalizeText(text)
    .replace(/(\d)([a-z])/g, '$1 $2')
    .replace(/([a-z])(\d)/g, '$1 $2')
    .split(' ')
    .filter((word) => word !== '');
}

/** "Commercialisée" (and not "Non commercialisée"). */
export function isMarketed(marketingStatus: string): boolean {
  return normalizeText(marketingStatus) === 'commercialisee';
}

export const STALE_AFTER_DAYS = 60;

/**
 * Whole days from an ISO date (YYYY-MM-DD) to `now`; null when the date is missing, unreadable or
 * after `now` (a day's slack for time zones): a release cannot come from the future, such a date
 * is a typing error and says nothing of its age.
 */
export function ageInDays(isoDate: string | null, now: Date): number | null {
  if (isoDate === null) return null;
  const then = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(then)) return null;
  const days = Math.floor((now.getTime() - then) / 86_400_000);
  if (days < -1) return null;
  return Math.max(0, days);
}

/** A referential older than STALE_AFTER_DAYS days, or of unknown (or impossible) date, deserves a visible warning. */
export function isStale(isoDate: string | null, now: Date): boolean {
  const age = ageInDays(isoDate, now);
  return age === null || age > STALE_AFTER_DAYS;
}

/**
 * "44,38" → 4438 cents, "2,849,83" → 284983 (the BDPM writes thousands with a comma too: every
 * comma but the last groups thousands); null when empty or not a price.
 */
export function priceToCents(value: string): number | null {
  const compact = value.replace(/[\s\u00a0]/g, '');
  let euros: string;
  let cents: string;
  if (/^\d+(?:,\d{1,2})?$/.test(compact)) {
    [euros = '0', cents = ''] = compact.split(',');
  } else if (/^\d{1,3}(?:,\d{3})+,\d{2}$/.test(compact)) {
    const last = compact.lastIndexOf(',');
    euros = compact.slice(0, last).replace(/,/g, '');
    cents = compact.slice(last + 1);
  } else {
    return null;
  }
  return Number(euros) * 100 + Number(cents.padEnd(2, '0'));
}

/** Groups on the first page of a drug search (the picker's and Prescrire's). */
export const FIRST_PAGE_GROUPS = 10;

/**
 * What a GP may type next in a drug search box: letters (with the accents French keyboards
 * type directly), digits, a space, and the signs of strengths (« 0,5 », « 1.5 », « 5/5 », « 2% »).
 */
export const SEARCH_AHEAD: readonly string[] = Array.from('abcdefghijklmnopqrstuvwxyz0123456789 éèêàç,./-%');
