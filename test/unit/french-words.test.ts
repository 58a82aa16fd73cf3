/**
 * Numbers and strengths in French letters (shared/domain/french-words.ts), as a narcotic's
 * prescription writes them: pinned spellings of the traditional rules, a round trip through an
 * independent reader of French numbers, and every DCI label of the real BDPM 2019 release.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../electron/drugs/bdpm-files';
import { describeDci, type CompositionPart } from '../../shared/domain/dci';
import {
  MAX_WORDS,
  elidedDe,
  fractionSigns,
  fractionWords,
  frenchWords,
  integerWords,
  numbersInWords,
  quantityWords,
  splitFraction,
  unitWords,
} from '../../shared/domain/french-words';
import { hasSharedData, repoRoot, sharedDataDir } from '../support/paths';

// An independent reader of French numbers in letters, to prove the writer by a round trip.
const SMALL: Readonly<Record<string, number>> = {
  zéro: 0, un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9,
  dix: 10, onze: 11, douze: 12, treize: 13, quatorze: 14, quinze: 15, seize: 16,
  vingt: 20, vingts: 20, trente: 30, quarante: 40, cinquante: 50, soixante: 60,
};
const SCALES = new Set(['cent', 'cents', 'mille', 'million', 'millions', 'milliard', 'milliards']);
const isNumberWord = (t: string) => t in SMALL || SCALES.has(t);

function readInteger(tokens: readonly string[]): number {
  let total = 0;
  let thousands = 0;
  let current = 0;
  for (const t of tokens) {
    if (t === 'et') continue;
    const small = SMALL[t];
    if (small !== undefined) {
      // « quatre-vingt(s) »: four twenties.
      current = small === 20 && current % 100 === 4 ? current - 4 + 80 : current + small;
    } else if (t === 'cent' || t === 'cents') current = (current === 0 ? 1 : current) * 100;
    else if (t === 'mille') {
      thousands = (current === 0 ? 1 : current) * 1000;
      current = 0;
    } else if (t.startsWith('million')) {
      total += current * 1e6;
      current = 0;
    } else if (t.startsWith('milliard')) {
      total += current * 1e9;
      current = 0;
    } else throw new Error(`not a number word: ${t}`);
  }
  return total + thousands + current;
}

/** « deux virgule zéro cinq » → « 2,05 »: the number as its digits would be written. */
function readNumber(tokens: readonly string[]): string {
  const comma = tokens.indexOf('virgule');
  if (comma === -1) return String(readInteger(tokens));
  const decimals = tokens.slice(comma + 1);
  const zeros = decimals.findIndex((t) => t !== 'zéro');
  const rest = zeros === -1 ? [] : decimals.slice(zeros);
  return `${readInteger(tokens.slice(0, comma))},${'0'.repeat(zeros === -1 ? decimals.length : zeros)}${rest.length > 0 ? readInteger(rest) : ''}`;
}

/** Every number a text spells, in order, as digits (« 0,05 », « 2 »). */
function numbersRead(text: string): string[] {
  const found: string[] = [];
  let group: string[] = [];
  const flush = () => {
    while (group.length > 0 && (group[group.length - 1] === 'et' || group[group.length - 1] === 'virgule')) group.pop();
    if (group.length > 0) found.push(readNumber(group));
    group = [];
  };
  // « cinq pour cent » is a unit, not a hundred; « pour cent millilitres » is a hundred.
  // Punctuation ends a number as a spaced hyphen does (« dix, zéro gramme » is two).
  for (const raw of text.replace(/pour cent(?! (?:milli|gramme|litre))/g, 'pourcent').replace(/[,;:()[\]/+]/g, ' - ').split(/\s+/)) {
    if (raw === '-' || raw === '') {
      flush();
      continue;
    }
    for (const t of raw.split('-')) {
      if (isNumberWord(t) || ((t === 'et' || t === 'virgule') && group.length > 0)) group.push(t);
      else flush();
    }
  }
  flush();
  return found;
}

/** The numbers a label writes in digits, as `numbersRead` returns them. */
const digitsOf = (text: string): string[] => [...text.matchAll(/\d+(?:[\u202f\u00a0]\d{3})*(?:,\d+)?/g)].map((m) => m[0].replace(/[\u202f\u00a0]/g, ''));

