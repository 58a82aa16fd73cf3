/**
 * Wires the services for one data folder. The Electron main process, the HTTP host, the CLI and
 * the tests all build Ordo through here, so they run exactly the same code.
 */
import { latestVersion } from './db/migrate';
import { migrations } from './db/migrations';
import { openDatabase, type Db, type OpenOptions } from './db/open';
import { systemClock, type Clock } from './clock';
import type { ServiceTable } from './dispatch';
import { databasePath } from './paths';
import { createProfileService } from './profile/service';
import { APP_VERSION } from './version';

export interface AppOptions {
  dataDir: string;
  mode: 'electron' | 'host';
  clock?: Clock;
  sqlite?: OpenOptions;
}

export interface OrdoApp {
  db: Db;
  services: ServiceTable;
  close(): void;
}

export function createApp(options: AppOptions): OrdoApp {
  const clock = options.clock ?? systemClock;
  const db = openDatabase(databasePath(options.dataDir), options.sqlite);
  const profile = createProfileService(db, clock);

  const services: ServiceTable = {
    'app.info': () => ({
      version: APP_VERSION,
      schemaVersion: latestVersion(migrations),
      dataDir: options.dataDir,
      mode: options.mode,
    }),
    'profile.get': () => profile.get(),
    'profile.save': (input) => profile.save(input),
  };

  return {
    db,
    services,
    close: () => db.close(),
  };
}
