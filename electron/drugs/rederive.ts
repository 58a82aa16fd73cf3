/**
 * A referential installed by an older Ordo holds the release's rows unchanged, but what derive.ts
 * made of them (DCI labels, search words, flags, the search's indexes) is the old code's. When
 * REFERENTIAL_VERSION moves on while the rows' tables stay the same, the installed file is rebuilt
 * aside from its own rows with today's rules and swapped in (`buildAndInstall`): a GP never reads
 * a label an earlier version wrote, and never has to re-import a release for it.
 */
import type { OpenOptions } from '../db/types';
import { openSqlite } from '../db/open';
import { createLogger } from '../log';
import { deriveSpecialties } from './derive';
import { basename } from 'node:path';
import { buildAndInstall } from './files';
import { referentialRebuildEntry, type InstallAudit } from './install-audit';
import { REFERENTIAL_VERSION, referentialSchema } from './schema';

const log = createLogger('drugs');

/** Format versions whose tables of rows are today's: only the derived columns differ. */
export const REDERIVABLE_VERSIONS: readonly number[] = [1, 2];

/** Tables copied as they are (`specialty` without its derived columns); `meta` is carried over. */
const ROW_TABLES = ['specialty', 'pack', 'composition', 'generic_group', 'prescribing_condition'] as const;
const DERIVED_SPECIALTY_COLUMNS = new Set(['dci_label', 'substances', 'substance_key', 'flags', 'generic_type', 'search_words', 'search_primary', 'search_rank']);

/** The file's format version, or null when it cannot be read. */
export function referentialVersion(file: string, sqlite: OpenOptions): number | null {
  try {
    const db = openSqlite(file, { ...sqlite, readonly: true });
    try {
      return db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

export function needsRederive(file: string, sqlite: OpenOptions): boolean {
  const version = referentialVersion(file, sqlite);
  return version !== null && version !== REFERENTIAL_VERSION && REDERIVABLE_VERSIONS.includes(version);
}

/** Rebuilds `file` (an installed referential of a rederivable version) with today's rules and installs it. */
export async function rederive(file: string, args: { dataDir: string; sqlite: OpenOptions; now: () => Date }): Promise<InstallAudit> {
  const started = performance.now();
  const old = openSqlite(file, { ...args.sqlite, readonly: true });
  let entry: InstallAudit;
  try {
    entry = await buildAndInstall(
      { kind: 'drugs', dataDir: args.dataDir, sqlite: args.sqlite, now: args.now, schema: referentialSchema, version: REFERENTIAL_VERSION, log },
      (db, built) => {
        const columnsOf = (table: string) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).filter((c) => table !== 'specialty' || !DERIVED_SPECIALTY_COLUMNS.has(c));
        for (const table of ROW_TABLES) {
          const columns = columnsOf(table);
          const list = columns.join(', ');
          const insert = db.prepare(`INSERT INTO ${table} (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
          for (const row of old.prepare(`SELECT ${list} FROM ${table}`).raw().iterate() as IterableIterator<unknown[]>) insert.run(...row);
        }
        deriveSpecialties(db);
        const meta = Object.fromEntries((old.prepare('SELECT key, value FROM meta').raw().all() as [string, string][]).filter(([key]) => key !== 'rederived_at'));
        const result = referentialRebuildEntry({ fileName: built.fileName, previous: basename(file), source: meta['source'] ?? '' });
        return Promise.resolve({ result, meta: { ...meta, rederived_at: args.now().toISOString() } });
      },
    );
  } finally {
    old.close();
  }
  log.info('referential rebuilt with the current rules', { ms: Math.round(performance.now() - started) });
  return entry;
}

/** In a task thread: the same, for the service (its thread keeps answering meanwhile); the audit entry to record, or false. */
export async function rederiveTask(args: { file: string; dataDir: string; sqlite: OpenOptions; now: string }): Promise<InstallAudit | false> {
  if (!needsRederive(args.file, args.sqlite)) return false;
  return rederive(args.file, { dataDir: args.dataDir, sqlite: args.sqlite, now: () => new Date(args.now) });
}