describe('integerWords: the traditional spelling', () => {
  it.each([
    [0, 'zéro'],
    [1, 'un'],
    [7, 'sept'],
    [16, 'seize'],
    [17, 'dix-sept'],
    [20, 'vingt'],
    [21, 'vingt et un'],
    [22, 'vingt-deux'],
    [31, 'trente et un'],
    [61, 'soixante et un'],
    [70, 'soixante-dix'],
    [71, 'soixante et onze'],
    [72, 'soixante-douze'],
    [79, 'soixante-dix-neuf'],
    [80, 'quatre-vingts'],
    [81, 'quatre-vingt-un'],
    [89, 'quatre-vingt-neuf'],
    [90, 'quatre-vingt-dix'],
    [91, 'quatre-vingt-onze'],
    [99, 'quatre-vingt-dix-neuf'],
    [100, 'cent'],
    [101, 'cent un'],
    [180, 'cent quatre-vingts'],
    [200, 'deux cents'],
    [201, 'deux cent un'],
    [280, 'deux cent quatre-vingts'],
    [999, 'neuf cent quatre-vingt-dix-neuf'],
    [1000, 'mille'],
    [1001, 'mille un'],
    [1100, 'mille cent'],
    [2000, 'deux mille'],
    [21_000, 'vingt et un mille'],
    [80_000, 'quatre-vingt mille'],
    [200_000, 'deux cent mille'],
    [280_080, 'deux cent quatre-vingt mille quatre-vingts'],
    [1_000_000, 'un million'],
    [1_200_000, 'un million deux cent mille'],
    [2_000_000, 'deux millions'],
    [80_000_000, 'quatre-vingts millions'],
    [200_000_000, 'deux cents millions'],
    [1_000_000_000, 'un milliard'],
    [3_000_000_001, 'trois milliards un'],
    [-5, 'moins cinq'],
  ])('%d → « %s »', (n, text) => {
    expect(integerWords(n)).toBe(text);
  });

  it('agrees the last « un » with a feminine noun, and nothing else', () => {
    expect(integerWords(1, { feminine: true })).toBe('une');
    expect(integerWords(21, { feminine: true })).toBe('vingt et une');
    expect(integerWords(41, { feminine: true })).toBe('quarante et une');
    expect(integerWords(81, { feminine: true })).toBe('quatre-vingt-une');
    expect(integerWords(101, { feminine: true })).toBe('cent une');
    expect(integerWords(1001, { feminine: true })).toBe('mille une');
    // « onze », « un million », « vingt et un mille »: no final « un » to agree.
    expect(integerWords(71, { feminine: true })).toBe('soixante et onze');
    expect(integerWords(11, { feminine: true })).toBe('onze');
    expect(integerWords(1_000_000, { feminine: true })).toBe('un million');
    expect(integerWords(21_000, { feminine: true })).toBe('vingt et un mille');
    expect(integerWords(22, { feminine: true })).toBe('vingt-deux');
  });

  it('leaves what is not a whole number in range to digits', () => {
    expect(integerWords(2.5)).toBe('2,5');
    expect(integerWords(MAX_WORDS + 1)).toMatch(/^\d/);
    expect(integerWords(MAX_WORDS)).toBe('neuf cent quatre-vingt-dix-neuf milliards neuf cent quatre-vingt-dix-neuf millions neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf');
  });

  it('reads back as the same number, from 0 to 100 000 and at random up to the largest', () => {
    for (let n = 0; n <= 100_000; n++) {
      const text = integerWords(n);
      if (readNumber(text.split(/[\s-]+/)) !== String(n)) throw new Error(`${n} → ${text}`);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_WORDS }), (n) => readNumber(integerWords(n).split(/[\s-]+/)) === String(n)),
      { seed: 20260314, numRuns: 5000 },
    );
  });

  it('follows the spelling rules at random: hyphens below a hundred only, « cents » and « vingts » plural only at the end or before a noun', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_WORDS }), (n) => {
        const text = integerWords(n);
        const words = text.split(' ');
        // No hyphen touches « cent », « mille », « million », « milliard », « et ».
        if (/-(?:cents?|mille|millions?|milliards?|et)\b|\b(?:cents?|mille|millions?|milliards?|et)-/.test(text)) return false;
        return words.every((w, i) => {
          const next = words[i + 1];
          if (/(?:cents|quatre-vingts)$/.test(w)) return next === undefined || /^(?:millions|milliards)$/.test(next);
          return true;
        });
      }),
      { seed: 20260315, numRuns: 5000 },
    );
    expect(integerWords(300_080_000)).toBe('trois cents millions quatre-vingt mille');
  });
});

