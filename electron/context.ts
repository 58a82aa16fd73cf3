import type { Clock } from './clock';
import type { Db, OpenOptions } from './db/open';

/** What every domain's services are built from. */
export interface AppContext {
  /** The practice database (ordo.db). */
  db: Db;
  dataDir: string;
  mode: 'electron' | 'host';
  clock: Clock;
  /** Options for any other SQLite file a service opens (e.g. the drug referential). */
  sqlite: OpenOptions;
  /** Run when the app closes (e.g. to close another SQLite file), last registered first. */
  onClose(dispose: () => void): void;
}
