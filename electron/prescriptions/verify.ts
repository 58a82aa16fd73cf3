/**
 * « Vérifier une ordonnance »: a signed code checked offline against the public keys this data
 * folder knows (its own, current and rotated, and those imported in `keys/public/`), and, when the
 * prescription was signed here, its state today (a cancelled one is no longer to be dispensed).
 */
import type { CallOutput } from '../../shared/contract';
import type { Db } from '../db/types';
import { verificationKeys } from '../keys/signing-key';
import { verifyPayload } from '../signing/seal';
import { prescriptionOfRx, readCancellation, readPrescriptionRow } from './repository';

export function verifyCode(db: Db, dataDir: string, code: string, keyDirs: readonly string[] = []): CallOutput<'prescriptions.verify'> {
  const check = verifyPayload(code, verificationKeys(dataDir, keyDirs));
  if (check.status === 'unreadable') return { status: 'unreadable', valid: false, id: null, issuedAt: null, prescriber: null, keyId: null, reason: check.reason, local: null };
  const here = prescriptionOfRx(db, check.id);
  const row = here === null ? null : readPrescriptionRow(db, here);
  return {
    status: check.status,
    valid: check.status === 'valid',
    id: check.id,
    issuedAt: check.issuedAt,
    prescriber: check.prescriber,
    keyId: check.keyId,
    reason: check.reason,
    local: row === null ? null : { id: row.id, state: row.state, cancellation: readCancellation(db, row.id) },
  };
}
