/**
 * Copies of a practice database made with SQLite's online backup API (never a file copy, which
 * a live WAL database does not survive), and the check of a copy: `integrity_check`, an Ordo
 * database (its audit journal and profile tables), its schema version readable.
 */
import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { OrdoError } from '../../shared/errors';
import { latestVersion } from '../db/migrate';
import { migrations } from '../db/migrations';
import { openSqlite } from '../db/open';
import type { Db, OpenOptions } from '../db/types';
import { DAMAGED, fileErrorCause, integritySummary, isDamageError } from './messages';

export { DAMAGED } from './messages';

/**
 * What progress() asks for the next step: all remaining pages. better-sqlite3 (lib/methods/backup.js)
 * starts with a step of 0 pages, then uses what progress() returns (100 pages by default); so the
 * pages are copied in the second step, one read transaction. Whatever the steps, SQLite restarts the
 * copy when another connection writes to the source between two steps: the copy is always one
 * consistent snapshot.
 */
const ALL_PAGES = 0x7fffffff;

export interface CopyCheck {
  ok: boolean;
  /** The lines of integrity_check ('ok' alone when intact). */
  integrity: string[];
  schemaVersion: number | null;
  /** Has the tables of an Ordo practice database. */
  ordo: boolean;
  /** What is wrong, in French, or null. */
  problem: string | null;
}

const removeWithJournals = (file: string) => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
};

/**
 * Copies the database open in `source` into `dest` (a new file) with the backup API (see ALL_PAGES).
 * `dest` is left in rollback-journal mode: one self-contained file, whatever the source's mode.
 */
export async function backupInto(source: Db, dest: string, sqlite: OpenOptions): Promise<void> {
  removeWithJournals(dest);
  try {
    await source.backup(dest, { progress: () => ALL_PAGES });
    const copy = new Database(dest, sqlite.nativeBinding === undefined ? {} : { nativeBinding: sqlite.nativeBinding });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
  } catch (error) {
    removeWithJournals(dest);
    throw error;
  }
}

/** Opens a database file that may be anything read-only, for a backup or a restore. */
export function openSource(file: string, sqlite: OpenOptions): Db {
  if (!existsSync(file)) throw new OrdoError('NOT_FOUND', `Le fichier « ${file} » n’existe pas.`);
  try {
    const db = openSqlite(file, { ...sqlite, readonly: true });
    db.pragma('schema_version'); // reads the header: « file is not a database » shows here
    return db;
  } catch (error) {
    if (error instanceof OrdoError) throw error;
    const cause = isDamageError(error) ? null : fileErrorCause(error, file);
    if (cause !== null) throw new OrdoError('DATABASE_ERROR', cause);
    throw new OrdoError('IMPORT_FAILED', `Le fichier « ${file} » n’est pas une base de données Ordo lisible.`);
  }
}

/** Checks a copy Ordo just made (never the GP's own file): integrity, Ordo's tables, schema version. */
export function checkCopy(file: string, sqlite: OpenOptions): CopyCheck {
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: true, ...(sqlite.nativeBinding === undefined ? {} : { nativeBinding: sqlite.nativeBinding }) });
  } catch {
    return { ok: false, integrity: [], schemaVersion: null, ordo: false, problem: 'Le fichier n’a pas pu être ouvert.' };
  }
  try {
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    const ordo = schemaVersion >= 1 && tables.has('audit_log') && tables.has('prescriber_profile');
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const intact = integrity.length === 1 && integrity[0] === 'ok';
    const problem = !intact
      ? `le contrôle d’intégrité a échoué : ${integritySummary(integrity)}`
      : !ordo
        ? 'ce n’est pas une base de données Ordo'
        : null;
    return { ok: problem === null, integrity, schemaVersion, ordo, problem };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, integrity: [message], schemaVersion: null, ordo: false, problem: 'le fichier est illisible ou n’est pas une base de données' };
  } finally {
    db.close();
  }
}

/** The French refusal of a database this Ordo cannot open, or null. */
export function tooNewProblem(schemaVersion: number | null): string | null {
  const known = latestVersion(migrations);
  if (schemaVersion === null || schemaVersion <= known) return null;
  return `Cette sauvegarde (version ${schemaVersion}) a été faite par une version plus récente d’Ordo (qui connaît la version ${known}) : mettez Ordo à jour pour la restaurer.`;
}

/**
 * The start-up check of the database in use (a task thread, read-only): `quick_check` walks every
 * page, so a page overwritten anywhere shows. The French problem, or null when intact.
 */
export function quickCheckTask(args: { file: string; sqlite: OpenOptions }): string | null {
  if (!existsSync(args.file)) return null;
  let db: Db;
  try {
    db = openSqlite(args.file, { ...args.sqlite, readonly: true });
  } catch {
    return DAMAGED;
  }
  try {
    const lines = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
    return lines.length === 1 && lines[0] === 'ok' ? null : DAMAGED;
  } catch {
    return DAMAGED;
  } finally {
    db.close();
  }
}
