import { appendAudit } from '../audit/audit';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import { OrdoError } from '../../shared/errors';
import { countPatients, insertPatient } from './repository';
import { syntheticPatients } from './synthetic';

/**
 * Rows per write transaction: a large fill (a benchmark's 100,000 patients) must not hold the
 * write lock for seconds while the app saves a patient (issue 9 point 8); each batch is a few ms.
 */
const BATCH = 500;

/** Fills an empty register with fake patients (demonstrations, benchmarks); refused on a register in use. */
export function fillDemoPatients(db: Db, now: Date, count: number, seed: number): number {
  const patients = [...syntheticPatients(count, seed)];
  const at = now.toISOString();
  for (let start = 0; start === 0 || start < patients.length; start += BATCH) {
    writeTransaction(db, () => {
      if (start === 0 && countPatients(db) > 0) {
        throw new OrdoError('CONFLICT', 'Le registre contient déjà des patients : les patients de démonstration ne vont que dans un registre vide.');
      }
      for (const p of patients.slice(start, start + BATCH)) insertPatient(db, p, at);
      if (start + BATCH >= patients.length) appendAudit(db, { actor: 'prescriber', action: 'patients.demo', subject: 'patients', details: { count, seed } }, now);
    });
  }
  return count;
}
