import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';

const caches = new WeakMap<Db, Map<string, Statement>>();

/**
 * A statement prepared once per connection. Search runs on every keystroke: preparing its SQL
 * each time would cost more than running it.
 */
export function prepared(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
