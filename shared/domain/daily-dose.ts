/**
 * How much of each substance a drug line gives: mg per intake and per 24 hours, from the dose the
 * GP wrote (« ½ comprimé », « 7,5 ml », « 500 mg »), the strength the BDPM states for the line's
 * drug (« 500 mg » per « un comprimé », « 250 mg » per « 5 ml de suspension reconstituée ») and
 * the frequency. What the clinical checks compare with the maximum doses (clinical-checks.ts).
 *
 * A number is given only when it can be computed honestly: otherwise null, with the reason in
 * English for the tests and the logs. Never a guess: a dose check that cannot compute says nothing
 * rather than something wrong.
 */
import { dciOfSubstance } from './dci';
import { memoized } from './memo';
import { lineMoieties, moietyKey } from './duplicate-checks';
import type { CheckLine, DoseUnit, FrozenDrug, Posology } from './prescription';

type Substance = FrozenDrug['substances'][number];

/** One active moiety of a line and the mg it gives. */
export interface SubstanceDose {
  /** The moiety key (duplicate-checks.ts `moietyKey`): what the rules match. */
  key: string;
  /** Every moiety key of the rows it gathers (the salt's and the moiety's), for matching. */
  keys: string[];
  /** The DCI to print (the therapeutic moiety's when the BDPM gives one). */
  dci: string;
  /** mg of the substance in one intake; null when it cannot be computed (see `reason`). */
  mgPerIntake: number | null;
  /** mg per 24 h on average (perWeek: times / 7); null when it cannot be computed. */
  mgPer24h: number | null;
  /**
   * The most the posology allows in one 24-hour window, what a maximum daily dose is checked
   * against: the same as `mgPer24h` for N times a day; a whole intake for once or twice a week
   * (taken on one day, not spread over seven); ceil(24 / h) intakes every h hours.
   */
  peakMgPer24h: number | null;
  /** Why the numbers are null; null when they are not. */
  reason: string | null;
}

const NUMBER = String.raw`(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[,.]\d+)?|\d+(?:[,.]\d+)?)`;

function parseNumber(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '');
  if (!/^\d+(?:[,.]\d+)?$/.test(compact)) return null;
  return Number(compact.replace(',', '.'));
}

const MASS_UNITS: readonly [RegExp, number][] = [
  [/^(?:mg|milligrammes?)$/i, 1],
  [/^(?:g|grammes?)$/i, 1000],
  [/^(?:µg|μg|mcg|microgrammes?)$/i, 0.001],
];

/**
 * A BDPM strength as mg: « 500 mg », « 500,00 mg », « 1 g », « 0,500 g », « 1 000 mg »,
 * « 75 microgrammes » → 500, 500, 1000, 500, 1000, 0.075. Null for what is not one mass
 * (« 100 000 UI », « 2CH à 30CH », « entre 562,2 mg et 615,6 mg », « 5 % »).
 */
const STRENGTH = new RegExp(`^${NUMBER}\\s*([a-zµμ]+)\\.?$`, 'i');

export const strengthMg = memoized(computeStrengthMg);

function computeStrengthMg(strength: string): number | null {
  const match = STRENGTH.exec(strength.replace(/\s+/g, ' ').trim());
  if (match === null) return null;
  const value = parseNumber(match[1]!);
  const unit = MASS_UNITS.find(([pattern]) => pattern.test(match[2]!));
  return value === null || unit === undefined ? null : value * unit[1];
}

/** What a strength is per, as read from the BDPM reference. */
export interface StrengthReference {
  /** The unit of the form it names (« comprimé », « sachet », « cuillère »), normalised, or null. */
  unit: string | null;
  /** The volume it states, in ml (« 5 ml », « une ampoule de 2 ml », « 1 litre »), or null. */
  ml: number | null;
  /** The mass of preparation it states, in g (« 100 g de crème »), or null. */
  g: number | null;
}

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

