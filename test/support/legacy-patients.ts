/**
 * Patients written as Ordo wrote them before migration 0006 (schema versions 2 to 5): names folded
 * without transliteration (« Łukasiewicz » indexed as « ukasiewicz »), search words of rank 0
 * (names) or 1 (first names). A frozen copy of that version's search keys, for migration tests.
 */
import type { Db } from '../../electron/db/types';
import { insertPatient } from '../../electron/patients/repository';
import type { SearchKeys } from '../../electron/patients/search-keys';
import type { PatientData } from '../../shared/domain/patient';
import { transliterate } from '../../shared/domain/patient-search-text';
import { normalizeText } from '../../shared/domain/text';

interface NameTraits {
  birthName: string;
  usedName: string;
  firstNames: string;
  birthDate: string;
}

function wordsOf(name: string): string[] {
  const words = normalizeText(name).split(' ').filter((w) => w !== '');
  return words.length > 1 ? [...words, words.join('')] : words;
}

export function searchKeysBefore0006(p: NameTraits): SearchKeys {
  const byToken = new Map<string, 0 | 1>();
  for (const word of [...wordsOf(p.birthName), ...wordsOf(p.usedName)]) byToken.set(word, 0);
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

/** Inserts a patient into a database of version 2 to 5, as those versions did. */
export function insertPatientBefore0006(db: Db, p: PatientData, now: string): number {
  return insertPatient(db, p, now, searchKeysBefore0006(p));
}

/**
 * Search keys as versions 6 and 7 wrote them (before migration 0008): names folded to [a-z0-9],
 * so letters of other scripts vanished (« Иванов » under no word at all, identity key « || »).
 * A frozen copy of electron/patients/search-keys.ts of that time.
 */
const foldBefore0008 = (value: string) => normalizeText(transliterate(value));

export function searchKeysBefore0008(p: NameTraits): SearchKeys {
  const wordsOf0008 = (name: string) => foldBefore0008(name).split(' ').filter((w) => w !== '');
  const byToken = new Map<string, 0 | 1 | 2 | 3>();
  const add = (token: string, rank: 0 | 1 | 2 | 3) => {
    if (token !== '' && (byToken.get(token) ?? 9) > rank) byToken.set(token, rank);
  };
  const hasUsedName = p.usedName.trim() !== '' && foldBefore0008(p.usedName) !== foldBefore0008(p.birthName);
  add(wordsOf0008(hasUsedName ? p.usedName : p.birthName).join(''), 0);
  if (hasUsedName) add(wordsOf0008(p.birthName).join(''), 1);
  for (const name of [p.birthName, p.usedName]) {
    const words = wordsOf0008(name);
    if (words.length > 1) for (const word of words) add(word, 2);
  }
  for (const firstName of p.firstNames.split(/[\s,]+/)) {
    const words = wordsOf0008(firstName);
    for (const word of words) add(word, 3);
    if (words.length > 1) add(words.join(''), 3);
  }
  const display = foldBefore0008(hasUsedName ? `${p.usedName} ${p.firstNames} ${p.birthName}` : `${p.birthName} ${p.firstNames}`);
  const displayWords = new Set(display.split(' '));
  const joined = [...byToken.keys()].filter((t) => !displayWords.has(t));
  return {
    identityKey: `${foldBefore0008(p.birthName)}|${foldBefore0008(p.firstNames)}|${p.birthDate}`,
    sortKey: joined.length > 0 ? `${display} ${joined.join(' ')}` : display,
    tokens: [...byToken].map(([token, rank]) => ({ token, rank })),
  };
}

/** Inserts a patient into a database of version 6 or 7, as those versions did. */
export function insertPatientBefore0008(db: Db, p: PatientData, now: string): number {
  return insertPatient(db, p, now, searchKeysBefore0008(p));
}
