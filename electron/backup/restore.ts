/**
 * Restoring a backup in place of ordo.db, with nobody holding the database (the CLI checks the
 * folder's marks; the app closes its own database first):
 *
 * 1. the chosen file is copied with the backup API beside ordo.db and the copy is checked:
 *    integrity_check, an Ordo database, a schema version this Ordo knows (refused in French
 *    otherwise, nothing changed);
 * 2. the database in use is kept aside, `backups/avant-restauration-<date>-<time>.db`, with the
 *    backup API (a database too damaged for it is copied as it lies on disk, with its -wal);
 * 3. the stale -wal and -shm are removed and the copy is renamed over ordo.db (atomic);
 * 4. the database is opened, migrated when older, and the audit entry « backup.restored » (the
 *    file and its SHA-256) is appended; the audit's anchor outside the database is re-anchored.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RestoreResult } from '../../shared/calls/backup';
import { OrdoError } from '../../shared/errors';
import { appendAudit } from '../audit/audit';
import { latestVersion } from '../db/migrate';
import { migrations } from '../db/migrations';
import { openDatabase, openSqlite } from '../db/open';
import { writeTransaction } from '../db/transaction';
import type { OpenOptions } from '../db/types';
import { createLogger } from '../log';
import { databasePath } from '../paths';
import { backupInto, checkCopy, openSource, tooNewProblem } from './copy';
import { writeCheckedCopy } from './create';
import { backupsDir, checkRecordPath, fsyncPath, removeStaleTemporaries, sha256File, temporaryName } from './files';
import { holdDataDir, refuseIfHeldByOthers } from './in-use';
import { beforeRestoreName } from './names';
import { reanchorAfterRestore } from './reanchor';

const log = createLogger('backup.restore');

export interface RestoreArgs {
  dataDir: string;
  sqlite: OpenOptions;
  /** The backup to install (absolute path). */
  file: string;
  /** ISO. */
  now: string;
  /** Who asked, for the audit entry: 'prescriber' (Réglages) or 'cli'. */
  actor: string;
}

/** Step 1: a checked copy of the chosen file beside ordo.db, or a French refusal (the copy removed). */
async function checkedCandidate(args: RestoreArgs): Promise<{ tmp: string; schemaVersion: number }> {
  const source = openSource(args.file, args.sqlite);
  const tmp = temporaryName(args.dataDir, 'restauration');
  try {
    await backupInto(source, tmp, args.sqlite);
  } catch {
    throw new OrdoError('IMPORT_FAILED', `Le fichier « ${basename(args.file)} » n’a pas pu être lu : ce n’est pas une sauvegarde d’Ordo, ou elle est endommagée. Rien n’a été changé.`);
  } finally {
    source.close();
  }
  const check = checkCopy(tmp, args.sqlite);
  const tooNew = tooNewProblem(check.schemaVersion);
  const refusal =
    !check.ordo && check.integrity.length === 1 && check.integrity[0] === 'ok'
      ? `Le fichier « ${basename(args.file)} » n’est pas une sauvegarde d’Ordo. Rien n’a été changé.`
      : !check.ok
        ? `Le fichier « ${basename(args.file)} » est endommagé (${check.problem ?? 'contrôle d’intégrité en échec'}) : il ne peut pas être restauré. Rien n’a été changé.`
        : tooNew !== null
          ? `${tooNew} Rien n’a été changé.`
          : null;
  if (refusal !== null || check.schemaVersion === null) {
    rmSync(tmp, { force: true });
    throw new OrdoError(tooNew !== null ? 'DATABASE_TOO_NEW' : 'IMPORT_FAILED', refusal ?? 'Version de la sauvegarde illisible. Rien n’a été changé.');
  }
  return { tmp, schemaVersion: check.schemaVersion };
}

/** Step 2: the database in use kept aside in the backups folder; its name, or null when there was none. */
async function keepCurrentAside(dataDir: string, sqlite: OpenOptions, now: Date): Promise<string | null> {
  const current = databasePath(dataDir);
  if (!existsSync(current)) return null;
  const folder = backupsDir(dataDir);
  mkdirSync(folder, { recursive: true });
  let name = beforeRestoreName(now);
  for (let n = 1; existsSync(join(folder, name)); n++) name = beforeRestoreName(now, n);
  const final = join(folder, name);
  try {
    await writeCheckedCopy(current, final, sqlite, now);
  } catch (error) {
    // Too damaged for the backup API (or for its check): the files as they lie on disk, nobody
    // has them open. Unchecked, but nothing of it is lost.
    log.warn('database in use kept aside as raw files', { error: error instanceof Error ? error.message : String(error) });
    const tmp = temporaryName(folder, name);
    copyFileSync(current, tmp);
    if (existsSync(`${current}-wal`)) copyFileSync(`${current}-wal`, `${tmp}-wal`);
    fsyncPath(tmp);
    rmSync(checkRecordPath(final), { force: true });
    if (existsSync(`${tmp}-wal`)) {
      fsyncPath(`${tmp}-wal`);
      renameSync(`${tmp}-wal`, `${final}-wal`);
    }
    renameSync(tmp, final);
    fsyncPath(folder);
  }
  // The last connection closed checkpoints the WAL: ordo.db alone now holds what was in use.
  try {
    openSqlite(current, sqlite).close();
  } catch {
    // damaged: kept aside as is above
  }
  return name;
}

export async function restoreBackup(args: RestoreArgs): Promise<RestoreResult> {
  const now = new Date(args.now);
  refuseIfHeldByOthers(args.dataDir);
  const release = holdDataDir(args.dataDir, 'restore', 'restore', now);
  try {
    removeStaleTemporaries(args.dataDir);
    const { tmp, schemaVersion } = await checkedCandidate(args);
    const sha256 = sha256File(args.file);
    let keptAside: string | null;
    try {
      keptAside = await keepCurrentAside(args.dataDir, args.sqlite, now);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
    const current = databasePath(args.dataDir);
    // Stale journals of the database replaced: applied to the restored file they would corrupt it.
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${current}${suffix}`, { force: true });
    fsyncPath(tmp);
    renameSync(tmp, current);
    fsyncPath(args.dataDir);

    const db = openDatabase(current, args.sqlite);
    try {
      writeTransaction(db, () => {
        appendAudit(
          db,
          { actor: args.actor, action: 'backup.restored', subject: 'database', details: { file: basename(args.file), sha256, fromVersion: schemaVersion, toVersion: latestVersion(migrations), keptAside } },
          now,
        );
      });
      reanchorAfterRestore(db, args.dataDir, now);
    } finally {
      db.close();
    }
    log.info('backup restored', { file: basename(args.file), keptAside });
    return { restored: basename(args.file), sha256, keptAside, fromVersion: schemaVersion, toVersion: latestVersion(migrations) };
  } finally {
    release();
  }
}

/** In a task thread (electron/tasks.ts). */
export const restoreTask = (args: RestoreArgs): Promise<RestoreResult> => restoreBackup(args);