// « un comprimé », « une cuillère-mesure de 5 ml », « 1 sachet dose », « comprimé » (no article).
const UNIT_REFERENCE = /^(?:(?:un|une|1)\s+)?([a-z]+)/;
const UNIT_NOUNS = /^(?:comprim|compim|gelule|capsule|sachet|suppositoire|ovule|patch|dispositif|ampoule|flacon|dose|recipient|cuillere|pipette|stylo|lyophilisat|pilule|pastille|gomme|unite|goutte|bouffee|pulverisation|inhalation|seringue|cartouche)/;
const VOLUME = new RegExp(`(?:^|\\s)${NUMBER}\\s*(ml|l|litres?)(?=\\s|$|[,.;)])`, 'i');
const MASS = new RegExp(`(?:^|\\s)${NUMBER}\\s*(g)(?=\\s|$|[,.;)])`, 'i');

/**
 * « un comprimé » → unit comprimé; « 5 ml de suspension reconstituée » → 5 ml; « une cuillère-mesure
 * de 5 ml de suspension » → unit cuillère and 5 ml; « 100 g de crème » → 100 g; « un sachet de
 * 13,1 g » → unit sachet (and 13,1 g of powder, which no dose is counted in).
 */
export const parseStrengthReference: (reference: string) => Readonly<StrengthReference> = memoized(computeStrengthReference);

function computeStrengthReference(reference: string): StrengthReference {
  const text = fold(reference);
  const head = UNIT_REFERENCE.exec(text)?.[1] ?? '';
  const unit = UNIT_NOUNS.test(head) ? head : null;
  const volume = VOLUME.exec(text);
  const mass = MASS.exec(text);
  const ml = volume === null ? null : (parseNumber(volume[1]!) ?? 0) * (volume[2]!.toLowerCase().startsWith('l') ? 1000 : 1);
  const g = mass === null ? null : parseNumber(mass[1]!);
  return { unit, ml: ml === null || ml <= 0 ? null : ml, g: g === null || g <= 0 ? null : g };
}

/**
 * The reference nouns that are one unit of each countable dose unit: a GP's « 1 comprimé » is one
 * « comprimé » (or the « lyophilisat » the form proposes as a tablet), a « sachet » any sachet.
 * « unité » counts one of whatever unit the reference names.
 */
const UNIT_ALIASES: Partial<Record<DoseUnit, RegExp>> = {
  comprimé: /^(?:comprim|compim|lyophilisat|pilule)/,
  gélule: /^gelule/,
  capsule: /^capsule/,
  sachet: /^sachet/,
  suppositoire: /^suppositoire/,
  ovule: /^ovule/,
  patch: /^(?:patch|dispositif)/,
  ampoule: /^ampoule/,
  flacon: /^flacon/,
  dose: /^(?:dose|recipient)/,
  bouffée: /^(?:dose|bouffee|pulverisation|inhalation)/,
  pulvérisation: /^(?:dose|pulverisation)/,
  'cuillère-mesure': /^cuillere/,
  pipette: /^(?:pipette|recipient)/,
  stylo: /^stylo/,
  goutte: /^goutte/,
  unité: /^(?!flacon|dispositif|recipient|seringue|cartouche)/,
};

/**
 * mg of one substance row per unit of the dose the GP wrote, or null: a unit of the form when the
 * reference is one (« 500 mg » per « un comprimé », for 1 comprimé), a ml when the reference states
 * a volume (« 250 mg » per « 5 ml » → 50), a gram of preparation when it states a mass (« 5 g » per
 * « 100 g » → 50, for a dose in g of gel). mg and g of substance are the line's business
 * (`lineSubstanceDoses`): they depend on how many substances the drug holds.
 */
export function mgPerDoseUnit(row: Pick<Substance, 'strength' | 'strengthReference'>, unit: DoseUnit): number | null {
  const mg = strengthMg(row.strength);
  if (mg === null) return null;
  const reference = parseStrengthReference(row.strengthReference);
  if (unit === 'ml') return reference.ml === null ? null : mg / reference.ml;
  if (unit === 'g') return reference.g === null || reference.unit !== null ? null : mg / reference.g;
  const alias = UNIT_ALIASES[unit];
  if (alias === undefined || reference.unit === null) return null;
  return alias.test(reference.unit) ? mg : null;
}

