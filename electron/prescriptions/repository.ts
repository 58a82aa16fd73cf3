/**
 * Prescription rows ↔ domain objects. Plain functions over a connection with bound parameters;
 * the service decides the transaction (every write inside `writeTransaction`).
 */
import type { PrescriptionSummary } from '../../shared/calls/prescriptions';
import type { OutboxState as OutboxItemState } from '../../shared/calls/outbox';
import type { FrozenDrug, Line } from '../../shared/domain/prescription';
import { prepared } from '../db/transaction';
import type { Db } from '../db/types';

export type PrescriptionState = 'draft' | 'signed' | 'cancelled';

export interface StoredLine {
  line: Line;
  drug: FrozenDrug | null;
  rendered: string;
}

export interface StoredOverride {
  checkId: string;
  reason: string;
  at: string;
}

export interface StoredPrescription {
  id: number;
  patientId: number;
  state: PrescriptionState;
  version: number;
  renewalOf: number | null;
  createdAt: string;
  updatedAt: string;
  lines: StoredLine[];
  overrides: StoredOverride[];
}

interface PrescriptionRow {
  id: number;
  patient_id: number;
  state: PrescriptionState;
  version: number;
  renewal_of: number | null;
  created_at: string;
  updated_at: string;
}

export function insertPrescription(db: Db, patientId: number, renewalOf: number | null, now: string): number {
  const info = prepared(db, 'INSERT INTO prescriptions (patient_id, renewal_of, created_at, updated_at) VALUES (?, ?, ?, ?)').run(patientId, renewalOf, now, now);
  return Number(info.lastInsertRowid);
}

export function readPrescriptionRow(db: Db, id: number): Omit<StoredPrescription, 'lines' | 'overrides'> | null {
  const row = prepared(db, 'SELECT id, patient_id, state, version, renewal_of, created_at, updated_at FROM prescriptions WHERE id = ?').get(id) as PrescriptionRow | undefined;
  if (row === undefined) return null;
  return {
    id: row.id,
    patientId: row.patient_id,
    state: row.state,
    version: row.version,
    renewalOf: row.renewal_of,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function readLines(db: Db, id: number): StoredLine[] {
  const rows = prepared(db, 'SELECT line, drug, rendered FROM prescription_lines WHERE prescription_id = ? ORDER BY position').all(id) as {
    line: string;
    drug: string | null;
    rendered: string;
  }[];
  return rows.map((r) => ({ line: JSON.parse(r.line) as Line, drug: r.drug === null ? null : (JSON.parse(r.drug) as FrozenDrug), rendered: r.rendered }));
}

export function readOverrides(db: Db, id: number): StoredOverride[] {
  return prepared(db, 'SELECT check_id AS checkId, reason, at FROM prescription_overrides WHERE prescription_id = ? ORDER BY at, check_id').all(id) as StoredOverride[];
}

export function readPrescription(db: Db, id: number): StoredPrescription | null {
  const row = readPrescriptionRow(db, id);
  if (row === null) return null;
  return { ...row, lines: readLines(db, id), overrides: readOverrides(db, id) };
}

/** Replaces a draft's lines whole and moves its version on (the triggers refuse it for a signed one). */
export function replaceLines(db: Db, id: number, lines: readonly StoredLine[], now: string): void {
  prepared(db, 'DELETE FROM prescription_lines WHERE prescription_id = ?').run(id);
  const insert = prepared(
    db,
    'INSERT INTO prescription_lines (prescription_id, position, line_key, kind, line, drug, cis, rendered) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  lines.forEach((l, position) => {
    insert.run(id, position, l.line.key, l.line.kind, JSON.stringify(l.line), l.drug === null ? null : JSON.stringify(l.drug), l.drug?.cis ?? null, l.rendered);
  });
  touch(db, id, now);
}

export function touch(db: Db, id: number, now: string): void {
  prepared(db, 'UPDATE prescriptions SET version = version + 1, updated_at = max(?, created_at) WHERE id = ?').run(now, id);
}

/** Sets the overrides to `overrides`; returns the ids added and removed (for the audit). */
export function replaceOverrides(db: Db, id: number, overrides: readonly { checkId: string; reason: string }[], now: string): { added: string[]; removed: string[]; changed: string[] } {
  const before = new Map(readOverrides(db, id).map((o) => [o.checkId, o]));
  const after = new Map(overrides.map((o) => [o.checkId, o]));
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [checkId] of before) {
    if (!after.has(checkId)) {
      prepared(db, 'DELETE FROM prescription_overrides WHERE prescription_id = ? AND check_id = ?').run(id, checkId);
      removed.push(checkId);
    }
  }
  for (const [checkId, o] of after) {
    const old = before.get(checkId);
    if (old === undefined) {
      prepared(db, 'INSERT INTO prescription_overrides (prescription_id, check_id, reason, at) VALUES (?, ?, ?, ?)').run(id, checkId, o.reason, now);
      added.push(checkId);
    } else if (old.reason !== o.reason) {
      prepared(db, 'UPDATE prescription_overrides SET reason = ?, at = ? WHERE prescription_id = ? AND check_id = ?').run(o.reason, now, id, checkId);
      changed.push(checkId);
    }
  }
  return { added, removed, changed };
}

