/**
 * The audit chain's rows and how each one's hash is made and checked.
 *
 * - `sha256` (rows written before migration 0007, the legacy prefix): SHA-256 of the canonical
 *   row, previous hash included. Anyone can recompute it, so it proves nothing against a forger;
 *   it is kept verifiable as it was, and the anchor (anchor.ts) covers its head.
 * - `hmac-sha256` (every row since): HMAC-SHA256 under the audit key (key.ts), which lives in the
 *   key store of the data folder, not in the database. The row names its key by id.
 *
 * Once a keyed row exists no unkeyed row may follow (a trigger of 0007 refuses it; the check says
 * so when the trigger was dropped). The first keyed row chains to the last legacy hash.
 */
import { createHash, createHmac } from 'node:crypto';
import { prepared } from '../db/transaction';
import type { Db } from '../db/types';

export const GENESIS = '0'.repeat(64);
export const AUDIT_KEY_BYTES = 32;

export type AuditAlg = 'sha256' | 'hmac-sha256';

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
  /** Absent on a database before 0007 (every row legacy there). */
  alg?: string;
  key_id?: string | null;
}

export type RowFields = Omit<AuditRow, 'hash' | 'alg' | 'key_id'>;

export function legacyHash(row: RowFields): string {
  const canonical = JSON.stringify([row.seq, row.at, row.actor, row.action, row.subject, row.details, row.prev_hash]);
  return createHash('sha256').update(canonical).digest('hex');
}

export function keyedHash(secret: Buffer, keyId: string, row: RowFields): string {
  const canonical = JSON.stringify(['hmac-sha256', keyId, row.seq, row.at, row.actor, row.action, row.subject, row.details, row.prev_hash]);
  return createHmac('sha256', secret).update(canonical).digest('hex');
}

/** Whether this database's audit_log has the columns of 0007 (a database not yet migrated has not). */
export function hasKeyedColumns(db: Db): boolean {
  return prepared(db, "SELECT count(*) FROM pragma_table_info('audit_log') WHERE name IN ('alg', 'key_id')").pluck().get() === 2;
}

export function hasAuditTable(db: Db): boolean {
  return prepared(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").pluck().get() === 1;
}

export function algOf(row: AuditRow): string {
  return row.alg ?? 'sha256';
}

export type BreakReason = 'gap' | 'link' | 'hash' | 'unkeyed-after-keyed' | 'unknown-alg';

export interface ChainResult {
  /** Rows read in order that hold, up to the first break. */
  entries: number;
  legacy: number;
  keyed: number;
  brokenAt?: number;
  reason?: BreakReason;
  /** Keyed rows whose key is not in the store: linked, but their HMAC could not be checked. */
  unverifiable: { first: number; last: number; count: number; keyIds: string[] } | null;
}

/** The French sentence for a break, as the diagnostic says it. */
export function breakMessage(seq: number, reason: BreakReason): string {
  switch (reason) {
    case 'gap':
      return `Le journal d’audit a été modifié en dehors d’Ordo : l’entrée ${seq} manque ou est déplacée.`;
    case 'link':
      return `Le journal d’audit a été modifié en dehors d’Ordo : l’entrée ${seq} n’est plus chaînée à la précédente.`;
    case 'hash':
      return `Le journal d’audit a été modifié en dehors d’Ordo : l’empreinte de l’entrée ${seq} ne correspond pas à son contenu.`;
    case 'unkeyed-after-keyed':
      return `Le journal d’audit a été modifié en dehors d’Ordo : l’entrée ${seq} a été ajoutée sans la clé d’Ordo, après des entrées qui l’ont.`;
    case 'unknown-alg':
      return `Le journal d’audit a été modifié en dehors d’Ordo : l’entrée ${seq} n’est pas d’un format qu’Ordo connaît.`;
  }
}

function rowsOf(db: Db, afterSeq = 0): IterableIterator<AuditRow> {
  return db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').iterate(afterSeq) as IterableIterator<AuditRow>;
}

/**
 * Walks the whole chain with the keys given (id → secret). Stops at the first row that breaks it;
 * a keyed row under a key not given is linked but counted as unverifiable.
 */
export function verifyChain(db: Db, keys: ReadonlyMap<string, Buffer>): ChainResult {
  const result: ChainResult = { entries: 0, legacy: 0, keyed: 0, unverifiable: null };
  if (!hasAuditTable(db)) return result;
  let prev = GENESIS;
  let expectedSeq = 1;
  let sawKeyed = false;
  for (const row of rowsOf(db)) {
    const broken = (reason: BreakReason) => {
      result.brokenAt = row.seq;
      result.reason = reason;
    };
    if (row.seq !== expectedSeq) broken('gap');
    else if (row.prev_hash !== prev) broken('link');
    else {
      const alg = algOf(row);
      if (alg === 'sha256') {
        if (sawKeyed) broken('unkeyed-after-keyed');
        else if (legacyHash(row) !== row.hash) broken('hash');
        else result.legacy += 1;
      } else if (alg === 'hmac-sha256' && typeof row.key_id === 'string') {
        sawKeyed = true;
        const secret = keys.get(row.key_id);
        if (secret === undefined) {
          const u = result.unverifiable ?? { first: row.seq, last: row.seq, count: 0, keyIds: [] };
          u.last = row.seq;
          u.count += 1;
          if (!u.keyIds.includes(row.key_id)) u.keyIds.push(row.key_id);
          result.unverifiable = u;
          result.keyed += 1;
        } else if (keyedHash(secret, row.key_id, row) !== row.hash) broken('hash');
        else result.keyed += 1;
      } else broken('unknown-alg');
    }
    if (result.brokenAt !== undefined) return result;
    prev = row.hash;
    expectedSeq += 1;
    result.entries += 1;
  }
  return result;
}

/**
 * The rows after `from` (whose hash is `fromHash`) that hold under one key, in order: the last
 * one's seq and hash, or `from` itself when the next row does not hold. What the anchor may move
 * forward over.
 */
export function verifiedRun(db: Db, from: { seq: number; hash: string }, key: { id: string; secret: Buffer }): { seq: number; hash: string; stoppedAt?: number } {
  let last = from;
  for (const row of rowsOf(db, from.seq)) {
    const holds =
      row.seq === last.seq + 1 && row.prev_hash === last.hash && algOf(row) === 'hmac-sha256' && row.key_id === key.id && keyedHash(key.secret, key.id, row) === row.hash;
    if (!holds) return { ...last, stoppedAt: row.seq };
    last = { seq: row.seq, hash: row.hash };
  }
  return last;
}

export function headOf(db: Db): { seq: number; hash: string } {
  const row = prepared(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  return row ?? { seq: 0, hash: GENESIS };
}

/** The hash stored at `seq` (GENESIS for 0), or undefined when there is no such row. */
export function hashAt(db: Db, seq: number): string | undefined {
  if (seq === 0) return GENESIS;
  return prepared(db, 'SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq) as string | undefined;
}

export function hasKeyedRows(db: Db): boolean {
  return hasKeyedColumns(db) && prepared(db, "SELECT EXISTS (SELECT 1 FROM audit_log WHERE alg = 'hmac-sha256')").pluck().get() === 1;
}
