/**
 * Numbers and strengths written in French letters, as a narcotic's prescription requires (CSP
 * R.5132-29: units per intake, number of intakes and strength « en toutes lettres »). The
 * traditional spelling a prescription uses, not the 1990 one: « vingt et un », « quatre-vingts »,
 * « deux cents », « deux cent mille », « mille » invariable, hyphens only below a hundred.
 *
 * Written here rather than taken from a library: `shared/` imports zod only, and the whole rule
 * set is a page long.
 */
import { frenchNumber } from './numbers';

const UNITS = [
  'zéro', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf',
  'dix', 'onze', 'douze', 'treize', 'quatorze', 'quinze', 'seize', 'dix-sept', 'dix-huit', 'dix-neuf',
] as const;
const TENS = ['', '', 'vingt', 'trente', 'quarante', 'cinquante', 'soixante'] as const;

const unitWord = (n: number): string => UNITS[n] ?? '';

/** 0 to 99. */
function belowHundred(n: number): string {
  if (n < 20) return unitWord(n);
  const tens = Math.floor(n / 10);
  const unit = n % 10;
  // 70–79 and 90–99 count on from 60 and 80: « soixante et onze », « quatre-vingt-onze ».
  if (tens === 7) return unit === 1 ? 'soixante et onze' : `soixante-${unitWord(10 + unit)}`;
  if (tens === 9) return `quatre-vingt-${unitWord(10 + unit)}`;
  if (tens === 8) return unit === 0 ? 'quatre-vingts' : `quatre-vingt-${unitWord(unit)}`;
  const ten = TENS[tens] ?? '';
  if (unit === 0) return ten;
  return unit === 1 ? `${ten} et un` : `${ten}-${unitWord(unit)}`;
}

/**
 * 0 to 999. `beforeMille`: « vingt » and « cent » lose their plural « s » before « mille » (an
 * adjective) but keep it before « millions » (a noun): « deux cent mille », « deux cents millions ».
 */
function belowThousand(n: number, beforeMille: boolean): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  let text: string;
  if (hundreds === 0) text = belowHundred(rest);
  else if (hundreds === 1) text = rest === 0 ? 'cent' : `cent ${belowHundred(rest)}`;
  else text = rest === 0 ? `${unitWord(hundreds)} cents` : `${unitWord(hundreds)} cent ${belowHundred(rest)}`;
  return beforeMille ? text.replace(/(cent|vingt)s$/, '$1') : text;
}

/** The largest whole number written in letters; past it, digits (no prescription needs more). */
export const MAX_WORDS = 999_999_999_999;

/**
 * A whole number in letters: 21 → « vingt et un », 80 → « quatre-vingts », 200 → « deux cents »,
 * 201 → « deux cent un », 2000 → « deux mille », 1 000 000 → « un million ». `feminine` agrees the
 * last « un » with a feminine noun: « vingt et une gélules », « une ampoule ».
 */
export function integerWords(value: number, options: { feminine?: boolean } = {}): string {
  if (!Number.isFinite(value) || !Number.isInteger(value)) return frenchNumber(value);
  if (value < 0) return `moins ${integerWords(-value, options)}`;
  if (value > MAX_WORDS) return frenchNumber(value);
  if (value === 0) return 'zéro';
  const billions = Math.floor(value / 1e9);
  const millions = Math.floor((value % 1e9) / 1e6);
  const thousands = Math.floor((value % 1e6) / 1e3);
  const rest = value % 1e3;
  const parts: string[] = [];
  if (billions > 0) parts.push(billions === 1 ? 'un milliard' : `${belowThousand(billions, false)} milliards`);
  if (millions > 0) parts.push(millions === 1 ? 'un million' : `${belowThousand(millions, false)} millions`);
  if (thousands > 0) parts.push(thousands === 1 ? 'mille' : `${belowThousand(thousands, true)} mille`);
  if (rest > 0) {
    const last = belowThousand(rest, false);
    parts.push(options.feminine === true ? last.replace(/(^|[ -])un$/, '$1une') : last);
  }
  return parts.join(' ');
}

