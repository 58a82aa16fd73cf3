/**
 * Drug-referential rules that do not depend on where they run (DOMAIN.md §4): the DCI label a
 * prescription prints, the flags read from the prescribing conditions, the words search indexes,
 * and when a referential is too old to trust without a warning.
 */
import { normalizeText } from './text';

/** One row of CIS_COMPO_bdpm.txt, as the DCI label needs it. */
export interface CompositionPart {
  element: string;
  substanceCode: string;
  substanceName: string;
  strength: string;
  nature: 'SA' | 'FT';
  /** Links an active substance (SA) to its therapeutic moiety (FT); null when absent. */
  linkNumber: number | null;
}

// Salt and hydrate words that name the chemical form, not the drug a GP prescribes.
const SALT_PREFIX =
  /^(?:di|hémi|sesqui|hydrogéno|dihydrogéno)?(?:chlorhydrate|bromhydrate|sulfate|phosphate|maléate|fumarate|tartrate|hydrogénotartrate|bitartrate|citrate|acétate|succinate|mésilate|mésylate|bésilate|tosilate|lactate|gluconate|nitrate|valérate|propionate|dipropionate|butyrate|oxalate|pamoate|embonate|camsilate|malate|orotate|aspartate|énantate|undécanoate|décanoate|palmitate|stéarate|benzoate|salicylate|lysinate|trométamol|métasulfobenzoate|sulfosalicylate|succinate|bromure|iodure)(?:\s+(?:sodique|disodique|potassique))?\s+(?:de\s+|d['’]\s*)/;
const QUALIFIER_SUFFIX =
  /\s+(?:base|anhydre|(?:mono|di|tri|tétra|penta|hexa|hepta|sesqui|hémi)?hydraté(?:e|s|es)?|sodique|disodique|monosodique|potassique|dipotassique|calcique|magnésique|micronisé(?:e|s|es)?|racémique|et\s+de\s+(?:di)?(?:sodium|potassium)|(?:en|sous)\s+forme\s+de\s+.*)$/;
// When the salt names an inorganic ion, the salt IS the substance ("chlorure de sodium").
const MINERAL = /^(?:sodium|potassium|calcium|magnésium|fer|zinc|lithium|aluminium|ammonium|cuivre|sélénium|strontium)\b/;

/** "AMOXICILLINE TRIHYDRATÉE" → "amoxicilline"; "CHLORHYDRATE DE TRAMADOL" → "tramadol". */
export function dciOfSubstance(substanceName: string): string {
  const original = substanceName.toLocaleLowerCase('fr').replace(/\s+/g, ' ').trim();
  // The BDPM often inverts the name: "SODIUM (VALPROATE DE)", "CLAVULANIQUE (ACIDE)".
  const inverted = /^([^()]+?)\s*\(([^()]*?)(?:\s+(de|d['’]))?\)(.*)$/.exec(original);
  let name = original;
  if (inverted !== null) {
    const [, head = '', inner = '', of, rest = ''] = inverted;
    if (of !== undefined) name = `${inner} ${of === 'de' ? 'de ' : "d'"}${head}${rest}`;
    else if (inner === 'acide') name = `acide ${head}${rest}`;
  }
  name = name.replace(/\s*\([^)]*\)\s*/g, ' ').replace(/\s+/g, ' ').trim();
  const withoutSalt = name.replace(SALT_PREFIX, '');
  if (withoutSalt !== name && !MINERAL.test(withoutSalt)) name = withoutSalt;
  for (let previous = ''; previous !== name; ) {
    previous = name;
    name = name.replace(QUALIFIER_SUFFIX, '').trim();
  }
  return name === '' ? original : name;
}

/** The key two substance names share when they are the same drug (accents, case, salts aside). */
export function substanceKey(substanceName: string): string {
  return normalizeText(dciOfSubstance(substanceName));
}

/**
 * "olmesartan medoxomil" → ["olmesartan", "olmesartan medoxomil"]: the thesaurus often names the
 * drug by its first words where the BDPM adds the ester or the variety.
 */
export function keyPrefixes(key: string): string[] {
  const words = key.split(' ').filter((w) => w !== '');
  return words.map((_, i) => words.slice(0, i + 1).join(' '));
}

const frenchNumber = (value: number) => String(Number(value.toFixed(4))).replace('.', ',');

/** "500,00 mg" → "500 mg", "1000 mg" → "1 g", "75 microgrammes" → "75 µg"; others trimmed. */
export function normalizeStrength(strength: string): string {
  const text = strength.replace(/\s+/g, ' ').trim();
  const match = /^(\d+(?:,\d+)?)\s*(mg|g|microgrammes?|µg)$/i.exec(text);
  if (!match) return text;
  const value = Number(match[1]!.replace(',', '.'));
  const unit = match[2]!.toLowerCase();
  if (unit === 'mg' && value >= 1000) return `${frenchNumber(value / 1000)} g`;
  if (unit.startsWith('microgramme') || unit === 'µg') return `${frenchNumber(value)} µg`;
  return `${frenchNumber(value)} ${unit}`;
}

export interface DciDescription {
  /** "amoxicilline 500 mg, gélule"; the specialty name when the composition is unknown. */
  label: string;
  /** DCI names in file order, e.g. ["amoxicilline", "acide clavulanique"]. */
  substances: string[];
  /** Sorted substance keys joined by "+": equal for every strength and form of the same drug. */
  substanceKey: string;
}

const MAX_LABEL_SUBSTANCES = 4;

/** "500,00 mg" → "500"; "0,50 g" → "0,5"; "" → "". */
function leadingNumber(text: string): string {
  const match = /\d+(?:,\d+)?/.exec(text);
  return match === null ? '' : match[0].replace(/(,\d*?)0+$/, '$1').replace(/,$/, '');
}

function numbersIn(text: string): Set<string> {
  return new Set([...text.matchAll(/\d+(?:,\d+)?/g)].map((m) => leadingNumber(m[0])));
}

/**
 * The DCI label of a specialty from its composition: the first pharmaceutical element, one entry
 * per link number (the salt or the moiety whose strength the name states, else the therapeutic
 * moiety), the DCI without salt as prescribing by DCI requires, then the form.
 */
export function describeDci(parts: readonly CompositionPart[], form: string, specialtyName: string): DciDescription {
  const cleanForm = form.replace(/\s+/g, ' ').trim();
  const first = parts[0];
  if (first === undefined) return { label: specialtyName.replace(/\s+/g, ' ').trim(), substances: [], substanceKey: '' };
  // Per link number, the row whose strength the brand name states ("GLUCOPHAGE 1000 mg" states
  // the salt, "CLAMOXYL 500 mg" the base); otherwise the therapeutic moiety (FT).
  const stated = numbersIn(specialtyName);
  const score = (part: CompositionPart) => (stated.has(leadingNumber(part.strength)) ? 2 : 0) + (part.nature === 'FT' ? 1 : 0);
  const chosen = new Map<string, CompositionPart>();
  parts
    .filter((part) => part.element === first.element)
    .forEach((part, index) => {
      const slot = part.linkNumber === null ? `row${index}` : `link${part.linkNumber}`;
      const current = chosen.get(slot);
      if (current === undefined || score(part) > score(current)) chosen.set(slot, part);
    });
  const entries = [...chosen.values()].map((part) => ({
    dci: dciOfSubstance(part.substanceName),
    strength: normalizeStrength(part.strength),
  }));
  const substances = [...new Set(entries.map((e) => e.dci))];
  const shown = entries.slice(0, entries.length > MAX_LABEL_SUBSTANCES ? MAX_LABEL_SUBSTANCES - 1 : entries.length);
  let label = shown.map((e) => (e.strength === '' ? e.dci : `${e.dci} ${e.strength}`)).join(' + ');
  if (shown.length < entries.length) label += ` + ${entries.length - shown.length} autres substances`;
  if (cleanForm !== '') label += `, ${cleanForm}`;
  const key = [...new Set(substances.map((s) => normalizeText(s)))].sort().join('+');
  return { label, substances, substanceKey: key };
}

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