describe('frenchWords: decimals read as written', () => {
  it.each([
    [2.5, 'deux virgule cinq'],
    [0.25, 'zéro virgule vingt-cinq'],
    [2.05, 'deux virgule zéro cinq'],
    [0.5, 'zéro virgule cinq'],
    [1.333, 'un virgule trois cent trente-trois'],
    [0.1 + 0.2, 'zéro virgule trois'],
    [12, 'douze'],
    [-2.5, 'moins deux virgule cinq'],
    [1200.5, 'mille deux cents virgule cinq'],
  ])('%d → « %s »', (value, text) => {
    expect(frenchWords(value)).toBe(text);
  });

  it('agrees a whole number only, and keeps as many decimals as it is told', () => {
    expect(frenchWords(21, { feminine: true })).toBe('vingt et une');
    expect(frenchWords(1.5, { feminine: true })).toBe('un virgule cinq');
    expect(frenchWords(0.0032)).toBe('zéro virgule zéro zéro trois');
    expect(frenchWords(0.0032, { maximumFractionDigits: 4 })).toBe('zéro virgule zéro zéro trente-deux');
  });
});

describe('fractions', () => {
  it('names each fraction sign', () => {
    expect(fractionSigns.map((s) => fractionWords(s))).toEqual(['un demi', 'un quart', 'trois quarts', 'un tiers', 'deux tiers']);
  });

  it.each([
    [0.5, 0, '½'],
    [1.5, 1, '½'],
    [0.25, 0, '¼'],
    [2.75, 2, '¾'],
    [0.333, 0, '⅓'],
    [1.667, 1, '⅔'],
  ])('splits %d into %d and %s', (value, whole, sign) => {
    expect(splitFraction(value)).toEqual({ whole, sign });
  });

  it.each([1, 2, 0.2, 1.1, 0, -0.5, Number.NaN])('finds no fraction in %d', (value) => {
    expect(splitFraction(value)).toBeNull();
  });
});

describe('quantityWords and units', () => {
  it.each([
    [10, 'mg', 'dix milligrammes'],
    [1, 'mg', 'un milligramme'],
    [1.5, 'mg', 'un virgule cinq milligramme'],
    [2, 'ml', 'deux millilitres'],
    [21, 'UI', 'vingt et une unités internationales'],
    [1, 'UI', 'une unité internationale'],
    [1_000_000, 'UI', 'un million d’unités internationales'],
    [2_000_000, 'mg', 'deux millions de milligrammes'],
    [24, 'h', 'vingt-quatre heures'],
    [5, '%', 'cinq pour cent'],
    [5, 'CH', 'cinq CH'],
  ])('%d %s → « %s »', (value, unit, text) => {
    expect(quantityWords(value, unit)).toBe(text);
  });

  it('elides « de » before a vowel or a mute h', () => {
    expect(elidedDe('unités')).toBe('d’unités');
    expect(elidedDe('heures')).toBe('d’heures');
    expect(elidedDe('ampoule')).toBe('d’ampoule');
    expect(elidedDe('comprimé')).toBe('de comprimé');
  });

  it('writes every unit word without a digit', () => {
    for (const w of Object.values(unitWords)) expect(`${w.singular} ${w.plural}`).not.toMatch(/\d/);
  });
});

