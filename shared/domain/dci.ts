/**
 * The DCI label a prescription prints (DOMAIN.md §2 and §4), built from a specialty's BDPM
 * composition: one entry per substance with its strength per the unit the BDPM or the name
 * states, in one canonical order and unit, every pharmaceutical element that holds a substance,
 * and the form written as a GP writes it. A label is a legal statement: the whole-release test
 * (test/integration/dci-labels-2019.test.ts) and the golden file pin it.
 */
import { memoized } from './memo';
import { frenchNumber } from './numbers';
import { normalizeText } from './text';

/** One row of CIS_COMPO_bdpm.txt, as the DCI label needs it. */
export interface CompositionPart {
  element: string;
  substanceCode: string;
  substanceName: string;
  strength: string;
  /** What the strength is per: "un comprimé", "100 ml", "une ampoule de 2 ml"… */
  strengthReference: string;
  nature: 'SA' | 'FT';
  /** Links an active substance (SA) to its therapeutic moiety (FT); null when absent. */
  linkNumber: number | null;
}

// Salt and hydrate words that name the chemical form, not the drug a GP prescribes.
const SALT_PREFIX =
  /^(?:di|hémi|sesqui|hydrogéno|dihydrogéno|mono)?(?:chlorhydrate|bromhydrate|sulfate|phosphate|maléate|fumarate|tartrate|hydrogénotartrate|bitartrate|citrate|acétate|succinate|mésilate|mésylate|bésilate|tosilate|lactate|gluconate|nitrate|valérate|propionate|dipropionate|butyrate|oxalate|pamoate|embonate|camsilate|malate|orotate|aspartate|énantate|undécanoate|décanoate|palmitate|stéarate|benzoate|salicylate|lysinate|trométamol|métasulfobenzoate|sulfosalicylate|bromure|iodure)(?:\s+(?:acide|sodique|disodique|potassique))?\s+(?:de\s+|d['’]\s*)/;
const QUALIFIER_SUFFIX =
  /\s+(?:base|anhydre|(?:mono|di|tri|tétra|penta|hexa|hepta|sesqui|hémi)?hydraté(?:e|s|es)?|sodique|disodique|monosodique|potassique|dipotassique|calcique|magnésique|micronisé(?:e|s|es)?|racémique|tert-butylamine|erbumine|arginine|et\s+de\s+(?:di)?(?:sodium|potassium)|(?:en|sous)\s+forme\s+de\s+.*)$/;
const BARE_ANION = /^(?:acide|citrate|phosphate|sulfate|carbonate|bicarbonate|hydrogénocarbonate|chlorure|gluconate|lactate|acétate|glycérophosphate|oxyde|hydroxyde|fluorure|iodure|bromure|nitrate|tartrate|pidolate|aspartate)$/;
// When the salt names an inorganic ion, the salt IS the substance ("chlorure de sodium").
const MINERAL = /^(?:benzyle|méthyle|éthyle|sodium|potassium|calcium|magnésium|fer|zinc|lithium|aluminium|ammonium|cuivre|sélénium|strontium)\b/;
// "FERREUX (CHLORURE)", "ISOPROPYLIQUE (ALCOOL)": the noun in brackets comes first.
const LEADING_NOUN = /^(?:acide|alcool|chlorure|oxyde|sulfate|sulfure|hydroxyde|carbonate|phosphate|nitrate|fluorure|iodure|bromure)$/;

/** "(131i)" → "(131I)", "[99m tc]" → "[99mTc]": an isotope keeps its chemical symbol. */
function isotopes(name: string): string {
  const symbol = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return name
    .replace(/\((\d{1,3})\s*([a-z]{1,2})\)/g, (_, mass: string, el: string) => `(${mass}${symbol(el)})`)
    .replace(/\[(\d{1,3}m?)\s*([a-z]{1,2})\]/g, (_, mass: string, el: string) => `[${mass}${symbol(el)}]`)
    .replace(/\(([rs])\)-/g, (_, c: string) => `(${c.toUpperCase()})-`);
}

/**
 * The BDPM often inverts the name: "SODIUM (VALPROATE DE)" is valproate de sodium,
 * "CLAVULANIQUE (ACIDE)" acide clavulanique, "FERREUX (CHLORURE)" chlorure ferreux,
 * "PHLOROGLUCINOL (TRIMÉTHYL ÉTHER DU)" triméthylphloroglucinol; "(SOLUTION DE)" names the
 * vehicle, not the drug. One bracket at a time, the first one.
 */
function uninvert(name: string): string {
  const inverted = /^([^()]+?)\s*\(([^()]*?)(?:\s+(de|du|des|d['’]))?\)\s*(.*)$/.exec(name);
  if (inverted === null) return name;
  const [, head = '', inner = '', of, rest = ''] = inverted;
  // "ISPAGHUL (GRAINE D'), TÉGUMENT DE LA": the part after the comma comes first.
  const lead = /^,.*\b(?:de la|du|de|des|d['’])$/.test(rest) ? `${rest.replace(/^,\s*/, '')} ` : '';
  // "CHOLÉCALCIFÉROL (CONCENTRAT DE), FORME PULVÉRULENTE": the variety goes in brackets.
  const tail = rest === '' || lead !== '' ? '' : rest.startsWith(',') ? ` (${rest.replace(/^,\s*/, '')})` : ` ${rest}`;
  const alkylEther = /^((?:di|tri)?méthyl) éther$/.exec(inner);
  if (inner === 'solution' && of === 'de') return `${head}${tail}`;
  if (alkylEther !== null) return `${alkylEther[1]}${head}${tail}`;
  if (of !== undefined) {
    const elided = /^d['’]$/.test(of) || (of === 'de' && /^[aeiouyhéèêâîôû]/.test(head));
    return `${lead}${inner} ${elided ? "d'" : `${of} `}${head}${tail}`;
  }
  if (LEADING_NOUN.test(inner)) return `${inner} ${head}${tail}`;
  return name;
}

/**
 * "AMOXICILLINE TRIHYDRATÉE" → "amoxicilline"; "CHLORHYDRATE DE TRAMADOL" → "tramadol";
 * "SODIUM (VALPROATE DE)" → "valproate de sodium". What is not a salt or a hydrate stays:
 * "IODURE (131I) DE SODIUM" keeps its isotope, "PHLOROGLUCINOL (TRIMÉTHYL ÉTHER DU)" its ether.
 */
export const dciOfSubstance = memoized(computeDciOfSubstance);

function computeDciOfSubstance(substanceName: string): string {
  const original = isotopes(substanceName.toLocaleLowerCase('fr').replace(/\s+/g, ' ').trim());
  let name = original;
  for (let pass = 0; pass < 3; pass++) {
    const next = uninvert(name);
    if (next === name) break;
    name = next;
  }
  name = name.replace(/^solution de (?=\S)/, '');
  name = name.replace(/\s+/g, ' ').trim();
  const withoutSalt = name.replace(SALT_PREFIX, '');
  if (withoutSalt !== name && !MINERAL.test(withoutSalt) && !withoutSalt.startsWith('(')) name = withoutSalt;
  for (let previous = ''; previous !== name; ) {
    previous = name;
    const next = name.replace(QUALIFIER_SUFFIX, '').trim();
    // "CITRATE MONOSODIQUE", "PHOSPHATE DISODIQUE": without its cation the salt names nothing.
    if (!BARE_ANION.test(next)) name = next;
  }
  name = (name === '' ? original : name).replace(/'/g, '’');
  // "vitamine a" → "vitamine A", "amphotéricine b" → "amphotéricine B", "facteur viii" → "facteur VIII".
  return name
    .replace(/(^|\s)([a-z])(\d*)(?=[\s,)]|$)/g, (_, s: string, l: string, d: string) => `${s}${l.toUpperCase()}${d}`)
    .replace(/\bfacteur (i{1,3}|iv|vi{0,3}|ix|xi{0,3})\b/g, (_, r: string) => `facteur ${r.toUpperCase()}`)
    .replace(/(^|[\s\]-])([ld])-(?=[a-zé])/g, (_, s: string, c: string) => `${s}${c.toUpperCase()}-`);
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

/** 2.4 → "2,4"; 100000 → "100 000"; strengths keep up to 4 decimals (« 62,233 mg »). */
const strengthNumber = (value: number): string => frenchNumber(value, 4);

/** "1 000 000", "2,40", "0.5" → the number; null when the text is not one number. */
function parseNumber(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '');
  if (!/^\d+(?:[,.]\d+)?$/.test(compact)) return null;
  return Number(compact.replace(',', '.'));
}

type Unit = 'µg' | 'mg' | 'g' | 'UI' | 'unités' | 'MBq' | 'ml';
const MASS_IN_MG: Partial<Record<Unit, number>> = { µg: 0.001, mg: 1, g: 1000 };

/** An amount the label can compute with: 500 mg, 100 000 UI. */
interface Amount {
  value: number;
  unit: Unit;
}

const NUMBER = String.raw`(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[,.]\d+)?|\d+(?:[,.]\d+)?)`;
const UNIT_WORDS: readonly [RegExp, Unit, number][] = [
  [/^(?:mg|milligrammes?)$/i, 'mg', 1],
  [/^g$|^grammes?$/i, 'g', 1],
  [/^(?:µg|μg|mcg|microgrammes?)$/i, 'µg', 1],
  [/^(?:UI|U\.I\.?|U\.l\.)$/, 'UI', 1],
  [/^(?:M\.U\.I\.?|MUI|millions?\s+(?:d['’])?UI)$/i, 'UI', 1_000_000],
  [/^(?:unités?|U)$/i, 'unités', 1],
  [/^MBq$/, 'MBq', 1],
  [/^ml$/i, 'ml', 1],
];
const AMOUNT = new RegExp(`^${NUMBER}\\s*([a-zµμ.'’ ]+?)$`, 'i');

/** "500,000 mg" → 500 mg; "10 M.U.I." → 10 000 000 UI; "50 à 3700 MBq" → null (kept as text). */
function parseAmount(text: string): Amount | null {
  const match = AMOUNT.exec(text.replace(/\s+/g, ' ').trim());
  if (match === null) return null;
  const value = parseNumber(match[1]!);
  const word = match[2]!.trim();
  const unit = UNIT_WORDS.find(([pattern]) => pattern.test(word));
  if (value === null || unit === undefined) return null;
  return { value: value * unit[2], unit: unit[1] };
}

/**
 * One amount, one way to write it: 0,5 g → 500 mg, 1000 mg → 1 g, 1000 µg → 1 mg; below a
 * milligram the unit the BDPM wrote stays (0,25 mg and 250 µg are both how GPs write doses).
 */
function formatAmount(amount: Amount): string {
  const factor = MASS_IN_MG[amount.unit];
  if (factor === undefined) return `${strengthNumber(amount.value)} ${amount.unit}`;
  const mg = amount.value * factor;
  if (mg >= 1000) return `${strengthNumber(mg / 1000)} g`;
  if (mg < 1 && amount.unit === 'µg') return `${strengthNumber(amount.value)} µg`;
  return `${strengthNumber(mg)} mg`;
}

/** "500,00 mg" → "500 mg", "1000 mg" → "1 g", "75 microgrammes" → "75 µg"; others trimmed. */
export function normalizeStrength(strength: string): string {
  const text = strength.replace(/\s+/g, ' ').trim();
  const amount = parseAmount(text);
  return amount === null ? text : formatAmount(amount);
}

// A reference that is one unit of the form: the strength is per unit taken, written alone.
const DOSE_UNIT =
  /^(?:(?:un|une|1)\s+)?(?:comprimé|gélule|capsule|suppositoire|ovule|pastille|gomme|lyophilisat|sachet(?:-dose)?|dose|implant|film|insert|lentille|tampon|bâton|granule|globule|pilule|dragée|cachet|microgranule|unité|pulvérisation|bouffée|inhalation|goutte|dispositif)s?(?![a-zé])/i;
// A reference of a quantity ("100 ml", "1 ml de solution", "une ampoule de 2 ml", "100 g de crème").
const QUANTITY_REFERENCE = new RegExp(`(?:^|\\s)${NUMBER}\\s*(ml|g|l|litres?|cm²|cm2|cm\\^\\^2|cm ²)(?=\\s|$)`, 'i');
// A reference that is a container with no stated volume: "un flacon", "une ampoule".
const CONTAINER_REFERENCE = /^(?:un|une|1)\s+([a-zéèêàç-]+(?:\s+(?:pré-?remplie?|unidose|transdermique|cutané))?)/i;

/** "" for a unit dose, "/5 ml" for a quantity, "/flacon" for a container, null when unreadable. */
function perReference(reference: string): string | null {
  const text = reference.replace(/\s+/g, ' ').trim();
  if (text === '' || DOSE_UNIT.test(text)) return '';
  const quantity = QUANTITY_REFERENCE.exec(text);
  if (quantity !== null) {
    const value = parseNumber(quantity[1]!);
    const rawUnit = quantity[2]!.toLowerCase();
    const unit = rawUnit.startsWith('cm') ? 'cm²' : rawUnit.startsWith('l') ? 'l' : rawUnit;
    if (value === null) return null;
    return value === 1 ? `/${unit}` : `/${strengthNumber(value)} ${unit}`;
  }
  const container = CONTAINER_REFERENCE.exec(text);
  if (container !== null) return `/${container[1]!.toLowerCase()}`;
  return null;
}

/**
 * The strength the specialty name states per unit of something ("500 mg/5 ml", "2,4 POUR
 * CENT", "25 microgrammes/heure", "100 000 UI/ml"): the official wording of the concentration
 * a GP prescribes, where the BDPM often gives the content of the whole bottle or powder.
 */
function statedConcentration(specialtyName: string, composition: Amount | null = null): string | null {
  const head = specialtyName.split(/,\s/)[0] ?? specialtyName;
  const found: string[] = [];
  // A number glued to a word (« MIX25 », « D3 ») is part of the name, never the start of a strength:
  // « HUMALOG MIX25 100 UI/ml » is 100 UI/ml, not « 25 100 ».
  const percent = new RegExp(`(?<![a-z\\d])${NUMBER}\\s*(?:%|pour\\s*cent)(?![a-z])`, 'gi');
  for (const m of head.matchAll(percent)) found.push(`${strengthNumber(parseNumber(m[1]!)!)} %`);
  const per = new RegExp(
    `(?<![a-z\\d])${NUMBER}\\s*(mg|g|microgrammes?|µg|UI|U\\.I\\.|unités?|millions?\\s+(?:d['’])?UI|MBq)\\s*(?:/|par)\\s*(?:${NUMBER}\\s*)?(ml|g|heures?|h|dose|pulvérisation|goutte|24\\s*heures)(?![a-z])`,
    'gi',
  );
  for (const m of head.matchAll(per)) {
    // « INSUMAN COMB 25 100 UI/ml »: a variant's number, then the strength, reads like a thousands
    // group. When the composition gives the last group's amount (100 UI per ml), that is the strength.
    const spaced = /^(\d{1,3})[ \u00a0\u202f](\d{3})$/.exec(m[1]!);
    const tail = spaced === null ? null : parseAmount(`${spaced[2]!} ${m[2]!}`);
    const agrees = tail !== null && composition !== null && formatAmount(tail) === formatAmount(composition);
    const amount = agrees ? tail : parseAmount(`${m[1]!} ${m[2]!}`);
    if (amount === null) continue;
    const quantity = m[3] === undefined ? null : parseNumber(m[3]);
    const raw = m[4]!.toLowerCase().replace(/\s+/g, ' ');
    const unit = raw === 'heure' || raw === 'heures' || raw === 'h' ? 'h' : raw === '24 heures' ? '24 h' : raw;
    found.push(`${formatAmount(amount)}/${quantity === null || quantity === 1 ? '' : `${strengthNumber(quantity)} `}${unit}`);
  }
  return found.length === 1 ? found[0]! : null;
}

const HOMEOPATHIC = /\d\s*(?:CH|DH|K)\b/;

/** One substance of one element, as the label writes it. */
interface Entry {
  dci: string;
  /** The amount per unit dose, or per `per`; null when the BDPM gives none or no number. */
  amount: Amount | null;
  /** "" (per unit dose), "/5 ml", "/flacon"; null when the amount is not per a readable unit. */
  per: string | null;
  /** The BDPM's text when it is not one amount ("50 à 3700 MBq", "2CH à 30CH…"), written « pour » its reference unless per unit dose. */
  text: string;
  /** The BDPM's reference, cleaned ("1 ml", "un flacon"). */
  reference: string;
  /** Set when the name's stated concentration replaces the BDPM strength. */
  stated?: string;
}

function entryText(entry: Entry): string {
  if (entry.stated !== undefined) return `${entry.dci} ${entry.stated}`;
  if (entry.amount === null) {
    if (entry.text === '') return entry.dci;
    // "74 MBq à la date de calibration" per 1 ml keeps its reference; dilutions ("2CH à 30CH")
    // and "qs" (quantité suffisante, a gas) have none.
    const perSomething = entry.per !== '' && /\d/.test(entry.text) && !/^qs\b/.test(entry.text) && !HOMEOPATHIC.test(entry.text);
    return `${entry.dci} ${entry.text}${perSomething ? ` pour ${entry.reference}` : ''}`;
  }
  return `${entry.dci} ${formatAmount(entry.amount)}${entry.per ?? ''}`;
}

/** The amount in comparable terms (mg for masses), for the canonical order: strongest first. */
function weight(entry: Entry): [number, number] {
  if (entry.amount === null) return [2, 0];
  const factor = MASS_IN_MG[entry.amount.unit];
  return factor === undefined ? [1, -entry.amount.value] : [0, -entry.amount.value * factor];
}

/**
 * Strongest first (in mg where it is a mass), equal amounts alphabetically: one order whatever the
 * file or the brand says, so "paracétamol + codéine" and "codéine + paracétamol" are one group.
 */
const byCanonicalOrder = (a: Entry, b: Entry) => {
  const [ka, va] = weight(a);
  const [kb, vb] = weight(b);
  return ka - kb || va - vb || a.dci.localeCompare(b.dci, 'fr');
};

/** "500,00 mg" → "500"; "0,50 g" → "0,5"; "" → "". */
function leadingNumber(text: string): string {
  const match = /\d+(?:,\d+)?/.exec(text);
  return match === null ? '' : match[0].replace(/(,\d*?)0+$/, '$1').replace(/,$/, '');
}

function numbersIn(text: string): Set<string> {
  return new Set([...text.matchAll(/\d+(?:,\d+)?/g)].map((m) => leadingNumber(m[0])));
}

/**
 * The entries of one pharmaceutical element: per link number the row whose strength the brand
 * name states ("GLUCOPHAGE 1000 mg" states the salt, "CLAMOXYL 500 mg" the base), otherwise the
 * therapeutic moiety (FT); then one entry per DCI, the amounts of the same DCI added up
 * (NOVACETOL: paracétamol 187,5 mg + 62,5 mg is paracétamol 250 mg).
 */
function elementEntries(parts: readonly CompositionPart[], specialtyName: string): Entry[] {
  const stated = numbersIn(specialtyName);
  const score = (part: CompositionPart) => (stated.has(leadingNumber(part.strength)) ? 2 : 0) + (part.nature === 'FT' ? 1 : 0) + (part.strength.trim() === '' ? -4 : 0);
  const chosen = new Map<string, CompositionPart>();
  parts.forEach((part, index) => {
    const slot = part.linkNumber === null ? `row${index}` : `link${part.linkNumber}`;
    const current = chosen.get(slot);
    if (current === undefined || score(part) > score(current)) chosen.set(slot, part);
  });
  const byDci = new Map<string, Entry>();
  for (const part of chosen.values()) {
    const text = part.strength.replace(/\s+/g, ' ').trim().replace(/'/g, '’').replace(/\bmicrogrammes?\b/g, 'µg').replace(/\bmilligrammes?\b/g, 'mg');
    const reference = part.strengthReference.replace(/\s+/g, ' ').trim().replace(/'/g, '’');
    const entry: Entry = { dci: dciOfSubstance(part.substanceName), amount: parseAmount(text), per: perReference(reference), text, reference };
    // An amount per something the label cannot shorten is written as text, with that something.
    if (entry.amount !== null && entry.per === null) {
      entry.text = normalizeStrength(text);
      entry.amount = null;
    }
    const same = byDci.get(entry.dci);
    if (same === undefined) byDci.set(entry.dci, entry);
    else byDci.set(entry.dci, merge(same, entry));
  }
  return [...byDci.values()];
}

/** Two rows of one DCI in one element: added up when they are per the same unit. */
function merge(a: Entry, b: Entry): Entry {
  if (a.amount !== null && b.amount !== null && a.per === b.per) {
    const fa = MASS_IN_MG[a.amount.unit];
    const fb = MASS_IN_MG[b.amount.unit];
    if (fa !== undefined && fb !== undefined) return { ...a, amount: { value: a.amount.value * fa + b.amount.value * fb, unit: 'mg' } };
    if (a.amount.unit === b.amount.unit) return { ...a, amount: { value: a.amount.value + b.amount.value, unit: a.amount.unit } };
  }
  // Not addable: the one with an amount (or the first) speaks for the DCI.
  return a.amount === null && b.amount !== null ? b : a;
}

// Nouns of the forms: the gender and number an adjective "effervescent(e)" agrees with.
const FEMININE =
  /^(?:gélule|capsule|poudre|solution|suspension|émulsion|crème|pommade|pâte|gomme|pastille|compresse|mousse|lotion|huile|goutte|plante|dispersion|éponge|poche|préparation|pulvérisation|inhalation|irrigation|application|tisane|gelée)s?$/;

/** "comprimé effervescent(e)" → "comprimé effervescent", "gélule gastro-résistant(e)" → "gélule gastro-résistante". */
export function formOfLabel(form: string): string {
  const parts = form
    .replace(/\s+/g, ' ')
    .trim()
    .split(/ et /)
    .map((segment) => {
      let noun = '';
      return segment
        .split(' ')
        .map((word) => {
          const base = word.replace(/\((?:e|se|ve|s|e\)s|es)\)/g, '');
          if (base !== word && noun !== '') {
            const feminine = FEMININE.test(noun);
            const plural = noun.endsWith('s') || noun.endsWith('x');
            return agree(word, feminine, plural);
          }
          // The adjective agrees with the segment's head noun: "gomme à mâcher médicamenteuse".
          if (noun === '') noun = base;
          return base;
        })
        .join(' ');
    });
  return [...new Set(parts.filter((p) => p !== ''))].join(' et ');
}

/** "effervescent(e)" → "effervescente" (feminine) or "effervescent"; "médicamenteux(se)" → "médicamenteuse". */
function agree(word: string, feminine: boolean, plural: boolean): string {
  const m = /^(.*?)\(([a-z]+)\)(s?)$/.exec(word);
  if (m === null) return word.replace(/\([a-z]+\)/g, '');
  const [, stem = '', ending = '', trailing = ''] = m;
  if (ending === 's') return stem;
  let out = stem;
  if (feminine) {
    if (ending === 'se' && stem.endsWith('x')) out = `${stem.slice(0, -1)}se`;
    else if (ending === 've' && stem.endsWith('f')) out = `${stem.slice(0, -1)}ve`;
    else out = `${stem}${ending}`;
  }
  if (plural || trailing === 's') out = out.endsWith('x') ? out : `${out}s`;
  return out;
}

/** One pharmaceutical element of a label: its substances as written, the ones not named counted. */
export interface DciElement {
  /** "comprimé jour"; named in the label only when the elements differ. */
  element: string;
  /** "amoxicilline 500 mg/5 ml": the DCI, then its strength when there is one. */
  entries: { dci: string; text: string }[];
  /** Substances of the element the label counts ("+ 3 autres substances") instead of naming. */
  others: number;
}

export interface DciDescription {
  /** "amoxicilline 500 mg, gélule"; the specialty name when the composition is unknown. */
  label: string;
  /** DCI names in label order, e.g. ["amoxicilline", "acide clavulanique"]. */
  substances: string[];
  /** Sorted substance keys joined by "+": equal for every strength and form of the same drug. */
  substanceKey: string;
  /** What the label says, element by element (one element when they do not differ). */
  elements: DciElement[];
  /** The form as the label writes it: "comprimé effervescent". */
  form: string;
}

/** An element naming more substances than this shows the first ones and counts the others. */
export const MAX_LABEL_SUBSTANCES = 4;

function labelElement(element: string, entries: readonly Entry[]): DciElement {
  const shown = entries.length > MAX_LABEL_SUBSTANCES ? entries.slice(0, MAX_LABEL_SUBSTANCES - 1) : entries;
  return { element, entries: shown.map((e) => ({ dci: e.dci, text: entryText(e) })), others: entries.length - shown.length };
}

const elementText = (e: DciElement) => e.entries.map((x) => x.text).join(' + ') + (e.others > 0 ? ` + ${strengthNumber(e.others)} autres substances` : '');

/** The label from its parts: "a 1 g + b 2 mg, form", or "el 1 : … ; el 2 : …, form". */
export function dciLabelText(elements: readonly DciElement[], form: string): string {
  const body = elements.length === 1 ? elementText(elements[0]!) : elements.map((e) => `${e.element} : ${elementText(e)}`).join(' ; ');
  return form === '' ? body : `${body}, ${form}`;
}

/**
 * The DCI label of a specialty from its composition: the DCI without salt as prescribing by DCI
 * requires, each once with its strength per unit dose (or per the volume it is given for), the
 * strongest first; every element that holds a substance ("comprimé jour : … ; comprimé nuit :
 * …"), then the form.
 */
export function describeDci(parts: readonly CompositionPart[], form: string, specialtyName: string): DciDescription {
  const cleanForm = formOfLabel(form);
  if (parts.length === 0) return { label: specialtyName.replace(/\s+/g, ' ').trim().replace(/'/g, '’'), substances: [], substanceKey: '', elements: [], form: cleanForm };
  const elements = new Map<string, CompositionPart[]>();
  for (const part of parts) {
    const key = part.element.replace(/\s+/g, ' ').trim().replace(/'/g, '’');
    elements.set(key, [...(elements.get(key) ?? []), part]);
  }
  const described = [...elements].map(([element, rows]) => ({ element, entries: elementEntries(rows, specialtyName).sort(byCanonicalOrder) }));
  // A concentration the name states speaks for a single substance.
  const single = described.length === 1 && described[0]!.entries.length === 1 ? described[0]!.entries[0]!.amount : null;
  const concentration = statedConcentration(specialtyName, single);
  if (concentration !== null && described.length === 1) {
    const only = described[0]!.entries;
    // Even per unit (a patch, a unit-dose eye drop), what a GP prescribes is the rate or the
    // concentration the name states ("25 µg/h", "1 %"), not the content of the unit.
    if (only.length === 1) only[0]!.stated = concentration;
  }
  // Elements that only repeat the same substances without amounts (a homeopathic strain in
  // tablets and in ointment) say nothing more than the first one.
  const substancesOf = (d: (typeof described)[number]) => d.entries.map((e) => e.dci).join('+');
  const textual = described.every((d) => d.entries.every((e) => e.amount === null && e.stated === undefined));
  const sameEverywhere = described.every((d) => substancesOf(d) === substancesOf(described[0]!));
  const distinct = new Map<string, DciElement>();
  for (const d of textual && sameEverywhere ? described.slice(0, 1) : described) {
    const element = labelElement(d.element, d.entries);
    const text = elementText(element);
    if (!distinct.has(text)) distinct.set(text, element);
  }
  const shown = [...distinct.values()];
  const substances = [...new Set(described.flatMap((d) => d.entries.map((e) => e.dci)))];
  const key = [...new Set(substances.map((s) => normalizeText(s)))].sort().join('+');
  return { label: dciLabelText(shown, cleanForm), substances, substanceKey: key, elements: shown, form: cleanForm };
}