/**
 * Intakes per 24 h on average: N a day; 24 / h every h hours; N / 7 for N a week. « Si besoin »
 * with a maximum per 24 h is counted at that maximum by `lineSubstanceDoses` (the maximum is in
 * units, not intakes); without one, the frequency the GP wrote is the most that may be taken.
 */
export function intakesPer24h(frequency: Posology['frequency']): number {
  switch (frequency.kind) {
    case 'perDay':
      return frequency.times;
    case 'everyHours':
      return 24 / frequency.hours;
    case 'perWeek':
      return frequency.times / 7;
  }
}

/** The most intakes one 24-hour window can hold (see `SubstanceDose.peakMgPer24h`). */
export function peakIntakesPer24h(frequency: Posology['frequency']): number {
  switch (frequency.kind) {
    case 'perDay':
      return frequency.times;
    case 'everyHours':
      return frequency.hours >= 24 ? 1 : Math.ceil(24 / frequency.hours - 1e-9);
    case 'perWeek':
      // At most 7 a week: one intake on each day it is taken.
      return 1;
  }
}

/** « 500 mg/5 ml », « 40 mg/ml », « 100 mg par ml » in the specialty's name (before its first comma). */
function statedMgPerMl(brand: string): number | null {
  const head = brand.split(/,\s/)[0] ?? brand;
  const pattern = new RegExp(`${NUMBER}\\s*(mg|g|microgrammes?|µg)\\s*(?:/|par)\\s*(?:${NUMBER}\\s*)?ml(?![a-z])`, 'gi');
  const found = [...head.matchAll(pattern)];
  if (found.length !== 1) return null;
  const m = found[0]!;
  const mg = strengthMg(`${m[1]!} ${m[2]!}`);
  const ml = m[3] === undefined ? 1 : parseNumber(m[3]);
  return mg === null || ml === null || ml <= 0 ? null : mg / ml;
}

/** « 500,00 mg » → « 500 »; « 3,000 g » → « 3 »: the number as a name states it. */
function leadingNumber(text: string): string {
  const match = /\d+(?:[,.]\d+)?/.exec(text);
  return match === null ? '' : match[0].replace('.', ',').replace(/(,\d*?)0+$/, '$1').replace(/,$/, '');
}

/**
 * How much a row is the one the dose is counted in: the strength the specialty's name states
 * (« GLUCOPHAGE 1000 mg » states the salt, « CLAMOXYL 500 mg » the base, as the RCP's doses do),
 * then the therapeutic moiety (FT); never a row without a mass.
 */
function rowScore(row: Substance, brand: string): number {
  const stated = new Set([...(brand.split(/,\s/)[0] ?? brand).matchAll(/\d+(?:[,.]\d+)?/g)].map((m) => leadingNumber(m[0])));
  return (stated.has(leadingNumber(row.strength)) ? 2 : 0) + (row.nature === 'FT' ? 1 : 0) + (strengthMg(row.strength) === null ? -4 : 0);
}

/**
 * The rows of the line's drug gathered by moiety, the way the duplicate check counts them: a salt
 * or an ester the BDPM pairs with its moiety (« FOSFOMYCINE TROMÉTAMOL » and « FOSFOMYCINE »,
 * « DICLOFÉNAC DE DIÉTHYLAMINE » and « DICLOFÉNAC ») is one substance.
 */
