/**
 * How a patient's names and the words typed to find them are folded before they are compared:
 * one function, used when the search index is written (electron/patients/search-keys.ts, the
 * rebuilds of migrations 0006 and 0008) and when a query is read (electron/patients/query.ts), so
 * both sides always agree.
 *
 * Decomposition removes accents (é → e) but leaves letters that are not "a letter plus an accent"
 * in Unicode: Ł, ß, Ø, Đ… are transliterated first, the way a French GP would type them on a
 * French keyboard. Letters of every other script are kept as they are (lower case): a name the
 * register accepts (« Иванов », « 王 秀英 ») is found by typing it, and is not every other
 * such name's duplicate.
 */

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

/** Combining accents of the Latin, Greek and Cyrillic letters (and their supplements): what folding drops. */
// eslint-disable-next-line no-misleading-character-class -- combining marks alone are what this class matches
const ACCENTS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/gu;
/** What is not part of a word: anything but letters (with their other marks) and digits, of any script. */
const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/gu;

/**
 * A name or a query as the search compares it: transliterated, compatibility forms folded (full
 * width « ＭＡＲＴＩＮ », ligatures « ﬁ »), accents, case and punctuation aside, words separated by
 * one space. Never empty for a name the contract accepts (it starts with a letter).
 */
export function foldName(value: string): string {
  return transliterate(value)
    .normalize('NFKD')
    .replace(ACCENTS, '')
    .toLocaleLowerCase('fr-FR')
    .replace(NOT_WORD, ' ')
    .trim();
}
