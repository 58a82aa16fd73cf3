/**
 * Append-only audit journal. Each row's hash covers the previous row's hash, so removing or
 * editing a row (outside the triggers, with another tool) breaks the chain and `verifyAudit`
 * says where.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/types';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

function rowHash(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([row.seq, row.at, row.actor, row.action, row.subject, row.details, row.prev_hash]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Appends one entry; call it inside the transaction of the change it records. */
export function appendAudit(db: Db, entry: AuditEntry, now: Date): void {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details: JSON.stringify(entry.details),
    prev_hash: last?.hash ?? GENESIS,
  };
  db.prepare(
    `INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash)
     VALUES (@seq, @at, @actor, @action, @subject, @details, @prev_hash, @hash)`,
  ).run({ ...row, hash: rowHash(row) });
}

export interface AuditCheck {
  ok: boolean;
  entries: number;
  /** First sequence number whose hash or link does not match. */
  brokenAt?: number;
}

export function verifyAudit(db: Db): AuditCheck {
  let prev = GENESIS;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    if (row.seq !== expectedSeq || row.prev_hash !== prev || rowHash(row) !== row.hash) {
      return { ok: false, entries, brokenAt: row.seq };
    }
    prev = row.hash;
    expectedSeq += 1;
    entries += 1;
  }
  return { ok: true, entries };
}