/** Decimal digits read as written, leading zeros one by one: « 05 » → « zéro cinq », « 25 » → « vingt-cinq ». */
function decimalWords(digits: string): string {
  const zeros = /^0*/.exec(digits)![0].length;
  const rest = digits.slice(zeros);
  return [...Array<string>(zeros).fill('zéro'), ...(rest === '' ? [] : [integerWords(Number(rest))])].join(' ');
}

/** Digits past `MAX_WORDS` (never met on a prescription), read one by one so no digit is left. */
const digitByDigit = (digits: string): string => Array.from(digits, (d) => unitWord(Number(d))).join(' ');

/**
 * Any number in letters, decimals read digit group after the comma as it is written: 2.5 →
 * « deux virgule cinq », 0.25 → « zéro virgule vingt-cinq », 2.05 → « deux virgule zéro cinq ».
 * The decimals are those `frenchNumber` writes (3 by default), so digits and letters agree.
 * `feminine` agrees a whole number only (« vingt et une »): a decimal is read as a number.
 */
export function frenchWords(value: number, options: { feminine?: boolean; maximumFractionDigits?: number } = {}): string {
  if (!Number.isFinite(value)) return frenchNumber(value);
  const written = frenchNumber(value, options.maximumFractionDigits ?? 3).replace(/[\s\u00a0\u202f]/g, '');
  const match = /^(-?)(\d+)(?:,(\d+))?$/.exec(written);
  if (match === null) return written;
  const [, sign = '', whole = '0', decimals] = match;
  return `${sign === '-' ? 'moins ' : ''}${writtenWords(whole, decimals, options.feminine === true)}`;
}

/** A number as its digits are written (« 1 000 », « 0,0032 »), in letters, nothing rounded. */
function writtenWords(whole: string, decimals: string | undefined, feminine: boolean): string {
  const digits = whole.replace(/[ \u00a0\u202f]/g, '');
  const integer = Number(digits);
  const head = integer > MAX_WORDS ? digitByDigit(digits) : integerWords(integer, { feminine: feminine && decimals === undefined });
  return decimals === undefined ? head : `${head} virgule ${decimalWords(decimals)}`;
}

/** The fractions a dose is cut in, as a prescription writes them. */
export const fractionSigns = ['½', '¼', '¾', '⅓', '⅔'] as const;
export type FractionSign = (typeof fractionSigns)[number];

const FRACTION_VALUES: Readonly<Record<FractionSign, number>> = { '½': 1 / 2, '¼': 1 / 4, '¾': 3 / 4, '⅓': 1 / 3, '⅔': 2 / 3 };
const FRACTION_WORDS: Readonly<Record<FractionSign, string>> = { '½': 'un demi', '¼': 'un quart', '¾': 'trois quarts', '⅓': 'un tiers', '⅔': 'deux tiers' };

/** ½ → « un demi », ¾ → « trois quarts », ⅓ → « un tiers ». */
export function fractionWords(sign: FractionSign): string {
  return FRACTION_WORDS[sign];
}

/**
 * The whole part and the fraction sign of a dose cut in halves, quarters or thirds: 1.5 → 1 and ½,
 * 0.333 → 0 and ⅓ (the contract keeps 3 decimals); null when the fractional part is none of them.
 */
export function splitFraction(value: number): { whole: number; sign: FractionSign } | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  const whole = Math.floor(value + 1e-9);
  const part = value - whole;
  const sign = fractionSigns.find((s) => Math.abs(part - FRACTION_VALUES[s]) < 0.0015);
  return sign === undefined ? null : { whole, sign };
}

/** A unit of measure written in letters, singular and plural, and whether its noun is feminine. */
export interface UnitWords {
  singular: string;
  plural: string;
  feminine: boolean;
}
const words = (singular: string, plural = `${singular}s`, feminine = false): UnitWords => ({ singular, plural, feminine });

