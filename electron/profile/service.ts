import type { PrescriberProfile } from '../../shared/domain/profile';
import { appendAudit } from '../audit/audit';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { readProfile, writeProfile } from './repository';


export function createProfileService(db: Db, clock: Clock) {
  return {
    get: (): PrescriberProfile | null => readProfile(db),
    save: (profile: PrescriberProfile): PrescriberProfile => {
      db.transaction(() => {
        const before = readProfile(db);
        writeProfile(db, profile, clock.now());
        appendAudit(db, { actor: 'prescriber', action: before === null ? 'profile.created' : 'profile.updated', subject: 'profile', details: {} }, clock.now());
      })();
      return profile;
    },
  };
}
