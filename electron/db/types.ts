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
}
