/**
 * The normalised forms of a patient's names that search and duplicate detection work on.
 * Pure: the repository stores them, the search compares typed words with them.
 */
import { normalizeText } from '../../shared/domain/text';

export interface NameTraits {
  birthName: string;
  usedName: string;
  firstNames: string;
  birthDate: string;
}

export interface SearchToken {
  token: string;
  /** 0 for a name, 1 for a first name: at equal words, surnames come first. */
  rank: 0 | 1;
}

export interface SearchKeys {
  /** Same birth name, first names and date of birth, accents and case aside: "the same person?". */
  identityKey: string;
  /**
   * Display order (used name or birth name, first names, then the birth name after a change of
   * name), followed by the names written as one word: so every word a patient can be found by
   * starts after a space in it, which lets the search check extra words on the index row itself.
   */
  sortKey: string;
  tokens: SearchToken[];
}

/** Words of one name, plus the name written as one word when it has several ("le goff" → "legoff"). */
function wordsOf(name: string): string[] {
  const words = normalizeText(name).split(' ').filter((w) => w !== '');
  return words.length > 1 ? [...words, words.join('')] : words;
}

export function searchKeysOf(p: NameTraits): SearchKeys {
  const byToken = new Map<string, 0 | 1>();
  for (const word of [...wordsOf(p.birthName), ...wordsOf(p.usedName)]) byToken.set(word, 0);
  // First names are separated by spaces or commas; a compound one ("Jean-Pierre") is also one word.
  for (const firstName of p.firstNames.split(/[\s,]+/)) {
    for (const word of wordsOf(firstName)) if (!byToken.has(word)) byToken.set(word, 1);
  }
  const display = normalizeText(p.usedName.trim() !== '' ? `${p.usedName} ${p.firstNames} ${p.birthName}` : `${p.birthName} ${p.firstNames}`);
  const displayWords = new Set(display.split(' '));
  const joined = [...byToken.keys()].filter((t) => !displayWords.has(t));
  return {
    identityKey: `${normalizeText(p.birthName)}|${normalizeText(p.firstNames)}|${p.birthDate}`,
    sortKey: joined.length > 0 ? `${display} ${joined.join(' ')}` : display,
    tokens: [...byToken].map(([token, rank]) => ({ token, rank })),
  };
}
