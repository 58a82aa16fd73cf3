/**
 * The one transaction rule of the practice database (docs/architecture.md):
 *
 * - every write runs in `writeTransaction(db, fn)`, which takes the write lock first
 *   (`BEGIN IMMEDIATE`), so the checks `fn` makes before writing still hold when it writes and a
 *   second writer (the CLI, a job thread) waits instead of failing halfway;
 * - `fn` is synchronous: nothing awaits inside a transaction. A promise returned by `fn` is a bug,
 *   and the transaction is rolled back rather than committed before the awaited work ran;
 * - repositories are functions of `(db, args)` that may call `writeTransaction` themselves: nested
 *   calls become savepoints of the outer transaction, so a use case spanning domains composes them
 *   into one commit.
 */
import type { Statement } from 'better-sqlite3';
import { immediateWithPatience } from './busy';
import type { Db } from './types';
import type { WriteGate } from './write-gate';

/** This thread's turn-taking with the other writers of the process (write-gate.ts), if any. */
let gate: { gate: WriteGate; first: boolean } | undefined;
let depth = 0;

/** The service worker installs the gate with `first` (the GP's writes), job threads without. */
export function useWriteGate(writeGate: WriteGate | undefined, first: boolean): void {
  gate = writeGate === undefined ? undefined : { gate: writeGate, first };
}

/** Whether this thread's writers take turns with the GP's through a gate (in the app's process), rather than through SQLite's lock alone. */
export function writeGateInUse(): boolean {
  return gate !== undefined;
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export function writeTransaction<T>(db: Db, fn: () => T): T {
  const outer = depth === 0 && gate !== undefined ? gate : undefined;
  outer?.gate.acquire(outer.first);
  depth += 1;
  try {
    const body = () => {
      const result = fn();
      if (isThenable(result)) throw new TypeError('writeTransaction: the function returned a promise; nothing may await inside a transaction');
      return result;
    };
    // The outer transaction waits for the write lock of other processes too (busy.ts); a nested one is a savepoint.
    return db.inTransaction ? db.transaction(body).immediate() : immediateWithPatience(db, body);
  } catch (error) {
    if (!db.inTransaction) pendingAfterCommit.delete(db);
    throw error;
  } finally {
    depth -= 1;
    outer?.gate.release();
    if (!db.inTransaction) runAfterCommit(db);
  }
}

/** Work to do once the outermost transaction of a connection has committed (rolled back: dropped). */
const pendingAfterCommit = new WeakMap<Db, Set<() => void>>();

/**
 * Runs `fn` after the commit of the transaction in progress on `db` (at once when none is): for
 * what must follow a commit and never precede it, like the audit anchor (audit/advance.ts). The
 * same function registered twice in one transaction runs once; it runs with the write lock and
 * the write gate released, and what it throws is its own business (the commit stands).
 */
export function afterCommit(db: Db, fn: () => void): void {
  if (!db.inTransaction) {
    fn();
    return;
  }
  let pending = pendingAfterCommit.get(db);
  if (pending === undefined) {
    pending = new Set();
    pendingAfterCommit.set(db, pending);
  }
  pending.add(fn);
}

function runAfterCommit(db: Db): void {
  const pending = pendingAfterCommit.get(db);
  if (pending === undefined) return;
  pendingAfterCommit.delete(db);
  for (const fn of pending) {
    try {
      fn();
    } catch {
      // the hook reports its own failures; the committed transaction stands
    }
  }
}

const caches = new WeakMap<Db, Map<string, Statement>>();

/**
 * A statement prepared once per connection and reused: preparing costs more than running the
 * short queries of a keystroke or of an import batch.
 */
export function prepared(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
