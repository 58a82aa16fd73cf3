import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Overwrites one page of a closed SQLite file with garbage, as a bad sector or a stray write
 * would: `page` 1 is the header (« file is not a database »); `table` names a table whose root
 * page is overwritten (the file opens, reading that table fails, quick_check sees it).
 */
export function overwritePage(file: string, target: { page: 1 } | { table: string }): void {
  let page = 1;
  let pageSize: number;
  {
    const db = new Database(file);
    // Everything into the main file first: the page overwritten must be the one SQLite reads.
    db.pragma('wal_checkpoint(TRUNCATE)');
    pageSize = db.pragma('page_size', { simple: true }) as number;
    if ('table' in target) {
      page = db.prepare("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(target.table) as number;
    }
    db.close();
  }
  const garbage = Buffer.alloc(pageSize, 0xa5);
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, garbage, 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}
