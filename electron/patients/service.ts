/**
 * The patient register: reads, and writes that refuse what would mis-identify a patient. The
 * duplicate checks and the write run in one IMMEDIATE transaction, so another writer on the same
 * file (a CLI import while the app runs) cannot slip a record in between; every refusal is decided
 * before the first write, so a refused call leaves the database untouched.
 */
import { isoDay } from '../../shared/domain/dates';
import { nirWarnings } from '../../shared/domain/nir';
import { errorsOnDay, type PatientConfirmation, type PatientData } from '../../shared/domain/patient';
import type { PatientRecord } from '../../shared/domain/patient-record';
import { describePatient } from '../../shared/domain/patient-names';
import { OrdoError } from '../../shared/errors';
import { appendAudit } from '../audit/audit';
import type { Clock } from '../clock';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import { refuseUnconfirmed, warningsOf } from './confirmations';
import { findByNir, insertPatient, readPatient, updatePatient, type StoredPatient } from './repository';
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
  /** Refusals that need no database but today: dates after it, a pregnancy of more than 44 weeks. */
  const refuseOnDay = (p: PatientData) => {
    const future = errorsOnDay(p, isoDay(clock.now()));
    if (Object.keys(future).length > 0) {
      const fields = Object.fromEntries(Object.entries(future).map(([path, message]) => [`patient.${path}`, message]));
      throw new OrdoError('INVALID_INPUT', undefined, fields);
    }
  };

  /** Refusals and confirmations shared by create and update; call inside the write transaction. */
  const refuseConflicts = (p: PatientData, before: StoredPatient | null, confirmed: readonly PatientConfirmation[]) => {
    const id = before?.id ?? null;
    if (p.nir !== null) {
      const holder = findByNir(db, p.nir);
      if (holder !== null && holder.id !== id) {
        throw new OrdoError('CONFLICT', `Ce NIR est déjà enregistré pour un autre patient : ${describePatient(holder)}.`, {
          'patient.nir': NIR_TAKEN_FIELD,
        });
      }
    }
    refuseUnconfirmed(warningsOf(db, p, before), confirmed);
  };

  const get = (id: number): PatientRecord => {
    const stored = readPatient(db, id);
    if (stored === null) throw new OrdoError('NOT_FOUND', 'Ce patient n’existe pas (ou plus) dans Ordo.');
    return withWarnings(stored);
  };

  return {
    get,
    search: (query: string, limit: number, offset: number): SearchResult => searchPatients(db, query, limit, offset),
    create: (p: PatientData, confirmed: readonly PatientConfirmation[]): PatientRecord => {
      refuseOnDay(p);
      const now = clock.now();
      const id = withNirConflict(() =>
        writeTransaction(db, () => {
          refuseConflicts(p, null, confirmed);
          const newId = insertPatient(db, p, now.toISOString());
          appendAudit(db, { actor: 'prescriber', action: 'patient.created', subject: `patient:${newId}`, details: { confirmed: [...confirmed] } }, now);
          return newId;
        }),
      );
      return get(id);
    },
    update: (id: number, p: PatientData, confirmed: readonly PatientConfirmation[]): PatientRecord => {
      refuseOnDay(p);
      const now = clock.now();
      return withNirConflict(() =>
        writeTransaction(db, (): PatientRecord => {
          const before = readPatient(db, id);
          if (before === null) throw new OrdoError('NOT_FOUND', 'Ce patient n’existe pas (ou plus) dans Ordo.');
          refuseConflicts(p, before, confirmed);
          const changed = changedFields(before, p);
          if (changed.length === 0) return withWarnings(before);
          updatePatient(db, id, p, now.toISOString());
          appendAudit(db, { actor: 'prescriber', action: 'patient.updated', subject: `patient:${id}`, details: { fields: changed, ...(confirmed.length > 0 ? { confirmed: [...confirmed] } : {}) } }, now);
          return get(id);
        }),
      );
    },
  };
}