describe('numbersInWords: strengths of labels and names', () => {
  it.each([
    ['morphine 10 mg, gélule', 'morphine dix milligrammes, gélule'],
    ['fentanyl 25 µg/h, dispositif', 'fentanyl vingt-cinq microgrammes par heure, dispositif'],
    ['morphine 10 mg/5 ml, solution buvable', 'morphine dix milligrammes par cinq millilitres, solution buvable'],
    ['oxycodone 2,5 mg/ml', 'oxycodone deux virgule cinq milligrammes par millilitre'],
    ['méthadone 5 mg/3,75 ml, sirop', 'méthadone cinq milligrammes par trois virgule soixante-quinze millilitres, sirop'],
    ['fentanyl 0,05 mg/ml, solution injectable', 'fentanyl zéro virgule zéro cinq milligramme par millilitre, solution injectable'],
    ['fentanyl 1,2 mg, film orodispersible', 'fentanyl un virgule deux milligramme, film orodispersible'],
    ['oxycodone 80 mg', 'oxycodone quatre-vingts milligrammes'],
    ['fentanyl 267 µg, comprimé', 'fentanyl deux cent soixante-sept microgrammes, comprimé'],
    ['rémifentanil 1 mg/flacon', 'rémifentanil un milligramme par flacon'],
    ['fentanyl 100 µg/pulvérisation', 'fentanyl cent microgrammes par pulvérisation'],
    ['lidocaïne 10 mg/ 5 ml', 'lidocaïne dix milligrammes par cinq millilitres'],
    ['insuline glargine 100 UI/ml', 'insuline glargine cent unités internationales par millilitre'],
    ['insuline glargine 100 unités pour 1 ml', 'insuline glargine cent unités pour un millilitre'],
    ['aciclovir 5 %, crème', 'aciclovir cinq pour cent, crème'],
    // Words are left as written: a brand's capitals stay.
    ['DIPROSONE 0,05 POUR CENT, lotion', 'DIPROSONE zéro virgule zéro cinq POUR CENT, lotion'],
    ['iode [123I] 74 MBq/ml', 'iode [cent vingt-trois I] soixante-quatorze mégabecquerels par millilitre'],
    ['8/1', 'huit sur un'],
  ])('« %s »', (label, text) => {
    expect(numbersInWords(label)).toBe(text);
  });

  it('reads thousands grouped by no-break spaces, by plain spaces in « 000 » groups, and by dots', () => {
    expect(numbersInWords('cholécalciférol 200\u202f000 UI/ml')).toBe('cholécalciférol deux cent mille unités internationales par millilitre');
    expect(numbersInWords('daltéparine 12\u00a0500 UI')).toBe('daltéparine douze mille cinq cents unités internationales');
    expect(numbersInWords('polymyxine B 1 000 000 UI/100 ml')).toBe('polymyxine B un million d’unités internationales par cent millilitres');
    expect(numbersInWords('framycétine 1 673 000 UI')).toBe('framycétine un million six cent soixante-treize mille unités internationales');
    expect(numbersInWords('polymyxine B 1.000.000 UI')).toBe('polymyxine B un million d’unités internationales');
    // A plain space also ends a name's number: « D3 » then « 400 UI », « polysorbate 80 » then « 200 mg ».
    expect(numbersInWords('vitamine D3 400 UI')).toBe('vitamine D trois quatre cents unités internationales');
    expect(numbersInWords('polysorbate 80 200 mg/100 ml')).toBe('polysorbate quatre-vingts deux cents milligrammes par cent millilitres');
    // « oméga-3 1000 mg »: not « 3 100 » and « 0 mg ».
    expect(numbersInWords('oméga-3 1000 mg')).toBe('oméga-trois mille milligrammes');
  });

  it('never rounds a decimal: it reads the digits written', () => {
    expect(numbersInWords('kathon cg 0,0032 mg')).toBe('kathon cg zéro virgule zéro zéro trente-deux milligramme');
    expect(numbersInWords('chlorure d’yttrium 1,850 GBq')).toBe('chlorure d’yttrium un virgule huit cent cinquante gigabecquerel');
    expect(numbersInWords('virus au minimum 10^^3,0 DICC50')).toBe('virus au minimum dix puissance trois virgule zéro DICC cinquante');
  });

  it('writes ranges, powers and signs', () => {
    expect(numbersInWords('thrombine 800 - 1200 UI pour 1 ml')).toBe('thrombine huit cents à mille deux cents unités internationales pour un millilitre');
    expect(numbersInWords('séné 10-13,15 g')).toBe('séné dix à treize virgule quinze grammes');
    expect(numbersInWords('souche pm/wi 38-1503-3m')).toBe('souche pm/wi trente-huit - mille cinq cent trois - trois m');
    expect(numbersInWords('2-8 x 10^5 UFC')).toBe('deux - huit x dix puissance cinq UFC');
    expect(numbersInWords('oxygène (de -155 à - 145°C)')).toBe('oxygène (de moins cent cinquante-cinq à moins cent quarante-cinq degrés Celsius)');
    // A hyphen glued to a word is no minus sign.
    expect(numbersInWords('interféron bêta-1a 30 µg')).toBe('interféron bêta-un a trente microgrammes');
  });

  it('spaces numbers glued to letters and leaves words that are not units as they are', () => {
    expect(numbersInWords('vitamine B12')).toBe('vitamine B douze');
    expect(numbersInWords('souche (h1n1)')).toBe('souche (h un n un)');
    expect(numbersInWords('abies 2CH à 30CH et 4DH à 60DH')).toBe('abies deux CH à trente CH et quatre DH à soixante DH');
    expect(numbersInWords('gallium [67Ga] 37MBq pour 1ml')).toBe('gallium [soixante-sept Ga] trente-sept mégabecquerels pour un millilitre');
    expect(numbersInWords('alfa-amylase 200 U.CEIP pour 1 ml')).toBe('alfa-amylase deux cents U.CEIP pour un millilitre');
  });

  it('drops an abbreviation’s dot, keeps a sentence’s, and agrees with a feminine noun', () => {
    expect(numbersInWords('toxine 100 U. pour un flacon')).toBe('toxine cent unités pour un flacon');
    expect(numbersInWords('spiramycine 1,5 M U.I., comprimé')).toBe('spiramycine un virgule cinq million d’unités internationales, comprimé');
    expect(numbersInWords('MYOVIEW 230 microgrammes. Trousse')).toBe('MYOVIEW deux cent trente microgrammes. Trousse');
    expect(numbersInWords('Changer le patch à 8 h.')).toBe('Changer le patch à huit heures.');
    expect(numbersInWords('Prendre 5 mg. Puis 10 mg.')).toBe('Prendre cinq milligrammes. Puis dix milligrammes.');
    expect(numbersInWords('anatoxine 1 dose vaccinante')).toBe('anatoxine une dose vaccinante');
    expect(numbersInWords('qsp 1 ampoule')).toBe('qsp une ampoule');
    expect(numbersInWords('21 gouttes')).toBe('vingt et une gouttes');
    expect(numbersInWords('+ 21 autres substances')).toBe('+ vingt et une autres substances');
    expect(numbersInWords('tinzaparine 4\u202f500 Ul Anti-Xa')).toBe('tinzaparine quatre mille cinq cents unités internationales Anti-Xa');
  });

  it('leaves a text without a number as it is', () => {
    expect(numbersInWords('paracétamol, comprimé')).toBe('paracétamol, comprimé');
    expect(numbersInWords('')).toBe('');
  });
});