/** Units a strength or a dose is written in, in letters (« 25 µg/h »: « microgrammes par heure »). */
export const unitWords: Readonly<Record<string, UnitWords>> = {
  mg: words('milligramme'),
  g: words('gramme'),
  kg: words('kilogramme'),
  µg: words('microgramme'),
  ng: words('nanogramme'),
  ml: words('millilitre'),
  l: words('litre'),
  UI: words('unité internationale', 'unités internationales', true),
  MUI: words('million d’unités internationales', 'millions d’unités internationales'),
  MU: words('million d’unités', 'millions d’unités'),
  U: words('unité', 'unités', true),
  kBq: words('kilobecquerel'),
  MBq: words('mégabecquerel'),
  GBq: words('gigabecquerel'),
  mmol: words('millimole', 'millimoles', true),
  µmol: words('micromole', 'micromoles', true),
  mEq: words('milliéquivalent'),
  h: words('heure', 'heures', true),
  '%': words('pour cent', 'pour cent'),
  '°C': words('degré Celsius', 'degrés Celsius'),
  'cm²': words('centimètre carré', 'centimètres carrés'),
  cm: words('centimètre'),
  mm: words('millimètre'),
};

/** « de » or « d’ » before a noun: « un million d’unités », « un million de grammes ». */
export const elidedDe = (noun: string): string => (/^[aeiouyàâéèêëîïôöûüh]/i.test(noun) ? `d’${noun}` : `de ${noun}`);

/**
 * A number already in letters followed by its unit: singular below 2 (« un virgule cinq
 * milligramme », as the Académie counts), « de » after a round million (« un million d’unités
 * internationales »).
 */
function withUnit(numberWords: string, value: number, w: UnitWords): string {
  const noun = Math.abs(value) < 2 ? w.singular : w.plural;
  if (/(?:million|milliard)s?$/.test(numberWords) && w !== unitWords['%']) return `${numberWords} ${elidedDe(noun)}`;
  return `${numberWords} ${noun}`;
}

/** A quantity in letters: « un virgule cinq milligramme », « vingt et une unités internationales ». */
export function quantityWords(value: number, unit: UnitWords | string): string {
  const w = typeof unit === 'string' ? (unitWords[unit] ?? words(unit, unit)) : unit;
  return withUnit(frenchWords(value, { feminine: w.feminine }), value, w);
}

// The spellings met in BDPM labels and names, mapped to the keys of `unitWords`.
const UNIT_SPELLINGS: readonly [RegExp, string][] = [
  [/^(?:mg|milligrammes?)$/i, 'mg'],
  [/^(?:g|grammes?)$/i, 'g'],
  [/^(?:kg|kilogrammes?)$/i, 'kg'],
  [/^(?:µg|μg|mcg|microgrammes?)$/i, 'µg'],
  [/^(?:ng|nanogrammes?)$/i, 'ng'],
  [/^(?:ml|millilitres?)$/i, 'ml'],
  [/^(?:l|litres?)$/i, 'l'],
  // « Ul » (a lower-case L) is a typing slip of the BDPM for « UI »; « IU » the English order.
  [/^(?:UI|U\.I\.?|Ul|IU|unités? internationales?)$/i, 'UI'],
  [/^(?:MUI|M\.? ?U\.? ?I\.?)$/i, 'MUI'],
  [/^MU$/, 'MU'],
  [/^(?:U|U\.|unités?)$/i, 'U'],
  [/^kBq$/i, 'kBq'],
  [/^MBq$/i, 'MBq'],
  [/^GBq$/i, 'GBq'],
  [/^(?:mmol|millimoles?)$/i, 'mmol'],
  [/^(?:µmol|μmol|micromoles?)$/i, 'µmol'],
  [/^mEq$/i, 'mEq'],
  [/^(?:h|heures?)$/i, 'h'],
  [/^(?:%|pour ?cent)$/i, '%'],
  [/^°C$/, '°C'],
  [/^(?:cm²|cm2|cm\^\^2)$/i, 'cm²'],
  [/^cm$/i, 'cm'],
  [/^mm$/i, 'mm'],
];

