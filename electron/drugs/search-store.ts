/**
 * The search's prefix indexes saved in the referential file at import, so opening the
 * referential costs reading a few blobs instead of rebuilding (over a second on a slow machine).
 * Stored as raw little-endian Int32 arrays; a big-endian machine simply rebuilds.
 */
import { endianness } from 'node:os';
import type { Db } from '../db/types';
import type { StoredPrefixIndex } from './prefix-index';
import type { StoredSearchIndex } from './search-index';

const bytes = (a: Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Copies into a fresh (aligned) array: a blob's Buffer may start at any offset. */
function ints(blob: Buffer): Int32Array {
  const out = new Int32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

export function storeSearchIndex(db: Db, index: StoredSearchIndex): void {
  const insert = db.prepare(
    'INSERT INTO search_index (name, terms, start, postings, wide_keys, wide_start, wide) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const [name, p] of [['full', index.full], ['primary', index.primary]] as const) {
    insert.run(name, p.terms, bytes(p.start), bytes(p.postings), p.wideKeys, bytes(p.wideStart), bytes(p.wide));
  }
}

export function loadSearchIndex(db: Db): StoredSearchIndex | undefined {
  if (endianness() !== 'LE') return undefined;
  const rows = db.prepare('SELECT name, terms, start, postings, wide_keys, wide_start, wide FROM search_index').all() as {
    name: string;
    terms: string;
    start: Buffer;
    postings: Buffer;
    wide_keys: string;
    wide_start: Buffer;
    wide: Buffer;
  }[];
  const parts = new Map<string, StoredPrefixIndex>(
    rows.map((r) => [r.name, { terms: r.terms, start: ints(r.start), postings: ints(r.postings), wideKeys: r.wide_keys, wideStart: ints(r.wide_start), wide: ints(r.wide) }]),
  );
  const full = parts.get('full');
  const primary = parts.get('primary');
  return full === undefined || primary === undefined ? undefined : { full, primary };
}
