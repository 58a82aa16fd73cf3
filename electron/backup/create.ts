/**
 * Making one backup: the backup API into a temporary name, the copy checked (integrity_check,
 * Ordo's tables, schema version), its check recorded (size, mtime, SHA-256), then renamed into
 * place. With `--out` the copy goes to the GP's file: no record, nothing else of that folder touched. A copy that fails
 * its check is deleted and the failure thrown in French; a backup killed halfway leaves only a
 * temporary file, removed at the next backup. Daily backups are then pruned by the retention rule.
 *
 * Runs in a task thread in the app (its own read-only connection to ordo.db), inline in the CLI.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { BackupInfo } from '../../shared/calls/backup';
import { OrdoError, type ErrorCode } from '../../shared/errors';
import type { OpenOptions } from '../db/types';
import { createLogger } from '../log';
import { databasePath } from '../paths';
import { backupInto, checkCopy, openSource } from './copy';
import { backupsDir, checkRecordPath, fsyncPath, listBackups, pruneDailyBackups, removeStaleTemporaries, sha256File, temporaryName, writeFileAtomic, type CheckRecord } from './files';
import { DAMAGED, describeFailure, isDamageError } from './messages';
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

/** Errors of a backup that mean the database copied is damaged (the supervisor then checks the one in use). */
const sourceDamage = new WeakSet<Error>();

export const isSourceDamage = (error: unknown): boolean => error instanceof Error && sourceDamage.has(error);

const damageOfSource = (message: string): OrdoError => {
  const error = new OrdoError('DATABASE_ERROR', message);
  sourceDamage.add(error);
  return error;
};

export interface CopyOptions {
  /** The backups folder: a check record beside the copy, leftovers of killed backups removed. False for `--out` (the GP's own folder). */
  managed: boolean;
}

/** Writes one checked copy of `source` at `final`, atomically; returns its check record. */
export async function writeCheckedCopy(source: string, final: string, sqlite: OpenOptions, now: Date, options: CopyOptions = { managed: true }): Promise<CheckRecord> {
  const folder = dirname(final);
  const writeFailure = (error: unknown) => {
    log.error('backup could not be written', { error: error instanceof Error ? error.message : String(error) });
    return new OrdoError('DATABASE_ERROR', `La sauvegarde n’a pas pu être écrite : ${describeFailure(error, folder)}`);
  };
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw writeFailure(error);
  }
  if (options.managed) removeStaleTemporaries(folder);
  const tmp = temporaryName(folder, basename(final));
  let db;
  try {
    db = openSource(source, sqlite);
  } catch (error) {
    if (isDamageCause(error)) throw damageOfSource(`La sauvegarde n’a pas pu être faite : ${DAMAGED}`);
    throw error;
  }
  try {
    await backupInto(db, tmp, sqlite);
  } catch (error) {
    if (isDamageError(error)) {
      log.error('backup failed: the source is damaged', { error: error instanceof Error ? error.message : String(error) });
      throw damageOfSource(`La sauvegarde n’a pas pu être faite : ${DAMAGED}`);
    }
    throw writeFailure(error);
  } finally {
    db.close();
  }
  const check = checkCopy(tmp, sqlite);
  if (!check.ok || check.schemaVersion === null) {
    rmSync(tmp, { force: true });
    log.error('backup failed its check: deleted', { integrity: check.integrity.slice(0, 3).join('; ') });
    throw damageOfSource(
      `La sauvegarde a échoué à sa vérification (${check.problem ?? 'version illisible'}) et a été supprimée. La base de données en cours est peut-être endommagée : ouvrez Réglages → Diagnostic.`,
    );
  }
  try {
    fsyncPath(tmp);
    const stat = statSync(tmp);
    const record: CheckRecord = { createdAt: now.toISOString(), size: stat.size, mtimeMs: stat.mtimeMs, sha256: sha256File(tmp), schemaVersion: check.schemaVersion, integrity: 'ok' };
    if (options.managed) writeFileAtomic(checkRecordPath(final), JSON.stringify(record), folder);
    // --out: the GP's file may have appeared meanwhile; never renamed over it.
    if (!options.managed && existsSync(final)) throw new OrdoError('CONFLICT', `Le fichier « ${final} » existe déjà : choisissez un autre nom.`);
    renameSync(tmp, final);
    fsyncPath(folder);
    return record;
  } catch (error) {
    rmSync(tmp, { force: true });
    if (error instanceof OrdoError) throw error;
    throw writeFailure(error);
  }
}

/** openSource's refusal of an unreadable file (its cause is SQLite's « damaged »). */
const isDamageCause = (error: unknown) => error instanceof OrdoError && error.code === 'IMPORT_FAILED';

/** One backup of the data folder's database (see BackupArgs). */
export async function createBackup(args: BackupArgs): Promise<BackupOutcome> {
  const now = new Date(args.now);
  const source = databasePath(args.dataDir);
  if (!existsSync(source)) throw new OrdoError('NOT_FOUND', `Aucune base de données à sauvegarder dans ce dossier (${args.dataDir}).`);
  if (args.out !== undefined) {
    if (existsSync(args.out)) throw new OrdoError('CONFLICT', `Le fichier « ${args.out} » existe déjà : choisissez un autre nom.`);
    // Outside the backups folder nobody lists it: no record beside it, nothing else of the folder touched.
    const record = await writeCheckedCopy(source, args.out, args.sqlite, now, { managed: false });
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

/** What a backup task answers: its outcome, or its French failure and whether it means damage. */
export type BackupTaskResult = { outcome: BackupOutcome } | { failure: { code: ErrorCode; message: string; sourceDamaged: boolean } };

/** In a task thread (electron/tasks.ts): failures are answered, so that « damaged » crosses the thread. */
export async function backupTask(args: BackupArgs): Promise<BackupTaskResult> {
  try {
    return { outcome: await createBackup(args) };
  } catch (error) {
    if (error instanceof OrdoError) return { failure: { code: error.code, message: error.message, sourceDamaged: isSourceDamage(error) } };
    log.error('backup failed', { error: error instanceof Error ? error.message : String(error) });
    return { failure: { code: 'DATABASE_ERROR', message: `La sauvegarde n’a pas pu être faite : ${describeFailure(error, backupsDir(args.dataDir))}`, sourceDamaged: false } };
  }
}
