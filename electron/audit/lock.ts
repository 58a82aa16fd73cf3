/**
 * The mutex of the anchor's writers, across the threads and processes of a data folder: SQLite's
 * write lock on a companion file (`ordo.db.anchor.lock`, an empty database), not on ordo.db, so
 * that the fsyncs of an anchor write never hold up a GP's write or an import's next batch. The OS
 * releases it when a process dies: no stale lock.
 */
import Database from 'better-sqlite3';
import { optionsOf } from '../db/options';
import type { Db } from '../db/types';
import type { AuditBinding } from './key';

export function anchorLockFile(binding: AuditBinding): string {
  return `${binding.anchorFile}.lock`;
}

/** Runs `fn` holding the anchor lock (waiting up to 5 s for it). */
export function withAnchorLock<T>(db: Db, binding: AuditBinding, fn: () => T): T {
  const { nativeBinding } = optionsOf(db);
  const lock = new Database(anchorLockFile(binding), nativeBinding === undefined ? {} : { nativeBinding });
  try {
    lock.pragma('busy_timeout = 5000');
    lock.exec('BEGIN IMMEDIATE');
    try {
      return fn();
    } finally {
      lock.exec('COMMIT');
    }
  } finally {
    lock.close();
  }
}
