/**
 * Bringing a data folder's audit key and anchor up to date when Ordo starts, and setting the
 * anchor again after a restore.
 *
 * At start (`startAudit`):
 * - no key in the store: one is created (32 random bytes, keys/audit.key, 0600). If keyed rows
 *   exist already, their key was lost: the new key is recorded in the chain itself
 *   (`audit.key.replaced`), and the diagnostic keeps saying that those rows cannot be verified
 *   until the old key file is put back in keys/;
 * - a key file whose content is damaged (not JSON, not an audit key, a secret of the wrong size or
 *   id) is moved aside (`audit.key.illisible-…`, a name no key listing takes: it can verify
 *   nothing), never overwritten, and replaced the same way. A key file that cannot be read now
 *   (permissions, a lock held by an antivirus) is left alone: audited writes are refused with a
 *   French error until it can be read;
 * - only here is a lost key replaced: an append that finds the key gone refuses (key.ts);
 * - the anchor moves forward over the rows that hold under the key (a crash between a commit and
 *   its anchor). An anchor ahead of the database or that no longer matches it is left as it is: it
 *   is the evidence the diagnostic reports. A missing anchor, or one the key does not
 *   authenticate, can only come from the folder itself (an attacker there holds the key anyway, or
 *   a copy that left it out): it is written again at the head, and that recorded in the chain
 *   (`audit.anchor.recreated`).
 *
 * Both hold the database's write lock (their rows and the head they anchor are one state) and
 * the anchor lock (lock.ts), in that order; the hook after a commit takes the anchor lock only.
 *
 * After a restore (`reanchorAudit(db, dataDir, now, 'restore')`): the restored database is older
 * than the anchor on purpose, so the anchor is set to its head, backwards if need be, and the
 * chain records it (`audit.reanchored`, with the anchor it replaced).
 */
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import { createLogger } from '../log';
import { advanceUnderLock } from './advance';
import { anchorHolds, readAnchor, writeAnchor } from './anchor';
import { appendAudit, verifyAudit, type AuditCheck } from './audit';
import { hasKeyedColumns, hasKeyedRows, headOf } from './chain';
import { bindAudit, createAuditKey, readAuditKey, unreadableKeyError, type AuditBinding, type AuditKey } from './key';
import { withAnchorLock } from './lock';

const log = createLogger('audit');

export type ReanchorReason = 'start' | 'restore';

export interface ReanchorOutcome {
  keyId: string;
  /** Why a new key replaced the one the chain was made with, if it did. */
  keyReplaced: 'missing' | 'unreadable' | null;
  anchor: 'created' | 'current' | 'advanced' | 'recreated' | 'left' | 'reset';
  /** Where the anchor is once the transaction has committed (rows it records are anchored just after). */
  seq: number;
  /** The chain under the store's keys, after a restore (whether the restored file verifies). */
  chain?: AuditCheck;
}

const ACTOR = 'ordo';

function keyFor(db: Db, dataDir: string, now: Date): { key: AuditKey; replaced: ReanchorOutcome['keyReplaced'] } {
  const read = readAuditKey(dataDir);
  if (read.state === 'ok') return { key: { id: read.key.id, secret: read.key.secret }, replaced: null };
  // A file that could not be read now (permissions, an antivirus) may be whole: never replaced.
  if (read.state === 'unreadable' && !read.damaged) throw unreadableKeyError(read.file, read.reason, false);
  const hadKeyedRows = hasKeyedRows(db);
  if (read.state === 'unreadable') {
    const aside = `${read.file}.illisible-${now.toISOString().replace(/[:.]/g, '-')}`;
    renameSync(read.file, aside);
    log.error('the audit key is damaged: moved aside, a new one is created', { file: aside });
  }
  const created = createAuditKey(dataDir);
  const replaced = !hadKeyedRows ? null : read.state === 'unreadable' ? 'unreadable' : 'missing';
  return { key: { id: created.key.id, secret: created.key.secret }, replaced };
}

