/**
 * What the GP must confirm before a record is saved: facts that are unlikely but possible (a birth
 * before 1900, a pregnancy at 9 or 62, a NIR that contradicts the record) and patients of the
 * register that may be the same person (the same names and date of birth, or the same birth name,
 * date of birth and sex with first names that start alike: « Dupont Jean » beside « DUPONT Jean
 * Pierre Marie »). The call says which it confirms (`confirmed`); anything else still pending is
 * answered NEEDS_CONFIRMATION with every warning, before the first write.
 *
 * An edit does not ask again what the stored record already had: a twin confirmed at creation, a
 * birth before 1900 confirmed once.
 */
import { foldName } from '../../shared/domain/patient-search-text';
import { recordWarnings, type PatientConfirmation, type PatientData, type PatientWarning } from '../../shared/domain/patient';
import { describePatient } from '../../shared/domain/patient-names';
import { OrdoError } from '../../shared/errors';
import type { Db } from '../db/types';
import { findSameBirthName, findSameIdentity, type StoredPatient } from './repository';
import { searchKeysOf } from './search-keys';
import { frenchNumber } from '../../shared/domain/numbers';

/** The first word of the first names, folded: « jean » of « Jean Pierre Marie » and of « JEAN-PIERRE ». */
const firstFirstName = (firstNames: string) => foldName(firstNames).split(' ')[0] ?? '';

/** Whether two lists of first names start alike: the same first word (« Jean » and « Jean Pierre Marie », « Jean-Pierre »). */
export function firstNamesStartAlike(a: string, b: string): boolean {
  const first = firstFirstName(a);
  return first !== '' && first === firstFirstName(b);
}

type Identity = Pick<PatientData, 'birthName' | 'usedName' | 'firstNames' | 'birthDate' | 'sex'>;
const sameIdentityTraits = (a: Identity, b: Identity) =>
  searchKeysOf(a).identityKey === searchKeysOf(b).identityKey && a.sex === b.sex;

/** Every warning of a record against the register, before any confirmation. */
export function warningsOf(db: Db, p: PatientData, before: StoredPatient | null): PatientWarning[] {
  const id = before?.id ?? null;
  const had = before === null ? new Set<string>() : new Set(recordWarnings(before).map((w) => w.message));
  const warnings = recordWarnings(p).filter((w) => !had.has(w.message));
  // The identity did not change: its twins were looked at when it was saved.
  if (before !== null && sameIdentityTraits(before, p)) return warnings;
  const identityKey = searchKeysOf(p).identityKey;
  const twin = findSameIdentity(db, identityKey, id);
  if (twin !== null) {
    warnings.push({
      code: 'duplicate',
      path: '',
      message: `Un patient porte déjà les mêmes nom de naissance, prénoms et date de naissance : ${describePatient(twin)}.`,
    });
  }
  const near = findSameBirthName(db, p, id).filter((other) => other.id !== twin?.id && firstNamesStartAlike(other.firstNames, p.firstNames));
  if (near.length > 0) {
    const names = near.slice(0, 3).map(describePatient).join(' ; ');
    const more = near.length > 3 ? ` (et ${frenchNumber(near.length - 3)} autres)` : '';
    warnings.push({
      code: 'nearDuplicate',
      path: '',
      message: `Un patient très proche existe déjà (même nom de naissance, même date de naissance, même sexe, prénoms voisins) : ${names}${more}.`,
    });
  }
  return warnings;
}

/** Refuses, before any write, a record with warnings the call did not confirm. */
export function refuseUnconfirmed(warnings: readonly PatientWarning[], confirmed: readonly PatientConfirmation[]): void {
  const pending = warnings.filter((w) => !confirmed.includes(w.code));
  if (pending.length === 0) return;
  const question = pending.some((w) => w.code === 'duplicate' || w.code === 'nearDuplicate')
    ? 'S’agit-il bien d’une autre personne ?'
    : 'Confirmez-vous ces informations ?';
  throw new OrdoError(
    'NEEDS_CONFIRMATION',
    `${pending.map((w) => w.message).join(' ')} ${question}`,
    Object.fromEntries(warnings.map((w) => [`confirm.${w.code}`, w.message])),
  );
}
