/**
 * The options a connection was opened with, for the code that must open a companion file with
 * the same SQLite build (in Electron, the driver built for its ABI): the audit anchor's lock.
 */
import type { Db, OpenOptions } from './types';

const opened = new WeakMap<Db, OpenOptions>();

export function rememberOptions(db: Db, options: OpenOptions): void {
  opened.set(db, options);
}

/** What `openSqlite` was given for this connection ({} for one opened otherwise). */
export function optionsOf(db: Db): OpenOptions {
  return opened.get(db) ?? {};
}