function unitKey(text: string): string | null {
  const found = UNIT_SPELLINGS.find(([pattern]) => pattern.test(text));
  return found === undefined ? null : found[1];
}

// A number as labels and names write it: « 2,5 », « 0.5 », « 1 000 000 ». Thousands are grouped
// by the no-break spaces `frenchNumber` writes; a plain space groups only « 000 » groups, as in
// « 1 500 000 UI », because it also separates a name's number from a strength (« polysorbate 80
// 200 mg », « vitamine D3 400 UI ») and reading those as one number would be wrong by a thousand.
const NUMBER = String.raw`\d{1,3}(?:[\u00a0\u202f]\d{3})+(?!\d)(?:[,.]\d+)?|\d{1,3}(?:\.\d{3}){2,}(?![\d.])|\d{1,3}(?: \d{3})*(?: 000)(?![\d\u00a0\u202f])(?:[,.]\d+)?|\d+(?:[,.]\d+)?`;
const UNIT = String.raw`unités? internationales?|M\.? ?U\.? ?I\.?|U\.I\.?|pour ?cent|cm\^\^2|°C|[%²]|[\p{L}µμ]+(?:\.(?![\p{L}\d]))?²?`;
// A unit is a whole word: not followed by a letter, a digit, or a dot and a letter (« U.CEIP »).
const UNIT_END = String.raw`(?![\p{L}\d]|\.\p{L})`;
const QUANTITY = new RegExp(String.raw`(\p{L})?(${NUMBER})(?:(\s?)(${UNIT})${UNIT_END})?`, 'gu');
// After a slash: « /5 ml », « /ml », « /24 h », « /dose », « / 5 ml ».
const PER = new RegExp(String.raw`^\s?/\s?(?:(${NUMBER})\s?)?(${UNIT})?${UNIT_END}`, 'u');
// Nouns a count agrees with, when they follow it (« 1 dose vaccinante » → « une dose »).
const FEMININE_NOUN = /^\s?(?:autres?\s)?(?:doses?|gouttes?|gélules?|ampoules?|capsules?|seringues?|bouffées?|pulvérisations?|applications?|injections?|unités?|heures?|semaines?|fois|cuillères?|cuillerées?|prises?|pipettes?|pastilles?|gommes?|minutes?|boîtes?|substances?|souches?)(?![\p{L}])/u;

/** « 2,5 » → its whole and decimal digits. */
function splitWritten(text: string): [string, string | undefined] {
  // « 1.000.000 »: dots between groups of three, more than one, are thousands.
  if (/^\d{1,3}(?:\.\d{3}){2,}$/.test(text)) return [text.replace(/\./g, ''), undefined];
  const [whole = '0', decimals] = text.split(/[,.]/);
  return [whole, decimals];
}

function parseNumber(text: string): number {
  const [whole, decimals] = splitWritten(text);
  return Number(`${whole.replace(/[ \u00a0\u202f]/g, '')}${decimals === undefined ? '' : `.${decimals}`}`);
}

/**
 * A written number in letters, with its unit in words when one follows (`known`). Any other word
 * after it is left to the text; the count agrees with it when it is a feminine noun (« une dose »).
 */
function writtenQuantity(numberText: string, unitText: string | undefined, after: string): { text: string; known: boolean } {
  const [whole, decimals] = splitWritten(numberText);
  const key = unitText === undefined ? null : unitKey(unitText.replace(/\.$/, '').replace(/\s+/g, ' '));
  if (key !== null) {
    const w = unitWords[key]!;
    const text = withUnit(writtenWords(whole, decimals, w.feminine), parseNumber(numberText), w);
    // The dot after a unit is its abbreviation's (« 100 U. pour » → « cent unités pour ») unless
    // it ends a sentence (« à 8 h. », « 230 microgrammes. Trousse »).
    const rest = after.slice(/^\s?/.exec(after)![0].length + unitText!.length);
    return { text: unitText!.endsWith('.') && (rest === '' || /^\s+\p{Lu}/u.test(rest)) ? `${text}.` : text, known: true };
  }
  const letters = writtenWords(whole, decimals, FEMININE_NOUN.test(after));
  // « 2CH » → « deux CH », « h1n1 » → « h un n un »: letters glued to a number get a space.
  return { text: /^\p{L}/u.test(after) ? `${letters} ` : letters, known: false };
}

