/**
 * Restoring a backup in place of ordo.db, with nobody holding the database (the CLI checks the
 * folder's marks; the app closes its own database first):
 *
 * 1. the chosen file is copied with the backup API beside ordo.db and the copy is checked:
 *    integrity_check, an Ordo database, a schema version this Ordo knows (refused in French
 *    otherwise, nothing changed);
 *    A file with a check record beside it (a backup Ordo wrote) must still have the SHA-256 recorded;
 * 2. the database in use is kept aside, `backups/avant-restauration-<date>-<time>.db`, with the
 *    backup API (a database too damaged for it is copied as it lies on disk, with its -wal);
 * 3. `wal_checkpoint(TRUNCATE)` on the database in use: refused (nothing changed, the copy kept
 *    aside removed) unless it completes, i.e. no other connection still reads or writes it; then
 *    the -wal and -shm are moved aside, the copy renamed over ordo.db (atomic), and only then are
 *    they deleted (put back if the rename failed);
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
import type { Db, OpenOptions } from '../db/types';
import { createLogger } from '../log';
import { databasePath } from '../paths';
import { backupInto, checkCopy, openSource, tooNewProblem } from './copy';
import { isSourceDamage, writeCheckedCopy } from './create';
import { backupsDir, checkRecordPath, fsyncPath, readCheckRecord, removeStaleTemporaries, sha256File, temporaryName } from './files';
import { describeFailure, fileErrorCause, isDamageError } from './messages';
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
async function checkedCandidate(args: RestoreArgs, sha256: string): Promise<{ tmp: string; schemaVersion: number }> {
  const record = readCheckRecord(args.file);
  if (record !== null && record.sha256 !== sha256) {
    throw new OrdoError(
      'IMPORT_FAILED',
      `La sauvegarde « ${basename(args.file)} » a été modifiée depuis sa vérification (son empreinte SHA-256 n’est plus la même) : elle ne peut pas être restaurée. Choisissez-en une autre. Rien n’a été changé.`,
    );
  }
  let source: Db;
  try {
    source = openSource(args.file, args.sqlite);
  } catch (error) {
    if (error instanceof OrdoError && error.code === 'DATABASE_ERROR') throw new OrdoError('DATABASE_ERROR', `${error.message} Rien n’a été changé.`);
    throw error;
  }
  const tmp = temporaryName(args.dataDir, 'restauration');
  try {
    await backupInto(source, tmp, args.sqlite);
  } catch (error) {
    // Reading the chosen file failed (damaged), or writing its copy beside ordo.db did (a full disk…).
    const cause = isDamageError(error) ? null : fileErrorCause(error, args.dataDir);
    if (cause !== null) throw new OrdoError('DATABASE_ERROR', `La restauration n’a pas pu commencer : ${cause} Rien n’a été changé.`);
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
    if (!isSourceDamage(error)) throw asideFailure(error);
    // Too damaged for the backup API (or for its check): the files as they lie on disk. Unchecked,
    // but nothing of it is lost.
    log.warn('database in use kept aside as raw files', { error: error instanceof Error ? error.message : String(error) });
    const tmp = temporaryName(folder, name);
    try {
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
    } catch (copyError) {
      for (const file of [tmp, `${tmp}-wal`, `${final}-wal`]) rmSync(file, { force: true });
      throw asideFailure(copyError);
    }
  }
  return name;
}

const asideFailure = (error: unknown): OrdoError => {
  if (error instanceof OrdoError) return new OrdoError(error.code, `La base actuelle n’a pas pu être mise de côté avant la restauration. ${error.message} Rien n’a été changé.`);
  return new OrdoError('DATABASE_ERROR', `La base actuelle n’a pas pu être mise de côté avant la restauration : ${describeFailure(error, 'backups')} Rien n’a été changé.`);
};

const BUSY_REFUSAL =
  'La base de données est encore utilisée par une autre tâche d’Ordo (un contrôle, un diagnostic ou un import en cours) : la restauration n’a pas été faite, rien n’a été changé. Réessayez dans un instant.';

/**
 * Step 3, before installing: what the -wal holds goes into ordo.db, or the restore is refused.
 * True when done (or nothing to do), false when another connection kept it from completing;
 * a database too damaged to be opened has nothing to checkpoint (it was kept aside with its -wal).
 */
