/**
 * The folded forms of a patient's names that search and duplicate detection work on.
 * Pure: the repository stores them, the search compares typed words with them.
 */
import { foldName } from '../../shared/domain/patient-search-text';

export interface NameTraits {
  birthName: string;
  usedName: string;
  firstNames: string;
  birthDate: string;
}

/**
 * What a word is to a patient, best first: at equal words the search lists the patients in this
 * order, so typing « martin » puts the MARTIN before « ARNAUD née MARTIN », before
 * « SAINT-MARTIN », before « Martin » as a first name.
 */
export const tokenRanks = {
  /** The name shown first (the used name, or the birth name when there is none), written as one word. */
  shownName: 0,
  /** The birth name, when a different used name is shown before it. */
  birthName: 1,
  /** One word of a compound name (« martin » of « Saint-Martin »). */
  namePart: 2,
  /** A first name, or one word of a compound first name. */
  firstName: 3,
} as const;
export type TokenRank = (typeof tokenRanks)[keyof typeof tokenRanks];
export const RANKS: readonly TokenRank[] = [0, 1, 2, 3];

export interface SearchToken {
  token: string;
  rank: TokenRank;
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

const wordsOf = (name: string): string[] => foldName(name).split(' ').filter((w) => w !== '');

/**
 * The end of the range of keys that start with `prefix`: U+10FFFF, whose UTF-8 form sorts after
 * every character a folded name holds, Latin or not (« ~ » sorts before « и » or « 王 »).
 */
export const afterPrefix = (prefix: string) => `${prefix}\u{10ffff}`;

/** The birth-name part of an identity key: what near duplicates share (see repository.ts). */
export const identityNameOf = (birthName: string) => `${foldName(birthName)}|`;

export function searchKeysOf(p: NameTraits): SearchKeys {
  const byToken = new Map<string, TokenRank>();
  const add = (token: string, rank: TokenRank) => {
    if (token !== '' && (byToken.get(token) ?? 9) > rank) byToken.set(token, rank);
  };
  const hasUsedName = p.usedName.trim() !== '' && foldName(p.usedName) !== foldName(p.birthName);
  const shown = wordsOf(hasUsedName ? p.usedName : p.birthName);
  add(shown.join(''), tokenRanks.shownName);
  if (hasUsedName) add(wordsOf(p.birthName).join(''), tokenRanks.birthName);
  for (const name of [p.birthName, p.usedName]) {
    const words = wordsOf(name);
    if (words.length > 1) for (const word of words) add(word, tokenRanks.namePart);
  }
  // First names are separated by spaces or commas; a compound one ("Jean-Pierre") is also one word.
  for (const firstName of p.firstNames.split(/[\s,]+/)) {
    const words = wordsOf(firstName);
    for (const word of words) add(word, tokenRanks.firstName);
    if (words.length > 1) add(words.join(''), tokenRanks.firstName);
  }
  const display = foldName(hasUsedName ? `${p.usedName} ${p.firstNames} ${p.birthName}` : `${p.birthName} ${p.firstNames}`);
  const displayWords = new Set(display.split(' '));
  const joined = [...byToken.keys()].filter((t) => !displayWords.has(t));
  return {
    identityKey: `${identityNameOf(p.birthName)}${foldName(p.firstNames)}|${p.birthDate}`,
    sortKey: joined.length > 0 ? `${display} ${joined.join(' ')}` : display,
    tokens: [...byToken].map(([token, rank]) => ({ token, rank })),
  };
}
