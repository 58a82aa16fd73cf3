/**
 * The outbox's rows (migration 0011) and the DMP documents built for them (0012), as the sync job
 * and the Envois screen read and move them. Each function is one statement or one IMMEDIATE
 * transaction; a refusal happens before the first write.
 */
import type { OutboxItem, OutboxState } from '../../shared/calls/outbox';
import { outboxStates } from '../../shared/calls/outbox';
import { displayName } from '../../shared/domain/patient-names';
import { prepared, writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import type { SignedContent } from '../signing/content';

export const OBJECTION_REASON = 'non envoyé — opposition du patient';
export const CANCELLED_BEFORE_SENT = 'non envoyé — ordonnance annulée avant l’envoi';
export const NOTHING_TO_WITHDRAW = 'non envoyé — rien à retirer : le document n’a pas été versé au DMP';

export interface DueRow {
  id: number;
  prescriptionId: number;
  action: 'submit' | 'cancel';
  attempts: number;
}

/**
 * What a sync checks before sending (at each start, so after a crash too): a row left `sending`
 * by a dead process waits again (the DMP's idempotency makes sending it twice harmless); the
 * patient's objection recorded since the signature is honoured; a prescription cancelled before
 * its document left is not sent, and there is then nothing to withdraw. Returns the rows skipped.
 */
export function revalidate(db: Db, now: Date, options: { requeueSending: boolean }): number {
  const at = now.toISOString();
  return writeTransaction(db, () => {
    if (options.requeueSending) prepared(db, "UPDATE outbox SET state = 'pending', updated_at = ? WHERE state = 'sending'").run(at);
    let changed = prepared(
      db,
      `UPDATE outbox SET state = 'skipped', reason = @reason, next_at = NULL, updated_at = @at
       WHERE destination = 'dmp' AND action = 'submit' AND state IN ('pending', 'failed')
         AND prescription_id IN (SELECT p.id FROM prescriptions p JOIN patients pa ON pa.id = p.patient_id WHERE pa.dmp_objection_on IS NOT NULL)`,
    ).run({ reason: OBJECTION_REASON, at }).changes;
    changed += prepared(
      db,
      `UPDATE outbox SET state = 'skipped', reason = @reason, next_at = NULL, updated_at = @at
       WHERE destination = 'dmp' AND action = 'submit' AND state IN ('pending', 'failed', 'dead')
         AND prescription_id IN (SELECT id FROM prescriptions WHERE state = 'cancelled')`,
    ).run({ reason: CANCELLED_BEFORE_SENT, at }).changes;
    changed += prepared(
      db,
      `UPDATE outbox SET state = 'skipped', reason = @reason, next_at = NULL, updated_at = @at
       WHERE destination = 'dmp' AND action = 'cancel' AND state IN ('pending', 'failed', 'dead')
         AND NOT EXISTS (SELECT 1 FROM outbox s WHERE s.prescription_id = outbox.prescription_id AND s.destination = 'dmp' AND s.action = 'submit' AND s.state IN ('sent', 'pending', 'failed', 'sending'))`,
    ).run({ reason: NOTHING_TO_WITHDRAW, at }).changes;
    return changed;
  });
}

/**
 * The next DMP rows to send, after row `afterId` (one pass of a sync visits each row once): a
 * waiting or failed submission, or a withdrawal whose submission was sent.
 */
export function dueRows(db: Db, afterId: number, limit: number): DueRow[] {
  return prepared(
    db,
    `SELECT o.id, o.prescription_id AS prescriptionId, o.action, o.attempts FROM outbox o
     WHERE o.destination = 'dmp' AND o.state IN ('pending', 'failed') AND o.id > @afterId
       AND (o.action = 'submit' OR EXISTS (SELECT 1 FROM outbox s WHERE s.prescription_id = o.prescription_id AND s.destination = 'dmp' AND s.action = 'submit' AND s.state = 'sent'))
     ORDER BY o.id LIMIT @limit`,
  ).all({ afterId, limit }) as DueRow[];
}

/** How many DMP rows wait to be sent (the progress bar's total). */
export function countDue(db: Db): number {
  return prepared(db, "SELECT count(*) FROM outbox WHERE destination = 'dmp' AND state IN ('pending', 'failed', 'sending')").pluck().get() as number;
}

/** Rows about to be sent: `sending`, one attempt more. Returns those this sync took (another process may have taken some). */
export function markSending(db: Db, ids: readonly number[], now: Date): Set<number> {
  const at = now.toISOString();
  return writeTransaction(db, () => {
    const mark = prepared(db, "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state IN ('pending', 'failed')");
    return new Set(ids.filter((id) => mark.run(at, id).changes === 1));
  });
}

/** Whether an outbox sync other than `exceptJobId` is running (this process or another). */
export function otherSyncRunning(db: Db, exceptJobId: number | null): boolean {
  return prepared(db, "SELECT 1 FROM jobs WHERE kind = 'outbox.sync' AND state = 'running' AND id IS NOT ?").get(exceptJobId) !== undefined;
}

export type RowOutcome = { id: number; state: 'sent' } | { id: number; state: 'failed' | 'dead'; reason: string } | { id: number; state: 'pending' };

/** The outcome of each row sent, in one transaction (a row `pending` was not tried after all). */
export function recordOutcomes(db: Db, outcomes: readonly RowOutcome[], now: Date): void {
  const at = now.toISOString();
  writeTransaction(db, () => {
    const sent = prepared(db, "UPDATE outbox SET state = 'sent', reason = NULL, next_at = NULL, sent_at = @at, updated_at = @at WHERE id = @id AND state = 'sending'");
    const other = prepared(db, "UPDATE outbox SET state = @state, reason = @reason, next_at = NULL, updated_at = @at WHERE id = @id AND state = 'sending'");
    const untried = prepared(db, "UPDATE outbox SET state = 'pending', attempts = max(attempts - 1, 0), updated_at = @at WHERE id = @id AND state = 'sending'");
    for (const o of outcomes) {
      if (o.state === 'sent') sent.run({ id: o.id, at });
      else if (o.state === 'pending') untried.run({ id: o.id, at });
      else other.run({ id: o.id, state: o.state, reason: o.reason.slice(0, 1000), at });
    }
  });
}

export interface StoredDocument {
  prescriptionId: number;
  uniqueId: string;
  patientId: string;
  cda: Buffer;
  sha1: string;
  size: number;
}

export function readDocument(db: Db, prescriptionId: number): StoredDocument | null {
  return (
    (prepared(db, 'SELECT prescription_id AS prescriptionId, unique_id AS uniqueId, patient_id AS patientId, cda, sha1, size FROM dmp_documents WHERE prescription_id = ?').get(prescriptionId) as
      | StoredDocument
      | undefined) ?? null
  );
}

/** Keeps the documents built for a batch (one transaction). */
export function storeDocuments(db: Db, docs: readonly StoredDocument[], now: Date): void {
  const at = now.toISOString();
  writeTransaction(db, () => {
    const insert = prepared(
      db,
      `INSERT INTO dmp_documents (prescription_id, unique_id, patient_id, cda, sha1, size, built_at)
       VALUES (@prescriptionId, @uniqueId, @patientId, @cda, @sha1, @size, @at) ON CONFLICT (prescription_id) DO NOTHING`,
    );
    for (const d of docs) insert.run({ ...d, at });
  });
}

/** What a document is built from: the signature as signed, and the patient's INS as the record holds it now. */
export interface DocumentSource {
  prescriptionId: number;
  rxId: string;
  signedAt: string;
  keyId: string;
  qrPayload: string;
  content: SignedContent;
  patient: { nir: string | null; identityStatus: 'provisional' | 'verified'; birthPlaceCode: string };
}

export function readSource(db: Db, prescriptionId: number): DocumentSource | null {
  const row = prepared(
    db,
    `SELECT s.prescription_id AS prescriptionId, s.rx_id AS rxId, s.signed_at AS signedAt, s.key_id AS keyId, s.qr_payload AS qrPayload, s.content,
            pa.nir, pa.identity_status AS identityStatus, pa.birth_place_code AS birthPlaceCode
     FROM prescription_signatures s JOIN prescriptions p ON p.id = s.prescription_id JOIN patients pa ON pa.id = p.patient_id
     WHERE s.prescription_id = ?`,
  ).get(prescriptionId) as (Omit<DocumentSource, 'content' | 'patient'> & { content: string; nir: string | null; identityStatus: 'provisional' | 'verified'; birthPlaceCode: string }) | undefined;
  if (row === undefined) return null;
  const { content, nir, identityStatus, birthPlaceCode, ...rest } = row;
  return { ...rest, content: JSON.parse(content) as SignedContent, patient: { nir, identityStatus, birthPlaceCode } };
}

interface ItemRow {
  id: number;
  prescriptionId: number;
  rxId: string;
  patientId: number;
  birthName: string;
  usedName: string;
  firstNames: string;
  sex: 'F' | 'M' | 'I';
  destination: 'dmp' | 'cnam';
  action: 'submit' | 'cancel';
  state: OutboxState;
  reason: string | null;
  attempts: number;
  signedAt: string;
  updatedAt: string;
  sentAt: string | null;
}

const ATTENTION = "o.state IN ('pending', 'sending', 'failed', 'dead')";

/** Rows newest first; `retryAt`: when the waiting sync runs next (a failed row's next try). */
export function listItems(db: Db, filter: 'all' | 'attention' | 'sent', limit: number, retryAt: string | null): OutboxItem[] {
  const where = filter === 'attention' ? `WHERE ${ATTENTION}` : filter === 'sent' ? "WHERE o.state = 'sent'" : '';
  const rows = prepared(
    db,
    `SELECT o.id, o.prescription_id AS prescriptionId, s.rx_id AS rxId, pa.id AS patientId, pa.birth_name AS birthName, pa.used_name AS usedName,
            pa.first_names AS firstNames, pa.sex, o.destination, o.action, o.state, o.reason, o.attempts, s.signed_at AS signedAt,
            o.updated_at AS updatedAt, o.sent_at AS sentAt
     FROM outbox o JOIN prescription_signatures s ON s.prescription_id = o.prescription_id
       JOIN prescriptions p ON p.id = o.prescription_id JOIN patients pa ON pa.id = p.patient_id
     ${where} ORDER BY o.id DESC LIMIT ?`,
  ).all(limit) as ItemRow[];
  return rows.map((r) => ({
    id: r.id,
    prescriptionId: r.prescriptionId,
    rxId: r.rxId,
    patient: { id: r.patientId, name: displayName(r) },
    destination: r.destination,
    action: r.action,
    state: r.state,
    reason: r.reason,
    attempts: r.attempts,
    nextAttemptAt: r.state === 'failed' ? retryAt : null,
    signedAt: r.signedAt,
    updatedAt: r.updatedAt,
    sentAt: r.sentAt,
  }));
}

export function stateCounts(db: Db): Record<OutboxState, number> {
  const counts = Object.fromEntries(outboxStates.map((s) => [s, 0])) as Record<OutboxState, number>;
  for (const r of prepared(db, 'SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as { state: OutboxState; n: number }[]) counts[r.state] = r.n;
  return counts;
}

/** Counted by the badge: DMP rows waiting or refused. */
export function attentionCount(db: Db): number {
  return prepared(db, `SELECT count(*) FROM outbox o WHERE o.destination = 'dmp' AND ${ATTENTION}`).pluck().get() as number;
}

/**
 * « Réessayer »: a failed or refused DMP row waits again; a refused submission's document is
 * dropped, to be built again from the record as it is now (a corrected INS). Without `id`, every
 * failed row. Returns the rows changed; an unknown id, or a row in another state, changes nothing.
 */
export function retryRows(db: Db, id: number | undefined, now: Date): number {
  const at = now.toISOString();
  return writeTransaction(db, () => {
    if (id === undefined) return prepared(db, "UPDATE outbox SET state = 'pending', updated_at = ? WHERE destination = 'dmp' AND state = 'failed'").run(at).changes;
    const row = prepared(db, 'SELECT prescription_id AS prescriptionId, action, state FROM outbox WHERE id = ?').get(id) as { prescriptionId: number; action: string; state: string } | undefined;
    if (row === undefined || (row.state !== 'failed' && row.state !== 'dead')) return 0;
    if (row.state === 'dead' && row.action === 'submit') prepared(db, 'DELETE FROM dmp_documents WHERE prescription_id = ?').run(row.prescriptionId);
    return prepared(db, "UPDATE outbox SET state = 'pending', reason = NULL, updated_at = ? WHERE id = ?").run(at, id).changes;
  });
}

export function rowExists(db: Db, id: number): boolean {
  return prepared(db, 'SELECT 1 FROM outbox WHERE id = ?').get(id) !== undefined;
}
