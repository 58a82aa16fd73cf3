/**
 * Moving the anchor forward after a commit that appended audit rows (registered by
 * `appendAudit` through `afterCommit`). The anchor lock (lock.ts) is the mutex between the
 * threads and processes of a data folder: under it the anchor is read, compared with the
 * committed rows and rewritten, so it never goes back (the head it reads only grows). It moves only over rows that hold under the
 * key, from a row whose hash is the anchored one: rows a forger added, or an anchor that no longer
 * matches, stay as they are for the diagnostic to report. Never throws: the change is committed
 * already, and an anchor left behind is caught up by the next commit or the next start.
 */
import { createLogger } from '../log';
import type { Db } from '../db/types';
import { anchorHolds, readAnchor, writeAnchor } from './anchor';
import { hashAt, hasKeyedRows, headOf, verifiedRun } from './chain';
import { bindingOf, type AuditBinding, type AuditKey } from './key';
import { withAnchorLock } from './lock';

const log = createLogger('audit');

/** The anchor moved over every row after it that holds; returns where it is (undefined: not moved, left as evidence or absent). */
export function advanceUnderLock(db: Db, binding: AuditBinding, key: AuditKey): number | undefined {
  const read = readAnchor(binding.anchorFile);
  if (read.state !== 'ok') return undefined;
  const anchor = read.anchor;
  if (anchor.keyId !== key.id || !anchorHolds(anchor, key.secret)) return undefined;
  if (hashAt(db, anchor.seq) !== anchor.hash) return undefined;
  const run = verifiedRun(db, anchor, key);
  if (run.seq > anchor.seq) writeAnchor(binding.anchorFile, run, key);
  return run.seq;
}

export function advanceAnchor(db: Db): void {
  try {
    const binding = bindingOf(db);
    const key = binding.key;
    if (key === undefined || !db.open) return;
    withAnchorLock(db, binding, () => advanceUnderLock(db, binding, key));
  } catch (error) {
    log.warn('the audit anchor was not moved forward (caught up at the next commit or start)', { error });
  }
}

/**
 * A key just created for a data folder whose chain has no keyed row: the anchor starts at the
 * committed head (the legacy prefix, or nothing), unless one is there already.
 */
export function anchorNewKey(db: Db, binding: AuditBinding, key: AuditKey): void {
  withAnchorLock(db, binding, () => {
    if (readAnchor(binding.anchorFile).state !== 'missing' || hasKeyedRows(db)) return;
    writeAnchor(binding.anchorFile, headOf(db), key);
  });
}

const hooks = new WeakMap<Db, () => void>();

/** One hook per connection, so that a transaction appending many rows anchors once. */
export function anchorHookOf(db: Db): () => void {
  let hook = hooks.get(db);
  if (hook === undefined) {
    hook = () => advanceAnchor(db);
    hooks.set(db, hook);
  }
  return hook;
}
