/**
 * French rendering of a prescription line: « amoxicilline 500 mg, gélule — 2 gélules matin et
 * soir pendant 7 jours ». Pure; the service stores what it returns with each line.
 *
 * A narcotic's line is written in letters (CSP R.5132-29: units per intake, number of intakes and
 * strength « en toutes lettres »): « morphine dix milligrammes, gélule — deux gélules matin et
 * soir pendant vingt-huit jours ». Every number of such a line is in letters, the label's and the
 * brand's strength, the durations, packs and renewals, and the numbers of the GP's instructions,
 * so that nothing on it can be read or altered as digits.
 */
import { doseUnitNouns, type DoseUnitNoun } from './dose-units';
import { elidedDe, fractionWords, frenchWords, integerWords, numbersInWords, splitFraction, type FractionSign } from './french-words';
import { frenchNumber } from './numbers';
import type { Duration, FrozenDrug, Line, Moment, Posology } from './prescription';

export interface RenderOptions {
  /** Every number in letters. `renderLine` sets it for a narcotic unless told otherwise. */
  letters?: boolean;
}

const nounOf = (unit: string): DoseUnitNoun =>
  (doseUnitNouns as Readonly<Record<string, DoseUnitNoun | undefined>>)[unit] ?? { singular: unit, plural: unit, feminine: false, measured: true };

/** A whole count in letters or digits, agreed with a feminine noun: « une », « vingt et une », « 21 ». */
const count = (n: number, feminine: boolean, letters: boolean): string => (letters ? integerWords(n, { feminine }) : frenchNumber(n));

/** « ½ » after a whole count, in letters: « et demi(e) », « et un quart », « et deux tiers ». */
function fractionAfter(sign: FractionSign, feminine: boolean): string {
  return sign === '½' ? (feminine ? 'et demie' : 'et demi') : `et ${fractionWords(sign)}`;
}

/**
 * A dose: « 1 gélule », « 2 gélules », « ½ comprimé », « ¼ de comprimé », « 1 comprimé ½ »,
 * « 2,5 ml », « 3 gouttes », « 2 cuillères-mesure »; in letters « une gélule », « un
 * demi-comprimé », « une demi-gélule », « un quart de comprimé », « une gélule et demie »,
 * « deux virgule cinq millilitres », « vingt et une gouttes ». A noun is plural from 2.
 */
export function quantityText(value: number, unit: string, options: RenderOptions = {}): string {
  const letters = options.letters === true;
  const noun = nounOf(unit);
  if (noun.measured) {
    const words = noun.words ?? { singular: noun.singular, plural: noun.plural };
    const plural = Math.abs(value) >= 2;
    if (!letters) return `${frenchNumber(value)} ${plural ? noun.plural : noun.singular}`;
    return `${frenchWords(value, { feminine: noun.feminine })} ${plural ? words.plural : words.singular}`;
  }
  const fraction = splitFraction(value);
  if (fraction === null) {
    const plural = value >= 2 ? noun.plural : noun.singular;
    return `${letters ? frenchWords(value, { feminine: noun.feminine }) : frenchNumber(value)} ${plural}`;
  }
  const { whole, sign } = fraction;
  if (whole === 0) {
    if (sign === '½') return letters ? `${noun.feminine ? 'une' : 'un'} demi-${noun.singular}` : `½ ${noun.singular}`;
    // « ¼ de comprimé », « ¾ d’ampoule »: a quarter, a third of the noun.
    return `${letters ? fractionWords(sign) : sign} ${elidedDe(noun.singular)}`;
  }
  const head = `${count(whole, noun.feminine, letters)} ${whole >= 2 ? noun.plural : noun.singular}`;
  return letters ? `${head} ${fractionAfter(sign, noun.feminine)}` : `${head} ${sign}`;
}

const momentText = (moments: readonly Moment[]): string => {
  if (moments.length === 1) return moments[0] === 'coucher' ? 'au coucher' : `le ${moments[0]!}`;
  const words = moments.map((m) => (m === 'coucher' ? 'au coucher' : m));
  return `${words.slice(0, -1).join(', ')} et ${words[words.length - 1]!}`;
};

