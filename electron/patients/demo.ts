import { appendAudit } from '../audit/audit';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import { OrdoError } from '../../shared/errors';
import { countPatients, insertPatient } from './repository';
import { syntheticPatients } from './synthetic';

/** Fills an empty register with fake patients (demonstrations, benchmarks); refused on a register in use. */
export function fillDemoPatients(db: Db, now: Date, count: number, seed: number): number {
  writeTransaction(db, () => {
    if (countPatients(db) > 0) {
      throw new OrdoError('CONFLICT', 'Le registre contient déjà des patients : les patients de démonstration ne vont que dans un registre vide.');
    }
    for (const p of syntheticPatients(count, seed)) insertPatient(db, p, now.toISOString());
    appendAudit(db, { actor: 'prescriber', action: 'patients.demo', subject: 'patients', details: { count, seed } }, now);
  });
  return count;
}
