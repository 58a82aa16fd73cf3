/**
 * Taking SQLite's write lock while another process writes too (`ordo patients import` while the
 * app runs). The write gate (write-gate.ts) orders the writers of one process; between processes
 * there is only SQLite's lock, and SQLite's own busy handler waits for it in growing sleeps, 100 ms
 * apart after the first quarter second. An import's batches hold the lock back to back (measured
 * on a 200,000-row import: 1,921 transactions of 5 ms, 0.1 ms apart, none over 24 ms), so those
 * tries found it free only by luck: a GP's save waited up to 2.4 s on a loaded machine, and failed
 * with `DATABASE_ERROR` once the 5 s of busy_timeout were spent without a lucky try.
 *
 * Here a write transaction tries `BEGIN IMMEDIATE` every millisecond, SQLite's handler off for
 * that statement only, for up to WRITE_PATIENCE_MS; a long writer leaves the lock free a few
 * milliseconds after each batch (LOCK_PAUSE_MS, patients/import-job.ts), long enough for a try to
 * land there. Reads keep busy_timeout (open.ts): in WAL mode they wait only in rare cases.
 */
import type { Statement, Transaction } from 'better-sqlite3';
import { OrdoError } from '../../shared/errors';
import type { Db } from './types';

/** Longest wait for the write lock: far longer than any batch, well under the worker's hang limit (20 s). */
export const WRITE_PATIENCE_MS = 10_000;
/** How often the lock is tried meanwhile. */
const POLL_MS = 1;
/** What a long writer leaves between two batches: several tries of a waiting writer land in it. */
export const LOCK_PAUSE_MS = 4;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

interface Timeouts {
  off: Statement;
  on: Statement;
}
const timeouts = new WeakMap<Db, Timeouts>();

function timeoutsOf(db: Db): Timeouts {
  let t = timeouts.get(db);
  if (t === undefined) {
    const ms = Number(db.pragma('busy_timeout', { simple: true }));
    t = { off: db.prepare('PRAGMA busy_timeout = 0'), on: db.prepare(`PRAGMA busy_timeout = ${Number.isFinite(ms) ? ms : 5000}`) };
    timeouts.set(db, t);
  }
  return t;
}

export function isBusy(error: unknown): boolean {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction, trying for the lock as said above. Only a refused
 * `BEGIN` is tried again: once `fn` has started, its errors (even a busy one) are the caller's.
 */
export function immediateWithPatience<T>(db: Db, fn: () => T): T {
  const t = timeoutsOf(db);
  let entered = false;
  const transaction: Transaction<() => T> = db.transaction(() => {
    entered = true;
    t.on.get();
    return fn();
  });
  const deadline = Date.now() + WRITE_PATIENCE_MS;
  for (;;) {
    t.off.get();
    try {
      return transaction.immediate();
    } catch (error) {
      if (!entered) t.on.get();
      if (entered || !isBusy(error)) throw error;
      if (Date.now() >= deadline) {
        throw new OrdoError(
          'SERVICE_UNAVAILABLE',
          `La base de données est occupée par une autre opération d’Ordo depuis plus de ${WRITE_PATIENCE_MS / 1000} secondes : rien n’a été enregistré. Réessayez dans un instant.`,
        );
      }
    }
    Atomics.wait(sleeper, 0, 0, POLL_MS);
  }
}
