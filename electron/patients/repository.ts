/**
 * Patient rows ↔ domain objects. Plain functions over a connection, bound parameters only; the
 * callers (service, import) decide the transaction.
 */
import type { PatientData } from '../../shared/domain/patient';
import type { PatientSummary } from '../../shared/domain/patient-record';
import type { Db } from '../db/types';
import { afterPrefix, identityNameOf, searchKeysOf, type SearchKeys } from './search-keys';
import { prepared } from '../db/transaction';

export interface StoredPatient extends PatientData {
  id: number;
  createdAt: string;
  updatedAt: string;
}

interface PatientRow {
  id: number;
  birth_name: string;
  used_name: string;
  first_names: string;
  sex: PatientData['sex'];
  birth_date: string;
  birth_place_code: string;
  nir: string | null;
  identity_status: PatientData['identityStatus'];
  identity_document: PatientData['identityDocument'];
  address: string;
  postal_code: string;
  city: string;
  phone: string;
  email: string;
  weight_kg: number | null;
  weight_measured_on: string | null;
  height_cm: number | null;
  height_measured_on: string | null;
  creatinine_clearance: number | null;
  creatinine_clearance_measured_on: string | null;
  pregnancy_started_on: string | null;
  breastfeeding_since: string | null;
  dmp_objection_on: string | null;
  dispensing_objection_on: string | null;
  created_at: string;
  updated_at: string;
}

type Allergy = PatientData['allergies'][number];

interface AllergyRow {
  kind: Allergy['kind'];
  substance: string;
  reaction: string;
  code_kind: NonNullable<Allergy['code']>['kind'] | null;
  code_name: string | null;
}

/** The JSON array of a treatment's substance names (the table's CHECK keeps it an array); its strings only. */
function substanceNamesOf(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : [];
}

const measurementOf = (value: number | null, measuredOn: string | null) =>
  value === null || measuredOn === null ? null : { value, measuredOn };

const SUMMARY_COLUMNS = 'id, birth_name, used_name, first_names, sex, birth_date, nir, city';

/** The columns of SUMMARY_COLUMNS, as read (also what search.ts selects). */
export type SummaryRow = Pick<PatientRow, 'id' | 'birth_name' | 'used_name' | 'first_names' | 'sex' | 'birth_date' | 'nir' | 'city'>;

/** The one mapping of a patients row to what lists and duplicate messages show. */
export const summaryOf = (r: SummaryRow): PatientSummary => ({
  id: r.id,
  birthName: r.birth_name,
  usedName: r.used_name,
  firstNames: r.first_names,
  sex: r.sex,
  birthDate: r.birth_date,
  nir: r.nir,
  city: r.city,
});

/** Named parameters of the patients table for one record. */
function rowParams(p: PatientData, keys: SearchKeys) {
  return {
    birthName: p.birthName,
    usedName: p.usedName,
    firstNames: p.firstNames,
    sex: p.sex,
    birthDate: p.birthDate,
    birthPlaceCode: p.birthPlaceCode,
    nir: p.nir,
    identityStatus: p.identityStatus,
    identityDocument: p.identityDocument,
    address: p.address,
    postalCode: p.postalCode,
    city: p.city,
    phone: p.phone,
    email: p.email,
    weightKg: p.weight?.value ?? null,
    weightOn: p.weight?.measuredOn ?? null,
    heightCm: p.height?.value ?? null,
    heightOn: p.height?.measuredOn ?? null,
    clearance: p.creatinineClearance?.value ?? null,
    clearanceOn: p.creatinineClearance?.measuredOn ?? null,
    pregnancyOn: p.pregnancy?.startedOn ?? null,
    breastfeedingOn: p.breastfeeding?.since ?? null,
    dmpObjectionOn: p.dmpObjection?.recordedOn ?? null,
    dispensingObjectionOn: p.dispensingObjection?.recordedOn ?? null,
    identityKey: keys.identityKey,
    sortKey: keys.sortKey,
  };
}

const INSERT_PATIENT = `
  INSERT INTO patients (
    birth_name, used_name, first_names, sex, birth_date, birth_place_code, nir, identity_status, identity_document,
    address, postal_code, city, phone, email, weight_kg, weight_measured_on, height_cm, height_measured_on,
    creatinine_clearance, creatinine_clearance_measured_on, pregnancy_started_on, breastfeeding_since,
    dmp_objection_on, dispensing_objection_on, identity_key, sort_key, created_at, updated_at)
  VALUES (
    @birthName, @usedName, @firstNames, @sex, @birthDate, @birthPlaceCode, @nir, @identityStatus, @identityDocument,
    @address, @postalCode, @city, @phone, @email, @weightKg, @weightOn, @heightCm, @heightOn,
    @clearance, @clearanceOn, @pregnancyOn, @breastfeedingOn,
    @dmpObjectionOn, @dispensingObjectionOn, @identityKey, @sortKey, @now, @now)`;

