/**
 * Patients written as Ordo wrote them before migration 0006 (schema versions 2 to 5): names folded
 * without transliteration (« Łukasiewicz » indexed as « ukasiewicz »), search words of rank 0
 * (names) or 1 (first names). A frozen copy of that version's search keys, for migration tests.
 */
import type { Db } from '../../electron/db/types';
import { insertPatient } from '../../electron/patients/repository';
import type { SearchKeys } from '../../electron/patients/search-keys';
import type { PatientData } from '../../shared/domain/patient';
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
