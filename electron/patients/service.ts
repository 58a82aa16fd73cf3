/**
 * The patient register: reads, and writes that refuse what would mis-identify a patient. The
 * duplicate checks and the write run in one IMMEDIATE transaction, so another writer on the same
 * file (a CLI import while the app runs) cannot slip a record in between; every refusal is decided
 * before the first write, so a refused call leaves the database untouched.
 */
import { isoDay } from '../../shared/domain/dates';
import { nirWarnings } from '../../shared/domain/nir';
import { futureDateErrors, type PatientData } from '../../shared/domain/patient';
import type { PatientRecord } from '../../shared/domain/patient-record';
import { describePatient } from '../../shared/domain/patient-names';
import { OrdoError } from '../../shared/errors';
import { appendAudit } from '../audit/audit';
import type { Clock } from '../clock';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import { findByNir, findSameIdentity, insertPatient, readPatient, updatePatient, type StoredPatient } from './repository';
import { searchKeysOf } from './search-keys';
import { searchPatients, type SearchResult } from './search';

export function withWarnings(p: StoredPatient): PatientRecord {
  return { ...p, warnings: p.nir === null ? [] : nirWarnings(p.nir, p) };
}

/** Field names of the record whose value differs, for the audit journal (never the values). */
function changedFields(before: PatientData, after: PatientData): string[] {
  return (Object.keys(after) as (keyof PatientData)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

const NIR_TAKEN_FIELD = 'Ce NIR est déjà enregistré pour un autre patient.';

/**
 * Runs a write and turns the unique-NIR constraint of the table into the CONFLICT a GP can act on.
 * The service checks first and names the holder; this is the backstop for a writer that got in
 * anyway (another process on the same file), which would otherwise surface as DATABASE_ERROR.
 */
export function withNirConflict<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isNirUniqueViolation(error)) {
      throw new OrdoError('CONFLICT', NIR_TAKEN_FIELD, { 'patient.nir': NIR_TAKEN_FIELD });
    }
    throw error;
  }
}

function isNirUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'SqliteError' &&
    (error as Error & { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('patients.nir')
  );
}

export function createPatientService(db: Db, clock: Clock) {
  /** Refusals that need no database: dates after today. */
  const refuseFutureDates = (p: PatientData) => {
    const future = futureDateErrors(p, isoDay(clock.now()));
    if (Object.keys(future).length > 0) {
      const fields = Object.fromEntries(Object.entries(future).map(([path, message]) => [`patient.${path}`, message]));
      throw new OrdoError('INVALID_INPUT', undefined, fields);
    }
  };

  /** Duplicate refusals shared by create and update; call inside the write transaction. */
  const refuseDuplicates = (p: PatientData, before: StoredPatient | null, confirmDuplicate: boolean) => {
    const id = before?.id ?? null;
    if (p.nir !== null) {
      const holder = findByNir(db, p.nir);
      if (holder !== null && holder.id !== id) {
        throw new OrdoError('CONFLICT', `Ce NIR est déjà enregistré pour un autre patient : ${describePatient(holder)}.`, {
          'patient.nir': NIR_TAKEN_FIELD,
        });
      }
    }
    const identityKey = searchKeysOf(p).identityKey;
    // An edit that keeps the identity does not ask again about a twin confirmed at creation.
    if (!confirmDuplicate && (before === null || searchKeysOf(before).identityKey !== identityKey)) {
      const twin = findSameIdentity(db, identityKey, id);
      if (twin !== null) {
        throw new OrdoError(
          'NEEDS_CONFIRMATION',
          `Un patient porte déjà les mêmes nom de naissance, prénoms et date de naissance : ${describePatient(twin)}. S'agit-il bien d'une autre personne ?`,
        );
      }
    }
  };

  const get = (id: number): PatientRecord => {
    const stored = readPatient(db, id);
    if (stored === null) throw new OrdoError('NOT_FOUND', "Ce patient n'existe pas (ou plus) dans Ordo.");
    return withWarnings(stored);
  };

  return {
    get,
    search: (query: string, limit: number): SearchResult => searchPatients(db, query, limit),
    create: (p: PatientData, confirmDuplicate: boolean): PatientRecord => {
      refuseFutureDates(p);
      const now = clock.now();
      const id = withNirConflict(() =>
        writeTransaction(db, () => {
          refuseDuplicates(p, null, confirmDuplicate);
          const newId = insertPatient(db, p, now.toISOString());
          appendAudit(db, { actor: 'prescriber', action: 'patient.created', subject: `patient:${newId}`, details: { confirmedDuplicate: confirmDuplicate } }, now);
          return newId;
        }),
      );
      return get(id);
    },
    update: (id: number, p: PatientData, confirmDuplicate: boolean): PatientRecord => {
      refuseFutureDates(p);
      const now = clock.now();
      return withNirConflict(() =>
        writeTransaction(db, (): PatientRecord => {
          const before = readPatient(db, id);
          if (before === null) throw new OrdoError('NOT_FOUND', "Ce patient n'existe pas (ou plus) dans Ordo.");
          refuseDuplicates(p, before, confirmDuplicate);
          const changed = changedFields(before, p);
          if (changed.length === 0) return withWarnings(before);
          updatePatient(db, id, p, now.toISOString());
          appendAudit(db, { actor: 'prescriber', action: 'patient.updated', subject: `patient:${id}`, details: { fields: changed } }, now);
          return get(id);
        }),
      );
    },
  };
}