export function moietyRows(drug: FrozenDrug): { key: string; dci: string; rows: Substance[] }[] {
  const moieties = lineMoieties(drug);
  const groups = new Map<string, { key: string; dci: string; rows: Substance[] }>();
  for (const [key, dci] of moieties) groups.set(key, { key, dci, rows: [] });
  for (const row of drug.substances) {
    const own = moietyKey(row.name);
    if (own === '') continue;
    let group = groups.get(own);
    if (group === undefined) {
      const words = own.split(' ');
      const holder = [...groups.values()].find((g) => g.key.split(' ').every((w) => words.includes(w)));
      group = holder ?? { key: own, dci: dciOfSubstance(row.name), rows: [] };
      if (holder === undefined) groups.set(own, group);
    }
    group.rows.push(row);
  }
  return [...groups.values()].filter((g) => g.rows.length > 0);
}

/**
 * mg per intake and per 24 h of each moiety of a drug line. Null (with the reason) where it
 * cannot be honest:
 * - a free line, or a drug line without a structured posology: nothing to read;
 * - a dose in UI, drops, applications, injections…: not a mass, and the BDPM does not give the
 *   volume of a drop or of an application;
 * - a dose in mg or g of a drug holding several substances: which one the GP meant is not written;
 * - a dose in ml when the BDPM gives no volume (« un flacon », « 30 g » of powder) and the name
 *   states no single concentration;
 * - rows of one moiety that disagree with nothing to choose between them (two elements of a kit).
 */
export function lineSubstanceDoses(l: CheckLine): SubstanceDose[] {
  if (l.line.kind !== 'drug' || l.drug === null) return [];
  const posology = l.line.posology;
  const drug = l.drug;
  const groups = moietyRows(drug);
  const asNeededMax = posology.asNeeded && posology.maxPer24h !== null ? posology.maxPer24h : null;
  return groups.map((group): SubstanceDose => {
    const keys = [...new Set([group.key, ...group.rows.map((r) => moietyKey(r.name))])];
    const base = { key: group.key, keys, dci: group.dci };
    const none = (reason: string): SubstanceDose => ({ ...base, mgPerIntake: null, mgPer24h: null, peakMgPer24h: null, reason });
    // A dose in g of a cream or a gel is of the preparation, when the strength is per g of it.
    const perPreparationGram = posology.unit === 'g' && group.rows.some((r) => mgPerDoseUnit(r, 'g') !== null);
    let perUnit: number | null;
    if (posology.unit === 'mg' || (posology.unit === 'g' && !perPreparationGram)) {
      // A dose written as a mass is of the substance itself, when the drug holds only one.
      if (groups.length !== 1) return none(`a dose in ${posology.unit} of a drug with ${groups.length} substances names none of them`);
      perUnit = posology.unit === 'g' ? 1000 : 1;
    } else {
      const scored = group.rows
        .map((row) => ({ score: rowScore(row, drug.brand), mg: mgPerDoseUnit(row, posology.unit) }))
        .filter((r): r is { score: number; mg: number } => r.mg !== null);
      const top = Math.max(...scored.map((r) => r.score));
      const best = scored.filter((r) => r.score === top);
      // Rows ranked equal must agree (the same strength in a kit's two elements), or none is chosen.
      if (best.some((r) => Math.abs(r.mg - best[0]!.mg) > 1e-9)) return none('rows of one substance state different strengths and nothing tells which one the dose is counted in');
      perUnit = best[0]?.mg ?? (posology.unit === 'ml' && groups.length === 1 ? statedMgPerMl(drug.brand) : null);
      if (perUnit === null) return none(`the strengths of the drug are not per ${posology.unit} (references: ${group.rows.map((r) => `« ${r.strengthReference} »`).join(', ')})`);
    }
    const mgPerIntake = posology.dose * perUnit;
    if (asNeededMax !== null) {
      const max = asNeededMax * perUnit;
      return { ...base, mgPerIntake, mgPer24h: max, peakMgPer24h: max, reason: null };
    }
    return {
      ...base,
      mgPerIntake,
      mgPer24h: mgPerIntake * intakesPer24h(posology.frequency),
      peakMgPer24h: mgPerIntake * peakIntakesPer24h(posology.frequency),
      reason: null,
    };
  });
}