interface Fixture {
  labels: { cis: string; label: string }[];
}

describe('numbersInWords over real DCI labels', () => {
  it('leaves no digit in any reviewed label of test/fixtures/dci-labels-2019.json, and reads back its numbers', () => {
    const fixture = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'dci-labels-2019.json'), 'utf8')) as Fixture;
    expect(fixture.labels.length).toBeGreaterThan(20);
    for (const { label } of fixture.labels) {
      const words = numbersInWords(label);
      expect(words, label).not.toMatch(/\d/);
    }
    // Read back where no two numbers touch (« lauromacrogol 400 40 mg » reads as one in letters too).
    const simple = fixture.labels.filter((l) => /^[\p{L} ’'-]+ \d/u.test(l.label) && !/\b(?:un|une)\b|[\^]|\d-\d|\d\p{L}|\d \d/u.test(l.label));
    expect(simple.length).toBeGreaterThan(10);
    for (const { label } of simple) expect(numbersRead(numbersInWords(label)), label).toEqual(digitsOf(label));
  });

  const release = join(sharedDataDir, 'bdpm-2019');
  if (!hasSharedData) process.stderr.write(`numbersInWords over the BDPM 2019 release skipped: ${release} absent (real data lives outside the project)\n`);

  it.skipIf(!hasSharedData)('leaves no digit in the DCI label of any specialty of the 2019 release; a narcotic’s reads back as its digits', () => {
    const lines = (file: string) =>
      readFileSync(join(release, file))
        .toString('latin1')
        .split('\n')
        .filter((l) => l.trim() !== '');
    const parts = new Map<string, CompositionPart[]>();
    for (const l of lines('CIS_COMPO_bdpm.txt')) {
      const parsed = parseLine('CIS_COMPO_bdpm.txt', l);
      if (!parsed.ok) continue;
      const list = parts.get(parsed.row.cis) ?? [];
      list.push(parsed.row);
      parts.set(parsed.row.cis, list);
    }
    const narcotics = new Set<string>();
    for (const l of lines('CIS_CPD_bdpm.txt')) {
      const parsed = parseLine('CIS_CPD_bdpm.txt', l);
      if (parsed.ok && /stupéfiant/i.test(parsed.row.condition)) narcotics.add(parsed.row.cis);
    }
    let labels = 0;
    let narcoticLabels = 0;
    for (const l of lines('CIS_bdpm.txt')) {
      const parsed = parseLine('CIS_bdpm.txt', l);
      if (!parsed.ok) continue;
      const label = describeDci(parts.get(parsed.row.cis) ?? [], parsed.row.form, parsed.row.name).label;
      const words = numbersInWords(label);
      labels++;
      if (/\d/.test(words)) throw new Error(`digit left: ${label} → ${words}`);
      if (narcotics.has(parsed.row.cis)) {
        narcoticLabels++;
        expect(numbersRead(words), label).toEqual(digitsOf(label));
      }
    }
    expect(labels).toBeGreaterThan(14_000);
    expect(narcoticLabels).toBeGreaterThan(200);
  }, 60_000);
});