const UPDATE_PATIENT = `
  UPDATE patients SET
    birth_name = @birthName, used_name = @usedName, first_names = @firstNames, sex = @sex, birth_date = @birthDate,
    birth_place_code = @birthPlaceCode, nir = @nir, identity_status = @identityStatus, identity_document = @identityDocument,
    address = @address, postal_code = @postalCode, city = @city, phone = @phone, email = @email,
    weight_kg = @weightKg, weight_measured_on = @weightOn, height_cm = @heightCm, height_measured_on = @heightOn,
    creatinine_clearance = @clearance, creatinine_clearance_measured_on = @clearanceOn,
    pregnancy_started_on = @pregnancyOn, breastfeeding_since = @breastfeedingOn,
    dmp_objection_on = @dmpObjectionOn, dispensing_objection_on = @dispensingObjectionOn,
    identity_key = @identityKey, sort_key = @sortKey, updated_at = @now
  WHERE id = @id`;

/** Allergies, conditions, long-term treatments and search words: replaced as a whole with the record. */
function deleteDependents(db: Db, id: number): void {
  prepared(db, 'DELETE FROM patient_allergies WHERE patient_id = ?').run(id);
  prepared(db, 'DELETE FROM patient_conditions WHERE patient_id = ?').run(id);
  prepared(db, 'DELETE FROM patient_treatments WHERE patient_id = ?').run(id);
  prepared(db, 'DELETE FROM patient_search WHERE patient_id = ?').run(id);
}

/**
 * What is written of a record that has no coded allergy and no treatment uses only the columns
 * every version since 0002 has (the codes default to NULL): the migration tests write such records
 * into older schemas with this same function (test/support/legacy-patients.ts).
 */
function insertDependents(db: Db, id: number, p: PatientData, keys: SearchKeys): void {
  for (const [i, a] of p.allergies.entries()) {
    if (a.code === null) {
      prepared(db, 'INSERT INTO patient_allergies (patient_id, position, kind, substance, reaction) VALUES (?, ?, ?, ?, ?)').run(id, i, a.kind, a.substance, a.reaction);
    } else {
      prepared(db, 'INSERT INTO patient_allergies (patient_id, position, kind, substance, reaction, code_kind, code_name) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        id,
        i,
        a.kind,
        a.substance,
        a.reaction,
        a.code.kind,
        a.code.name,
      );
    }
  }
  const condition = prepared(db, 'INSERT INTO patient_conditions (patient_id, position, label, ald) VALUES (?, ?, ?, ?)');
  p.conditions.forEach((c, i) => condition.run(id, i, c.label, c.ald ? 1 : 0));
  for (const [i, t] of p.treatments.entries()) {
    prepared(db, 'INSERT INTO patient_treatments (patient_id, position, label, substance_names) VALUES (?, ?, ?, ?)').run(id, i, t.label, JSON.stringify(t.substanceNames));
  }
  const token = prepared(db, 'INSERT INTO patient_search (token, rank, sort_key, patient_id) VALUES (?, ?, ?, ?)');
  for (const t of keys.tokens) token.run(t.token, t.rank, keys.sortKey, id);
}

/**
 * Inserts a record and everything that hangs off it; returns its id. Call inside a transaction.
 * `keys` are the record's own; tests pass others to write a row as an older version did.
 */
export function insertPatient(db: Db, p: PatientData, now: string, keys: SearchKeys = searchKeysOf(p)): number {
  const id = Number(prepared(db, INSERT_PATIENT).run({ ...rowParams(p, keys), now }).lastInsertRowid);
  insertDependents(db, id, p, keys);
  return id;
}

/** Replaces a record's content. Call inside a transaction. */
export function updatePatient(db: Db, id: number, p: PatientData, now: string): void {
  const keys = searchKeysOf(p);
  prepared(db, UPDATE_PATIENT).run({ ...rowParams(p, keys), id, now });
  deleteDependents(db, id);
  insertDependents(db, id, p, keys);
}

