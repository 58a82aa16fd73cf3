/**
 * How a patient's names and the words typed to find them are folded before they are compared:
 * one function, used when the search index is written (electron/patients/search-keys.ts, the
 * rebuild of migration 0006) and when a query is read (electron/patients/query.ts), so both
 * sides always agree.
 *
 * NFD decomposition removes accents (é → e) but leaves letters that are not "a letter plus an
 * accent" in Unicode: Ł, ß, Ø, Đ… would simply vanish ("Łukasiewicz" indexed as "ukasiewicz").
 * They are transliterated first, the way a French GP would type them on a French keyboard.
 */
import { normalizeText } from './text';

/** Letters NFD does not reduce to a-z, and what they are typed as. Lower case only: input is lowered first. */
export const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ħ: 'h',
  ı: 'i',
  ŀ: 'l',
  ŋ: 'n',
  ŧ: 't',
  ĸ: 'k',
  ſ: 's',
  ɲ: 'n',
  ə: 'e',
  ʼ: ' ',
  // Turkish dotted capital I lowers to "i" + combining dot, which NFD then drops: nothing to add.
};

const FOLDABLE = new RegExp(`[${Object.keys(TRANSLITERATIONS).join('')}]`, 'gu');

/** "Łukasiewicz" → "lukasiewicz", "Straße" → "strasse", "Løvland" → "lovland" (before NFD folding). */
export function transliterate(value: string): string {
  return value.toLocaleLowerCase('fr-FR').replace(FOLDABLE, (letter) => TRANSLITERATIONS[letter] ?? letter);
}

/** A name or a query as the search compares it: transliterated, then accents, case and punctuation aside. */
export function foldName(value: string): string {
  return normalizeText(transliterate(value));
}