export function deleteDraft(db: Db, id: number): void {
  prepared(db, "DELETE FROM prescriptions WHERE id = ? AND state = 'draft'").run(id);
}

/** The patient's prescriptions, newest first (the index prescriptions_by_patient, read backwards). */
export function listForPatient(db: Db, patientId: number): PrescriptionSummary[] {
  const rows = prepared(
    db,
    `SELECT p.id, p.state, p.renewal_of, p.created_at, p.updated_at, c.reason AS cancel_reason, c.cancelled_at,
            o.action AS dmp_action, o.state AS dmp_state, o.reason AS dmp_reason
     FROM prescriptions p LEFT JOIN prescription_cancellations c ON c.prescription_id = p.id
     LEFT JOIN outbox o ON o.id = (SELECT max(id) FROM outbox WHERE prescription_id = p.id AND destination = 'dmp')
     WHERE p.patient_id = ? ORDER BY p.created_at DESC, p.id DESC`,
  ).all(patientId) as (Omit<PrescriptionRow, 'patient_id' | 'version'> & {
    cancel_reason: string | null;
    cancelled_at: string | null;
    dmp_action: 'submit' | 'cancel' | null;
    dmp_state: OutboxItemState | null;
    dmp_reason: string | null;
  })[];
  const labels = prepared(
    db,
    "SELECT coalesce(json_extract(drug, '$.dciLabel'), json_extract(line, '$.text')) FROM prescription_lines WHERE prescription_id = ? ORDER BY position",
  ).pluck();
  return rows.map((r) => ({
    id: r.id,
    state: r.state,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    renewalOf: r.renewal_of,
    labels: labels.all(r.id) as string[],
    cancellation: r.cancel_reason === null || r.cancelled_at === null ? null : { reason: r.cancel_reason, at: r.cancelled_at },
    dmp: r.dmp_action === null || r.dmp_state === null ? null : { action: r.dmp_action, state: r.dmp_state, reason: r.dmp_reason },
  }));
}

export interface StoredFavourite {
  id: number;
  name: string;
  kind: 'line' | 'prescription';
  lines: Line[];
  labels: string[];
  createdAt: string;
}

export function insertFavourite(db: Db, f: Omit<StoredFavourite, 'id'>): number {
  return Number(
    prepared(db, 'INSERT INTO favourites (name, kind, lines, labels, created_at) VALUES (?, ?, ?, ?, ?)').run(f.name, f.kind, JSON.stringify(f.lines), JSON.stringify(f.labels), f.createdAt)
      .lastInsertRowid,
  );
}

export function readFavourites(db: Db): StoredFavourite[] {
  const rows = prepared(db, 'SELECT id, name, kind, lines, labels, created_at FROM favourites ORDER BY name COLLATE NOCASE').all() as {
    id: number;
    name: string;
    kind: 'line' | 'prescription';
    lines: string;
    labels: string;
    created_at: string;
  }[];
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, lines: JSON.parse(r.lines) as Line[], labels: JSON.parse(r.labels) as string[], createdAt: r.created_at }));
}

export function findFavouriteByName(db: Db, name: string): number | null {
  const id = prepared(db, 'SELECT id FROM favourites WHERE name = ? COLLATE NOCASE').pluck().get(name) as number | undefined;
  return id ?? null;
}

export function deleteFavourite(db: Db, id: number): boolean {
  return prepared(db, 'DELETE FROM favourites WHERE id = ?').run(id).changes > 0;
}

export interface StoredSignature {
  prescriptionId: number;
  rxId: string;
  requestId: string;
  signedAt: string;
  keyId: string;
  content: string;
  contentDigest: string;
  auditHead: string;
  qrPayload: string;
}

