/** What the rest of Ordo uses of the backups (the composition roots, the service worker, the CLI through app.ts). */
export { backupServices, type BackupCallsOptions } from './calls';
export { DAMAGED, quickCheckTask } from './copy';
export { describeFailure, fileErrorCause, isDamageError } from './messages';
export { backupTask, createBackup, type BackupArgs, type BackupOutcome } from './create';
export { backupsDir, listBackups } from './files';
export { holdDataDir, holders, refuseIfHeldByOthers } from './in-use';
export { restoreBackup, restoreTask, type RestoreArgs } from './restore';
export { createBackupService, type BackupService } from './service';
