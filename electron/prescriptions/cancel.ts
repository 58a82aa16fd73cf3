/**
 * Cancelling a signed prescription (`prescriptions.cancel`): the legal record stays whole, a
 * cancellation row (write-once, migration 0011) says why and when, the state moves to `cancelled`,
 * the audit log says so, and the outbox gets what the destinations must be told. One IMMEDIATE
 * transaction; every refusal comes before its first write. A correction is a new prescription
 * (« Renouveler » from the cancelled one), never an edit of this one.
 */
import { OrdoError } from '../../shared/errors';
import { appendAudit } from '../audit/audit';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import {
  CNAM_DISABLED_REASON,
  PRESCRIPTION_NOT_FOUND,
  insertOutbox,
  readCancellation,
  readOutboxRow,
  readPrescriptionRow,
  readSignature,
  recordCancellation,
  type OutboxState,
} from './repository';

export const CANCEL_DRAFT = 'Ce brouillon n’est pas signé : il n’y a rien à annuler. Supprimez-le plutôt (« Supprimer le brouillon »).';
export const alreadyCancelled = (reason: string) => `Cette ordonnance est déjà annulée, pour un autre motif : « ${reason} ».`;

/**
 * What the DMP must be told of a cancellation, from where its submission stands. Anything that may
 * have left, or may still leave, is to be cancelled (the sync worker then drops a submission never
 * sent, or sends a deletion); a submission skipped (the patient's objection) or disabled stays so,
 * for the same reason. No submission row: nothing was ever to be sent.
 */
export function dmpCancelOf(submit: { state: string; reason: string | null } | null): { state: OutboxState; reason: string | null } | null {
  if (submit === null) return null;
  if (submit.state === 'skipped' || submit.state === 'disabled') return { state: submit.state, reason: submit.reason };
  return { state: 'pending', reason: null };
}

/**
 * Cancels prescription `id` for `reason` (already checked by the contract: 5 to 500 characters).
 * The same reason again answers as the first time (a double click, a retried call); another
 * reason, a draft or an unknown id is refused, changing nothing.
 */
export function cancelPrescription(db: Db, input: { id: number; reason: string }, now: Date): void {
  writeTransaction(db, () => {
    const row = readPrescriptionRow(db, input.id);
    if (row === null) throw new OrdoError('NOT_FOUND', PRESCRIPTION_NOT_FOUND);
    if (row.state === 'draft') throw new OrdoError('CONFLICT', CANCEL_DRAFT);
    if (row.state === 'cancelled') {
      const before = readCancellation(db, input.id);
      if (before !== null && before.reason === input.reason) return;
      throw new OrdoError('CONFLICT', alreadyCancelled(before?.reason ?? ''));
    }
    const signature = readSignature(db, input.id);
    if (signature === null) throw new OrdoError('CONFLICT', 'Cette ordonnance n’a pas de signature enregistrée : elle ne peut pas être annulée.');
    const dmp = dmpCancelOf(readOutboxRow(db, input.id, 'dmp', 'submit'));
    const at = now.toISOString();
    recordCancellation(db, { prescriptionId: input.id, reason: input.reason, at });
    appendAudit(db, { actor: 'prescriber', action: 'prescription.cancelled', subject: `prescription:${input.id}`, details: { rxId: signature.rxId, reason: input.reason } }, now);
    if (dmp !== null) insertOutbox(db, { prescriptionId: input.id, destination: 'dmp', action: 'cancel', ...dmp, now: at });
    insertOutbox(db, { prescriptionId: input.id, destination: 'cnam', action: 'cancel', state: 'disabled', reason: CNAM_DISABLED_REASON, now: at });
  });
}
