import type { PrescriberProfile } from '../../shared/domain/profile';
import { appendAudit } from '../audit/audit';
import type { Clock } from '../clock';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import { readProfile, writeProfile } from './repository';

export function createProfileService(db: Db, clock: Clock) {
  return {
    get: (): PrescriberProfile | null => readProfile(db),
    save: (profile: PrescriberProfile): PrescriberProfile => {
      const now = clock.now();
      writeTransaction(db, () => {
        const before = readProfile(db);
        writeProfile(db, profile, now);
        appendAudit(db, { actor: 'prescriber', action: before === null ? 'profile.created' : 'profile.updated', subject: 'profile', details: {} }, now);
      });
      return profile;
    },
  };
}