const SIGNATURE_COLUMNS = 'prescription_id AS prescriptionId, rx_id AS rxId, request_id AS requestId, signed_at AS signedAt, key_id AS keyId, content, content_digest AS contentDigest, audit_head AS auditHead, qr_payload AS qrPayload';

export function readSignature(db: Db, prescriptionId: number): StoredSignature | null {
  return (prepared(db, `SELECT ${SIGNATURE_COLUMNS} FROM prescription_signatures WHERE prescription_id = ?`).get(prescriptionId) as StoredSignature | undefined) ?? null;
}

export function readSignatureByRequest(db: Db, requestId: string): StoredSignature | null {
  return (prepared(db, `SELECT ${SIGNATURE_COLUMNS} FROM prescription_signatures WHERE request_id = ?`).get(requestId) as StoredSignature | undefined) ?? null;
}

export function rxIdTaken(db: Db, rxId: string): boolean {
  return prepared(db, 'SELECT 1 FROM prescription_signatures WHERE rx_id = ?').get(rxId) !== undefined;
}

/** The signature row, then the state: the triggers refuse `signed` without it, and it for anything but a draft. */
export function recordSignature(db: Db, s: StoredSignature): void {
  prepared(
    db,
    `INSERT INTO prescription_signatures (prescription_id, rx_id, request_id, signed_at, key_id, content, content_digest, audit_head, qr_payload)
     VALUES (@prescriptionId, @rxId, @requestId, @signedAt, @keyId, @content, @contentDigest, @auditHead, @qrPayload)`,
  ).run(s);
  prepared(db, "UPDATE prescriptions SET state = 'signed' WHERE id = ?").run(s.prescriptionId);
}

export function readCancellation(db: Db, prescriptionId: number): { reason: string; at: string } | null {
  return (prepared(db, 'SELECT reason, cancelled_at AS at FROM prescription_cancellations WHERE prescription_id = ?').get(prescriptionId) as { reason: string; at: string } | undefined) ?? null;
}

/** The cancellation row, then the state: the triggers refuse `cancelled` without it, and it for anything but a signed one. */
export function recordCancellation(db: Db, c: { prescriptionId: number; reason: string; at: string }): void {
  prepared(db, 'INSERT INTO prescription_cancellations (prescription_id, reason, cancelled_at) VALUES (@prescriptionId, @reason, @at)').run(c);
  prepared(db, "UPDATE prescriptions SET state = 'cancelled' WHERE id = ?").run(c.prescriptionId);
}

export type OutboxState = 'pending' | 'skipped' | 'disabled';

/** Why nothing goes to the CNAM base (signing and cancelling alike). */
export const CNAM_DISABLED_REASON = 'Base ordonnance numérique (CNAM) : protocole non public';

export function readOutboxRow(db: Db, prescriptionId: number, destination: 'dmp' | 'cnam', action: 'submit' | 'cancel'): { state: string; reason: string | null } | null {
  return (
    (prepared(db, 'SELECT state, reason FROM outbox WHERE prescription_id = ? AND destination = ? AND action = ?').get(prescriptionId, destination, action) as
      | { state: string; reason: string | null }
      | undefined) ?? null
  );
}

export function insertOutbox(db: Db, row: { prescriptionId: number; destination: 'dmp' | 'cnam'; action: 'submit' | 'cancel'; state: OutboxState; reason: string | null; now: string }): void {
  prepared(
    db,
    `INSERT INTO outbox (prescription_id, destination, action, state, reason, next_at, created_at, updated_at)
     VALUES (@prescriptionId, @destination, @action, @state, @reason, CASE WHEN @state = 'pending' THEN @now END, @now, @now)`,
  ).run(row);
}

/** The audit chain's head: its last row's hash (the genesis before any row). */
export function auditHeadOf(db: Db): string {
  const last = prepared(db, 'SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined;
  return last?.hash ?? '0'.repeat(64);
}

/** The prescription signed here under this legal id, if any. */
export function prescriptionOfRx(db: Db, rxId: string): number | null {
  const row = prepared(db, 'SELECT prescription_id AS id FROM prescription_signatures WHERE rx_id = ?').get(rxId) as { id: number } | undefined;
  return row?.id ?? null;
}

export const PRESCRIPTION_NOT_FOUND = 'Cette ordonnance n’existe pas (ou plus) dans Ordo.';
