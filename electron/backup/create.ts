/**
 * Making one backup: the backup API into a temporary name, the copy checked (integrity_check,
 * Ordo's tables, schema version), its check recorded, then renamed into place. A copy that fails
 * its check is deleted and the failure thrown in French; a backup killed halfway leaves only a
 * temporary file, removed at the next backup. Daily backups are then pruned by the retention rule.
 *
 * Runs in a task thread in the app (its own read-only connection to ordo.db), inline in the CLI.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { BackupInfo } from '../../shared/calls/backup';
import { OrdoError } from '../../shared/errors';
import type { OpenOptions } from '../db/types';
import { createLogger } from '../log';
import { databasePath } from '../paths';
import { backupInto, checkCopy, openSource } from './copy';
import { backupsDir, checkRecordPath, fsyncPath, listBackups, pruneDailyBackups, removeStaleTemporaries, sha256File, temporaryName, writeFileAtomic, type CheckRecord } from './files';
import { dailyName, localDay, manualName } from './names';

const log = createLogger('backup');

export interface BackupArgs {
  dataDir: string;
  sqlite: OpenOptions;
  /** `daily`: today's backup (skipped when it exists); `manual`: a backup on request. */
  kind: 'daily' | 'manual';
  /** ISO: the clock of whoever asked (an injected one in tests). */
  now: string;
  /** `ordo backup --out FILE`: written there instead of the backups folder (no retention, no record). */
  out?: string;
}

export interface BackupOutcome {
  /** Null with `out`: the file is outside the backups folder. */
  info: BackupInfo | null;
  file: string;
  /** False when today's daily backup was already there. */
  written: boolean;
  /** What the check of the copy found (null when nothing was written). */
  record: CheckRecord | null;
  /** Daily backups deleted by the retention rule. */
  pruned: string[];
}

/** Writes one checked copy of `source` at `final`, atomically; returns its check record. */
export async function writeCheckedCopy(source: string, final: string, sqlite: OpenOptions, now: Date): Promise<CheckRecord> {
  const folder = dirname(final);
  mkdirSync(folder, { recursive: true });
  removeStaleTemporaries(folder);
  const tmp = temporaryName(folder, basename(final));
  const db = openSource(source, sqlite);
  try {
    await backupInto(db, tmp, sqlite);
  } catch (error) {
    log.error('backup failed', { error: error instanceof Error ? error.message : String(error) });
    throw new OrdoError('DATABASE_ERROR', `La sauvegarde n’a pas pu être faite : la base de données n’a pas pu être lue (${error instanceof Error ? error.message : String(error)}). Ouvrez Réglages → Diagnostic.`);
  } finally {
    db.close();
  }
  const check = checkCopy(tmp, sqlite);
  if (!check.ok || check.schemaVersion === null) {
    rmSync(tmp, { force: true });
    log.error('backup failed its check: deleted', { integrity: check.integrity.slice(0, 3).join('; ') });
    throw new OrdoError(
      'DATABASE_ERROR',
      `La sauvegarde a échoué à sa vérification (${check.problem ?? 'version illisible'}) et a été supprimée. La base de données en cours est peut-être endommagée : ouvrez Réglages → Diagnostic.`,
    );
  }
  const record: CheckRecord = { createdAt: now.toISOString(), size: statSync(tmp).size, sha256: sha256File(tmp), schemaVersion: check.schemaVersion, integrity: 'ok' };
  fsyncPath(tmp);
  return finish(tmp, final, record, folder);
}

function finish(tmp: string, final: string, record: CheckRecord, folder: string): CheckRecord {
  writeFileAtomic(checkRecordPath(final), JSON.stringify(record), folder);
  renameSync(tmp, final);
  fsyncPath(folder);
  return record;
}

/** One backup of the data folder's database (see BackupArgs). */
export async function createBackup(args: BackupArgs): Promise<BackupOutcome> {
  const now = new Date(args.now);
  const source = databasePath(args.dataDir);
  if (!existsSync(source)) throw new OrdoError('NOT_FOUND', `Aucune base de données à sauvegarder dans ce dossier (${args.dataDir}).`);
  if (args.out !== undefined) {
    if (existsSync(args.out)) throw new OrdoError('CONFLICT', `Le fichier « ${args.out} » existe déjà : choisissez un autre nom.`);
    const record = await writeCheckedCopy(source, args.out, args.sqlite, now);
    // Outside the backups folder nobody lists it: no record beside it.
    rmSync(checkRecordPath(args.out), { force: true });
    return { info: null, file: args.out, written: true, record, pruned: [] };
  }
  const folder = backupsDir(args.dataDir);
  let name = args.kind === 'daily' ? dailyName(now) : manualName(now);
  for (let n = 2; args.kind === 'manual' && existsSync(join(folder, name)); n++) name = manualName(now, n);
  const final = join(folder, name);
  let record: CheckRecord | null = null;
  if (args.kind === 'manual' || !existsSync(final)) record = await writeCheckedCopy(source, final, args.sqlite, now);
  const written = record !== null;
  const pruned = args.kind === 'daily' ? pruneDailyBackups(folder) : [];
  const info = listBackups(folder).find((b) => b.name === name) ?? null;
  if (written) log.info('backup written', { file: name, day: localDay(now), pruned: pruned.length });
  return { info, file: final, written, record, pruned };
}

/** In a task thread (electron/tasks.ts). */
export const backupTask = (args: BackupArgs): Promise<BackupOutcome> => createBackup(args);
