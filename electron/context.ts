import type { EventName, EventPayload } from '../shared/events';
import type { Clock } from './clock';
import type { Db, OpenOptions } from './db/types';
import type { JobRunner } from './jobs/runner';
import type { Fetch } from './net';
import type { RunTask } from './worker/tasks';

/** What every domain's services are built from. */
export interface AppContext {
  /** The practice database (ordo.db). */
  db: Db;
  dataDir: string;
  mode: 'electron' | 'host';
  clock: Clock;
  /** Options for any other SQLite file a service opens (e.g. the drug referential). */
  sqlite: OpenOptions;
  /** Durable background jobs (a drug update, a patient import). */
  jobs: JobRunner;
  /** Long work in threads of their own (the app), or all in this one (tests, the CLI). */
  threads: boolean;
  /** One-shot work off the thread that answers calls (electron/tasks.ts). */
  runTask: RunTask;
  fetch: Fetch;
  /** Pushes an event to the screens (shared/events.ts). */
  emit<N extends EventName>(name: N, payload: EventPayload<N>): void;
  /** Run when the app closes (e.g. to close another SQLite file), last registered first. */
  onClose(dispose: () => void): void;
}
