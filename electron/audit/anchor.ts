/**
 * The audit anchor: the chain's head (seq and hash) kept outside the database, beside it
 * (`ordo.db.anchor`), authenticated with the audit key. Deleting the tail of the log, emptying it,
 * or rewriting it with recomputed hashes leaves a database that no longer reaches the anchor.
 *
 *   {"format":"ordo-audit-anchor/1","seq":12,"hash":"…","keyId":"…","mac":"…"}
 *
 * Written durably (durable.ts) after each commit that appended rows, and only forward: the writer
 * holds the anchor's own lock (lock.ts, not the database's write lock) while it reads, compares
 * and writes (advance.ts), so two threads or processes never move it back. A crash between a commit and its anchor leaves the anchor behind, which the
 * check tolerates when the rows beyond it hold under the key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileDurably } from '../fs/durable';

export const ANCHOR_FORMAT = 'ordo-audit-anchor/1';

export interface Anchor {
  seq: number;
  hash: string;
  keyId: string;
  mac: string;
}

export type AnchorRead = { state: 'ok'; anchor: Anchor } | { state: 'missing' } | { state: 'unreadable' };

export function anchorFileOf(databaseFile: string): string {
  return `${databaseFile}.anchor`;
}

function macOf(secret: Buffer, anchor: Omit<Anchor, 'mac'>): string {
  return createHmac('sha256', secret).update(JSON.stringify([ANCHOR_FORMAT, anchor.seq, anchor.hash, anchor.keyId])).digest('hex');
}

export function anchorHolds(anchor: Anchor, secret: Buffer): boolean {
  const expected = Buffer.from(macOf(secret, anchor), 'hex');
  const actual = Buffer.from(anchor.mac, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function readAnchor(file: string): AnchorRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { state: 'missing' } : { state: 'unreadable' };
  }
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const { format, seq, hash, keyId, mac } = value;
    if (format !== ANCHOR_FORMAT || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return { state: 'unreadable' };
    if (typeof hash !== 'string' || typeof keyId !== 'string' || typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return { state: 'unreadable' };
    return { state: 'ok', anchor: { seq, hash, keyId, mac } };
  } catch {
    return { state: 'unreadable' };
  }
}

export function writeAnchor(file: string, head: { seq: number; hash: string }, key: { id: string; secret: Buffer }): Anchor {
  const body = { seq: head.seq, hash: head.hash, keyId: key.id };
  const anchor = { ...body, mac: macOf(key.secret, body) };
  writeFileDurably(file, `${JSON.stringify({ format: ANCHOR_FORMAT, ...anchor })}\n`);
  return anchor;
}