export function readPatient(db: Db, id: number): StoredPatient | null {
  const r = prepared(db, 'SELECT * FROM patients WHERE id = ?').get(id) as PatientRow | undefined;
  if (r === undefined) return null;
  const allergies = (
    prepared(db, 'SELECT kind, substance, reaction, code_kind, code_name FROM patient_allergies WHERE patient_id = ? ORDER BY position').all(id) as AllergyRow[]
  ).map((a) => ({
    kind: a.kind,
    substance: a.substance,
    reaction: a.reaction,
    // The table's CHECK keeps both or neither.
    code: a.code_kind === null || a.code_name === null ? null : { kind: a.code_kind, name: a.code_name },
  }));
  const conditions = (
    prepared(db, 'SELECT label, ald FROM patient_conditions WHERE patient_id = ? ORDER BY position').all(id) as { label: string; ald: number }[]
  ).map((c) => ({ label: c.label, ald: c.ald === 1 }));
  const treatments = (
    prepared(db, 'SELECT label, substance_names FROM patient_treatments WHERE patient_id = ? ORDER BY position').all(id) as { label: string; substance_names: string }[]
  ).map((t) => ({ label: t.label, substanceNames: substanceNamesOf(t.substance_names) }));
  return {
    ...summaryOf(r),
    birthPlaceCode: r.birth_place_code,
    identityStatus: r.identity_status,
    identityDocument: r.identity_document,
    address: r.address,
    postalCode: r.postal_code,
    phone: r.phone,
    email: r.email,
    weight: measurementOf(r.weight_kg, r.weight_measured_on),
    height: measurementOf(r.height_cm, r.height_measured_on),
    creatinineClearance: measurementOf(r.creatinine_clearance, r.creatinine_clearance_measured_on),
    pregnancy: r.pregnancy_started_on === null ? null : { startedOn: r.pregnancy_started_on },
    breastfeeding: r.breastfeeding_since === null ? null : { since: r.breastfeeding_since },
    dmpObjection: r.dmp_objection_on === null ? null : { recordedOn: r.dmp_objection_on },
    dispensingObjection: r.dispensing_objection_on === null ? null : { recordedOn: r.dispensing_objection_on },
    allergies,
    conditions,
    treatments,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The patient holding this NIR, if any. */
export function findByNir(db: Db, nir: string): PatientSummary | null {
  const r = prepared(db, `SELECT ${SUMMARY_COLUMNS} FROM patients WHERE nir = ?`).get(nir) as SummaryRow | undefined;
  return r === undefined ? null : summaryOf(r);
}

/** Another patient with the same birth name, first names and date of birth (accents and case aside). */
export function findSameIdentity(db: Db, identityKey: string, exceptId: number | null): PatientSummary | null {
  const r = prepared(db, `SELECT ${SUMMARY_COLUMNS} FROM patients WHERE identity_key = ? AND id IS NOT ? ORDER BY id LIMIT 1`).get(
    identityKey,
    exceptId,
  ) as SummaryRow | undefined;
  return r === undefined ? null : summaryOf(r);
}

export function countPatients(db: Db): number {
  return prepared(db, 'SELECT count(*) FROM patients').pluck().get() as number;
}

/**
 * Recomputes every patient's identity key, sort key and search words from the names stored: what
 * a change of the folding (shared/domain/patient-search-text.ts) or of the word ranks needs for
 * the patients already in the register. Call inside a transaction.
 */
export function rebuildSearchIndex(db: Db): number {
  const patients = db.prepare('SELECT id, birth_name, used_name, first_names, birth_date FROM patients ORDER BY id').all() as Pick<
    PatientRow,
    'id' | 'birth_name' | 'used_name' | 'first_names' | 'birth_date'
  >[];
  db.prepare('DELETE FROM patient_search').run();
  db.prepare('DELETE FROM patient_search_counts').run();
  const keysOf = db.prepare('UPDATE patients SET identity_key = ?, sort_key = ? WHERE id = ?');
  const token = db.prepare('INSERT INTO patient_search (token, rank, sort_key, patient_id) VALUES (?, ?, ?, ?)');
  for (const r of patients) {
    const keys = searchKeysOf({ birthName: r.birth_name, usedName: r.used_name, firstNames: r.first_names, birthDate: r.birth_date });
    keysOf.run(keys.identityKey, keys.sortKey, r.id);
    for (const t of keys.tokens) token.run(t.token, t.rank, keys.sortKey, r.id);
  }
  return patients.length;
}

/**
 * Patients with the same birth name, date of birth and sex as a record (accents and case aside),
 * whatever their first names: the candidates of a near duplicate. The patients born that day (or a
 * range of the identity index), whichever the planner finds smaller.
 */
export const SAME_BIRTH_NAME_SQL = `SELECT ${SUMMARY_COLUMNS} FROM patients
  WHERE identity_key >= ? AND identity_key < ? AND birth_date = ? AND sex = ? AND id IS NOT ? LIMIT 50`;

export function findSameBirthName(db: Db, p: Pick<PatientData, 'birthName' | 'birthDate' | 'sex'>, exceptId: number | null): PatientSummary[] {
  const prefix = identityNameOf(p.birthName);
  const rows = prepared(db, SAME_BIRTH_NAME_SQL).all(prefix, afterPrefix(prefix), p.birthDate, p.sex, exceptId) as SummaryRow[];
  return rows.map(summaryOf);
}