function checkpointCurrent(current: string, sqlite: OpenOptions): boolean {
  if (!existsSync(current)) return true;
  let db: Db;
  try {
    db = openSqlite(current, sqlite);
  } catch (error) {
    if (isDamageError(error)) return true;
    throw error;
  }
  try {
    db.pragma('busy_timeout = 2000');
    const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return row === undefined || row.busy === 0;
  } catch (error) {
    if (isDamageError(error)) return true;
    if (error instanceof Error && /^SQLITE_(BUSY|LOCKED)/.test((error as { code?: string }).code ?? '')) return false;
    throw error;
  } finally {
    db.close();
  }
}

/** Step 3: the journals moved aside, the copy renamed over ordo.db, the journals deleted (put back on failure). */
function install(tmp: string, current: string, dataDir: string): void {
  const moved: [string, string][] = [];
  try {
    for (const suffix of ['-wal', '-shm', '-journal']) {
      const file = `${current}${suffix}`;
      if (!existsSync(file)) continue;
      const aside = temporaryName(dataDir, `ordo.db${suffix}`);
      renameSync(file, aside);
      moved.push([file, aside]);
    }
    fsyncPath(tmp);
    renameSync(tmp, current);
  } catch (error) {
    for (const [file, aside] of moved.reverse()) {
      try {
        renameSync(aside, file);
      } catch (back) {
        log.error('journal could not be put back', { file, error: back instanceof Error ? back.message : String(back) });
      }
    }
    rmSync(tmp, { force: true });
    throw new OrdoError('DATABASE_ERROR', `La sauvegarde n’a pas pu être mise en place : ${describeFailure(error, dataDir)} La base actuelle est restée en place.`);
  }
  fsyncPath(dataDir);
  // Stale journals of the database replaced: applied to the restored file they would corrupt it.
  for (const [, aside] of moved) rmSync(aside, { force: true });
}

export async function restoreBackup(args: RestoreArgs): Promise<RestoreResult> {
  const now = new Date(args.now);
  // Our mark first, then the others': an app starting meanwhile sees ours and refuses, or we see its.
  const release = holdDataDir(args.dataDir, 'restore', 'restore', now);
  try {
    refuseIfHeldByOthers(args.dataDir);
    removeStaleTemporaries(args.dataDir);
    const sha256 = existsSync(args.file) ? sha256File(args.file) : '';
    const { tmp, schemaVersion } = await checkedCandidate(args, sha256);
    let keptAside: string | null;
    try {
      keptAside = await keepCurrentAside(args.dataDir, args.sqlite, now);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
    const current = databasePath(args.dataDir);
    let checkpointed: boolean;
    try {
      checkpointed = checkpointCurrent(current, args.sqlite);
    } catch (error) {
      discard(tmp, args.dataDir, keptAside);
      throw new OrdoError('DATABASE_ERROR', `La restauration n’a pas été faite : ${describeFailure(error, current)} Rien n’a été changé.`);
    }
    if (!checkpointed) {
      discard(tmp, args.dataDir, keptAside);
      throw new OrdoError('CONFLICT', BUSY_REFUSAL);
    }
    install(tmp, current, args.dataDir);

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
  } catch (error) {
    if (error instanceof OrdoError) throw error;
    // Never SQLite's or Node's English text, never « erreur inattendue » for a full disk.
    log.error('restore failed', { error: error instanceof Error ? error.message : String(error) });
    throw new OrdoError('DATABASE_ERROR', `La restauration n’a pas pu aller au bout : ${describeFailure(error, args.dataDir)} Ouvrez Réglages → Diagnostic.`);
  } finally {
    release();
  }
}

/** A refused restore: the copy and the database kept aside for it removed (nothing changed). */
function discard(tmp: string, dataDir: string, keptAside: string | null): void {
  rmSync(tmp, { force: true });
  if (keptAside === null) return;
  const file = join(backupsDir(dataDir), keptAside);
  for (const path of [file, `${file}-wal`, checkRecordPath(file)]) rmSync(path, { force: true });
}

/** In a task thread (electron/tasks.ts). */
export const restoreTask = (args: RestoreArgs): Promise<RestoreResult> => restoreBackup(args);
