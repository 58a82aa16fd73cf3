/** The installed interaction rule set, opened read-only with its version. */
import { basename } from 'node:path';
import { openSqlite, type Db, type OpenOptions } from '../db/open';
import { createLogger } from '../log';
import { currentFile } from './files';
import { editionOf } from './interactions-import';
import { INTERACTIONS_VERSION } from './interactions-schema';

const log = createLogger('drugs.interactions');

export interface InteractionsHandle {
  db: Db;
  version: string;
  importedAt: string;
  /** The edition (a year) when the source's name told it. */
  edition: string | null;
  rules: number;
  molecules: number;
  classes: number;
}

/** Sets installed before the edition was stored name it by their source folder's name. */
function editionIn(meta: Map<string, string>): string | null {
  const stored = meta.get('edition');
  if (stored !== undefined) return stored === '' ? null : stored;
  return editionOf(basename(meta.get('source') ?? ''));
}

export function openInteractions(dir: string, sqlite: OpenOptions): InteractionsHandle | undefined {
  const file = currentFile(dir, 'interactions');
  if (file === undefined) return undefined;
  try {
    const db = openSqlite(file, { ...sqlite, readonly: true });
    if (db.pragma('user_version', { simple: true }) !== INTERACTIONS_VERSION) {
      db.close();
      return undefined;
    }
    const meta = new Map((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    return {
      db,
      version: meta.get('version') ?? '',
      importedAt: meta.get('imported_at') ?? '',
      edition: editionIn(meta),
      rules: db.prepare('SELECT count(*) FROM rule').pluck().get() as number,
      molecules: db.prepare('SELECT count(*) FROM molecule').pluck().get() as number,
      classes: db.prepare('SELECT count(DISTINCT class) FROM molecule_class').pluck().get() as number,
    };
  } catch (error) {
    log.error('interaction rule set unreadable', { error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}
