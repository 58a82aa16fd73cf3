/**
 * Opening the practice database: pragmas a legal record needs, then the migrations.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startAudit } from '../audit/reanchor';
import { migrate } from './migrate';
import { migrations } from './migrations';
import { rememberOptions } from './options';
import type { Db, OpenOptions } from './types';

export type { Db, OpenOptions } from './types';

/** Opens (creating if needed) an SQLite file with Ordo's pragmas, without migrating. */
export function openSqlite(file: string, options: OpenOptions = {}): Db {
  if (options.readonly !== true) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, {
    ...(options.nativeBinding !== undefined ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.readonly === true ? { readonly: true, fileMustExist: true } : {}),
  });
  // For reads and statements outside a write transaction; a write transaction waits for the lock its own way (busy.ts).
  db.pragma('busy_timeout = 5000');
  if (options.readonly !== true) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  rememberOptions(db, options);
  return db;
}

/**
 * Opens the practice database, brings its schema up to date, then its audit key and anchor
 * (audit/reanchor.ts: the key is created here the first time, never by the read-only diagnostic).
 * `start.now`: the app's clock, the time of the entries the audit start may record.
 */
export function openDatabase(file: string, options: OpenOptions = {}, start: { now?: Date } = {}): Db {
  const db = openSqlite(file, options);
  try {
    migrate(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  startAudit(db, dirname(resolve(file)), start.now ?? new Date());
  return db;
}