/** « 2 fois par jour », « 1 fois par semaine », « toutes les 6 heures »; in letters « deux fois par jour ». */
function frequencyText(p: Posology, letters: boolean): string {
  const f = p.frequency;
  if (f.kind === 'everyHours') return f.hours === 1 ? 'toutes les heures' : `toutes les ${count(f.hours, true, letters)} heures`;
  if (f.kind === 'perWeek') return `${count(f.times, true, letters)} fois par semaine`;
  if (p.moments.length > 0 && f.times === p.moments.length) return momentText(p.moments);
  // « 1 comprimé par jour » is plain; « 2 comprimés par jour » could be two intakes, hence « 1 fois ».
  if (f.times === 1 && p.dose <= 1) return 'par jour';
  return `${count(f.times, true, letters)} fois par jour`;
}

/**
 * « 2 gélules matin et soir », « 1 gélule toutes les 6 heures si besoin, au maximum 4 gélules
 * par 24 heures », « 1 application 2 fois par jour par voie cutanée » (the oral route is left
 * implicit).
 */
export function renderPosology(p: Posology, options: RenderOptions = {}): string {
  const letters = options.letters === true;
  const parts = [quantityText(p.dose, p.unit, options), frequencyText(p, letters)];
  if (p.asNeeded) {
    parts.push(p.maxPer24h === null ? 'si besoin' : `si besoin, au maximum ${quantityText(p.maxPer24h, p.unit, options)} par ${letters ? 'vingt-quatre' : '24'} heures`);
  }
  // The BDPM names some routes « voie … » already (« voie buccale autre »).
  if (p.route !== null && p.route !== '' && p.route !== 'orale') parts.push(/^voie\b/.test(p.route) ? `par ${p.route}` : `par voie ${p.route}`);
  return parts.join(' ');
}

const durationNouns: Record<Duration['unit'], { one: string; many: string; feminine: boolean }> = {
  days: { one: 'jour', many: 'jours', feminine: false },
  weeks: { one: 'semaine', many: 'semaines', feminine: true },
  months: { one: 'mois', many: 'mois', feminine: false },
};

/** « pendant 7 jours », « pendant 1 mois »; in letters « pendant vingt-huit jours », « pendant une semaine ». */
export function renderDuration(d: Duration, options: RenderOptions = {}): string {
  const noun = durationNouns[d.unit];
  return `pendant ${count(d.value, noun.feminine, options.letters === true)} ${d.value === 1 ? noun.one : noun.many}`;
}

/**
 * The whole line: the DCI label (and the brand when asked), the posology, the duration or the
 * packs, the renewals, the non-substitution and the instructions. `options.letters` defaults to
 * the frozen drug's narcotic flag.
 */
export function renderLine(line: Line, drug: FrozenDrug | null, options: RenderOptions = {}): string {
  const letters = options.letters ?? (drug !== null && drug.flags.narcotic);
  const spell = (text: string) => (letters ? numbersInWords(text) : text);
  const head = line.kind === 'free' ? spell(line.text) : `${spell(drug?.dciLabel ?? '')}${line.showBrand && drug !== null ? ` (${spell(drug.brand)})` : ''}`;
  const tail: string[] = [];
  if (line.posology !== null) tail.push(renderPosology(line.posology, { letters }));
  if (line.duration !== null) tail.push(renderDuration(line.duration, { letters }));
  let text = tail.length > 0 ? `${head} — ${tail.join(' ')}` : head;
  if (line.duration === null && line.packs !== null) text += `, ${count(line.packs, true, letters)} ${line.packs === 1 ? 'boîte' : 'boîtes'}`;
  if (line.renewals > 0) text += `, à renouveler ${count(line.renewals, true, letters)} fois`;
  if (line.nonSubstitution !== null) text += `. Non substituable (${line.nonSubstitution})`;
  if (line.instructions !== '') text += `. ${spell(line.instructions)}`;
  return text;
}