export function reanchorAudit(db: Db, dataDir: string, now: Date, reason: ReanchorReason = 'start'): ReanchorOutcome {
  const binding = bindAudit(db, dataDir);
  if (!hasKeyedColumns(db)) throw new Error('reanchorAudit needs a database migrated to 0007');
  const outcome = writeTransaction(db, () => withAnchorLock(db, binding, () => reanchorLocked(db, binding, now, reason)));
  return reason === 'restore' ? { ...outcome, chain: verifyAudit(db) } : outcome;
}

function reanchorLocked(db: Db, binding: AuditBinding, now: Date, reason: ReanchorReason): ReanchorOutcome {
  const { key, replaced } = keyFor(db, binding.dataDir, now);
  binding.key = key;
  const head = headOf(db);
  const read = readAnchor(binding.anchorFile);
  let anchor: ReanchorOutcome['anchor'];
  let seq = head.seq;
  if (reason === 'restore') {
    writeAnchor(binding.anchorFile, head, key);
    const previous = read.state === 'ok' ? { seq: read.anchor.seq, hash: read.anchor.hash } : null;
    appendAudit(db, { actor: ACTOR, action: 'audit.reanchored', subject: 'audit', details: { reason, previous, head: head.seq } }, now);
    anchor = 'reset';
  } else if (read.state === 'missing' && !hasKeyedRows(db)) {
    writeAnchor(binding.anchorFile, head, key);
    anchor = 'created';
  } else if (read.state !== 'ok' || read.anchor.keyId !== key.id || !anchorHolds(read.anchor, key.secret)) {
    writeAnchor(binding.anchorFile, head, key);
    const why = read.state === 'missing' ? 'missing' : read.state === 'unreadable' ? 'unreadable' : read.anchor.keyId !== key.id ? 'other-key' : 'invalid';
    appendAudit(db, { actor: ACTOR, action: 'audit.anchor.recreated', subject: 'audit', details: { reason: why, head: head.seq } }, now);
    log.warn('the audit anchor was missing or not authentic: written again at the head and recorded', { reason: why });
    anchor = 'recreated';
  } else {
    const at = advanceUnderLock(db, binding, key);
    anchor = at === undefined ? 'left' : at > read.anchor.seq ? 'advanced' : 'current';
    seq = at ?? read.anchor.seq;
    if (anchor === 'left') log.warn('the audit anchor does not match the database: left as it is for the diagnostic');
  }
  if (replaced !== null) {
    const previousKeyIds = db.prepare("SELECT DISTINCT key_id FROM audit_log WHERE alg = 'hmac-sha256' AND key_id <> ?").pluck().all(key.id) as string[];
    appendAudit(db, { actor: ACTOR, action: 'audit.key.replaced', subject: 'audit', details: { reason: replaced, keyId: key.id, previousKeyIds } }, now);
    log.error('the audit key was replaced: the rows made with the previous one cannot be verified until it is put back', { reason: replaced });
  }
  return { keyId: key.id, keyReplaced: replaced, anchor, seq };
}

/**
 * Temporary files of anchor writes (durable.ts) older than ten minutes: an anchor write takes
 * milliseconds, so no writer is on them any more (its process died between the write and the
 * rename). One file at a time: another process removing it first is not a failure.
 */
function removeStaleTemporaries(anchorFile: string): void {
  const dir = dirname(anchorFile);
  const prefix = `.${basename(anchorFile)}.`;
  const before = Date.now() - STALE_TEMPORARY_MS;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const file = join(dir, name);
    try {
      if (statSync(file).mtimeMs < before) rmSync(file, { force: true });
    } catch (error) {
      log.warn('a stale temporary file of the audit anchor could not be removed', { file, error });
    }
  }
}

const STALE_TEMPORARY_MS = 10 * 60_000;

/** At the start of the app: `reanchorAudit`, its failure logged rather than thrown (the diagnostic reports what is wrong). */
export function startAudit(db: Db, dataDir: string, now: Date): ReanchorOutcome | undefined {
  try {
    removeStaleTemporaries(bindAudit(db, dataDir).anchorFile);
  } catch (error) {
    log.warn('the folder of the audit anchor could not be listed for stale temporary files', { error });
  }
  try {
    return reanchorAudit(db, dataDir, now, 'start');
  } catch (error) {
    log.error('the audit key and anchor could not be brought up to date', { error });
    return undefined;
  }
}