/**
 * Every number of a label or a name in letters, with the unit after it: « morphine 10 mg,
 * gélule » → « morphine dix milligrammes, gélule »; « 2,5 mg/ml » → « deux virgule cinq
 * milligrammes par millilitre »; « 25 µg/h » → « vingt-cinq microgrammes par heure »; « 10 mg/5
 * ml » → « dix milligrammes par cinq millilitres »; « 8/1 » → « huit sur un »; « 20 - 48 UI » →
 * « vingt à quarante-huit unités internationales »; « 10^5 » → « dix puissance cinq ». Decimals
 * are read as written, never rounded (« 0,0032 mg »: « zéro virgule zéro zéro trente-deux »).
 * Words that are not units stay as written (« 5 CH » → « cinq CH »); the result has no digit.
 */
export function numbersInWords(text: string): string {
  let out = '';
  let index = 0;
  // A number came before: « 20 - 48 » is then a range, « 10^5 » a power.
  let afterNumber = false;
  QUANTITY.lastIndex = 0;
  for (let m = QUANTITY.exec(text); m !== null; m = QUANTITY.exec(text)) {
    const [whole, letterBefore, numberText = '', , unitText] = m;
    const start = m.index + (letterBefore?.length ?? 0);
    const numberEnd = start + numberText.length;
    const quantity = writtenQuantity(numberText, unitText, text.slice(numberEnd));
    // A word that is not a unit stays in the text, to be read as it is (« 5 CH », « 155 à »).
    let end = quantity.known ? m.index + whole.length : numberEnd;
    let gap = text.slice(index, start);
    if (afterNumber && /^\s?-\s?$/.test(gap)) {
      // « 10-13,15 g », « 20 - 48 UI »: a range; « 38-1503 » (a strain): two numbers apart.
      gap = quantity.known ? ' à ' : ' - ';
    } else if (afterNumber && /^\^{1,2}$/.test(gap)) {
      gap = ' puissance ';
    } else if (/(?:^|[\s(])-\s?$/.test(gap)) {
      // « à -150 °C »: a minus sign, not a hyphen glued to a word (« bêta-1a », « glucose-1 »).
      gap = gap.replace(/-\s?$/, 'moins ');
    }
    out += gap;
    // « B12 » → « B douze »: a number glued to a word gets a space of its own.
    if (letterBefore !== undefined) out += ' ';
    out += quantity.text;
    QUANTITY.lastIndex = end;
    const per = quantity.known || unitText === undefined ? PER.exec(text.slice(end)) : null;
    if (per !== null && (per[1] !== undefined || per[2] !== undefined)) {
      const [perText, perNumber, perUnit] = per;
      const perKey = perUnit === undefined ? null : unitKey(perUnit.replace(/\.$/, ''));
      if (perNumber === undefined) out += ` par ${perKey === null ? perUnit! : unitWords[perKey]!.singular}`;
      else if (perUnit === undefined) out += ` sur ${writtenWords(...splitWritten(perNumber), false)}`;
      else {
        const [perWhole, perDecimals] = splitWritten(perNumber);
        const w = perKey === null ? null : unitWords[perKey]!;
        out += ` par ${w === null ? `${writtenWords(perWhole, perDecimals, false)} ${perUnit}` : withUnit(writtenWords(perWhole, perDecimals, w.feminine), parseNumber(perNumber), w)}`;
      }
      end += perText.length;
      QUANTITY.lastIndex = end;
    }
    index = end;
    afterNumber = true;
  }
  return out + text.slice(index);
}
