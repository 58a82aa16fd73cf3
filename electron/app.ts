/**
 * Wires the services for one data folder. The Electron main process, the HTTP host, the CLI and
 * the tests all build Ordo through here, so they run exactly the same code.
 */
import { systemClock, type Clock } from './clock';
import type { AppContext } from './context';
import { openDatabase, type Db, type OpenOptions } from './db/open';
import type { ServiceTable } from './dispatch';
import { drugServices } from './drugs/calls';
import { databasePath } from './paths';
import { patientServices } from './patients/calls';
import { appServices } from './profile/calls';

export interface AppOptions {
  dataDir: string;
  mode: 'electron' | 'host';
  clock?: Clock;
  sqlite?: OpenOptions;
}

export interface OrdoApp {
  db: Db;
  context: AppContext;
  services: ServiceTable;
  close(): void;
}

export function createApp(options: AppOptions): OrdoApp {
  const sqlite = options.sqlite ?? {};
  const db = openDatabase(databasePath(options.dataDir), sqlite);
  const disposers: (() => void)[] = [];
  const context: AppContext = {
    db,
    dataDir: options.dataDir,
    mode: options.mode,
    clock: options.clock ?? systemClock,
    sqlite,
    onClose: (dispose) => disposers.push(dispose),
  };
  const services: ServiceTable = {
    ...appServices(context),
    ...drugServices(context),
    ...patientServices(context),
  };
  const close = () => {
    for (const dispose of disposers.reverse()) dispose();
    db.close();
  };
  return { db, context, services, close };
}
