/**
 * The types every database module shares, in a module of their own so that `open.ts`,
 * `migrate.ts` and the repositories depend on them without depending on each other.
 */
import type Database from 'better-sqlite3';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for the running runtime (Electron in development). */
  nativeBinding?: string | undefined;
  readonly?: boolean;
}

export interface Migration {
  version: number;
  name: string;
  /** SQL, or a function for what SQL cannot do alone (rebuilding an index computed in TypeScript). */
  up: string | ((db: Db) => void);
  /**
   * Data computed with today's code (a search index from the stored names): run once, after the
   * last pending migration, whichever pending migrations ask for it. Run inside an older
   * migration, today's code would meet that migration's schema (migration 0006's CHECK allowed
   * [a-z0-9] words only; today's keys keep letters of every script).
   */
  derive?: (db: Db) => void;
}
