/**
 * Append-only audit journal. Each row's hash covers the previous row's hash and is an HMAC under
 * the audit key, kept outside the database (key.ts); the chain's head is anchored outside the
 * database too (anchor.ts), after each commit that appended rows. Editing, forging, removing or
 * truncating rows (around the triggers, with another tool) breaks the chain or leaves it short of
 * the anchor, and `checkAudit` (check.ts) says where. docs/security.md gives the threat model.
 */
import { afterCommit, prepared } from '../db/transaction';
import type { Db } from '../db/types';
import { anchorHookOf, anchorNewKey } from './advance';
import { GENESIS, hasKeyedColumns, keyedHash, legacyHash, verifyChain, type RowFields } from './chain';
import { auditKeys, bindingOf, currentAuditKey } from './key';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

/** Appends one entry; call it inside the transaction of the change it records. */
export function appendAudit(db: Db, entry: AuditEntry, now: Date): void {
  const last = prepared(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const row: RowFields = {
    seq: (last?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details: JSON.stringify(entry.details),
    prev_hash: last?.hash ?? GENESIS,
  };
  if (!hasKeyedColumns(db)) {
    // A database before migration 0007 (only the migration tests write one): the row as that version wrote it.
    prepared(db, 'INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @subject, @details, @prev_hash, @hash)').run({
      ...row,
      hash: legacyHash(row),
    });
    return;
  }
  const binding = bindingOf(db);
  const { key, created } = currentAuditKey(db, binding);
  if (created) anchorNewKey(db, binding, key);
  prepared(
    db,
    `INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash, alg, key_id)
     VALUES (@seq, @at, @actor, @action, @subject, @details, @prev_hash, @hash, 'hmac-sha256', @key_id)`,
  ).run({ ...row, hash: keyedHash(key.secret, key.id, row), key_id: key.id });
  afterCommit(db, anchorHookOf(db));
}

export interface AuditCheck {
  ok: boolean;
  entries: number;
  /** First sequence number whose hash or link does not match. */
  brokenAt?: number;
}

/**
 * The chain alone, with the keys of the connection's key store: every link and every hash. A row
 * under a key the store does not have fails too. The anchor and the rest: `checkAudit`.
 */
export function verifyAudit(db: Db): AuditCheck {
  const chain = verifyChain(db, auditKeys(bindingOf(db).dataDir));
  if (chain.brokenAt !== undefined) return { ok: false, entries: chain.entries, brokenAt: chain.brokenAt };
  if (chain.unverifiable !== null) return { ok: false, entries: chain.entries, brokenAt: chain.unverifiable.first };
  return { ok: true, entries: chain.entries };
}
