/**
 * The patient register: reads, and writes that refuse what would mis-identify a patient. Every
 * refusal is decided before the first write, so a refused call leaves the database untouched.
 */
import { isoDay } from '../../shared/domain/dates';
import { nirWarnings } from '../../shared/domain/nir';
import { futureDateErrors, type PatientData } from '../../shared/domain/patient';
import type { PatientRecord } from '../../shared/domain/patient-record';
import { describePatient } from '../../shared/domain/patient-names';
import { OrdoError } from '../../shared/errors';
import { appendAudit } from '../audit/audit';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
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

export function createPatientService(db: Db, clock: Clock) {
  /** Refusals shared by create and update; `before` is the record being edited, if any. */
  const refuseIfInvalid = (p: PatientData, before: StoredPatient | null, confirmDuplicate: boolean) => {
    const id = before?.id ?? null;
    const future = futureDateErrors(p, isoDay(clock.now()));
    if (Object.keys(future).length > 0) {
      const fields = Object.fromEntries(Object.entries(future).map(([path, message]) => [`patient.${path}`, message]));
      throw new OrdoError('INVALID_INPUT', undefined, fields);
    }
    if (p.nir !== null) {
      const holder = findByNir(db, p.nir);
      if (holder !== null && holder.id !== id) {
        throw new OrdoError('CONFLICT', `Ce NIR est déjà enregistré pour un autre patient : ${describePatient(holder)}.`, {
          'patient.nir': 'Ce NIR est déjà enregistré pour un autre patient.',
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
      refuseIfInvalid(p, null, confirmDuplicate);
      const now = clock.now();
      const id = db.transaction(() => {
        const newId = insertPatient(db, p, now.toISOString());
        appendAudit(db, { actor: 'prescriber', action: 'patient.created', subject: `patient:${newId}`, details: { confirmedDuplicate: confirmDuplicate } }, now);
        return newId;
      })();
      return get(id);
    },
    update: (id: number, p: PatientData, confirmDuplicate: boolean): PatientRecord => {
      const before = readPatient(db, id);
      if (before === null) throw new OrdoError('NOT_FOUND', "Ce patient n'existe pas (ou plus) dans Ordo.");
      refuseIfInvalid(p, before, confirmDuplicate);
      const changed = changedFields(before, p);
      if (changed.length === 0) return withWarnings(before);
      const now = clock.now();
      db.transaction(() => {
        updatePatient(db, id, p, now.toISOString());
        appendAudit(db, { actor: 'prescriber', action: 'patient.updated', subject: `patient:${id}`, details: { fields: changed } }, now);
      })();
      return get(id);
    },
  };
}

