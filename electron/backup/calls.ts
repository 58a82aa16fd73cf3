import type { backupCalls, BackupList, RestoreResult } from '../../shared/calls/backup';
import { OrdoError } from '../../shared/errors';
import type { ServicesFor } from '../dispatch';
import type { BackupService } from './service';

export interface BackupCallsOptions {
  backups: BackupService;
  database: () => BackupList['database'];
  /** Installs a backup of the list and reopens the database; absent where nothing can reopen it. */
  restore?: ((name: string) => Promise<RestoreResult>) | undefined;
  /** Whether a backup can be made now (not of a database that could not be opened). */
  canCreate: boolean;
}

export function backupServices(options: BackupCallsOptions): ServicesFor<typeof backupCalls> {
  return {
    'backup.list': () => options.backups.list(options.database()),
    'backup.create': () => {
      if (!options.canCreate) {
        throw new OrdoError('DATABASE_ERROR', 'La base de données n’a pas pu être ouverte : elle ne peut pas être sauvegardée. Restaurez une sauvegarde.');
      }
      return options.backups.create();
    },
    'backup.restore': ({ name }) => {
      if (options.restore === undefined) {
        throw new OrdoError('CONFLICT', 'Ici, la base de données ne peut pas être rouverte : restaurez depuis l’application (Réglages → Sauvegardes) ou avec « ordo restore ».');
      }
      return options.restore(name);
    },
  };
}
