import Database from 'better-sqlite3';
import { createApp, inProcessBackend, type OrdoApp } from '../../electron/app';
import { startHost, type Host } from '../../electron/host/server';
import { databasePath } from '../../electron/paths';
import type { Backend } from '../../electron/worker/backend';
import { startServiceWorker, type ServiceWorkerClient } from '../../electron/worker/client';
import { tempDir } from './tmp';

export interface InProcessHost {
  /** Only with the in-process backend. */
  app: OrdoApp | undefined;
  /** Only with the service worker. */
  worker: ServiceWorkerClient | undefined;
  backend: Backend;
  host: Host;
  origin: string;
  token: string;
  dataDir: string;
  /** Changes committed to the practice database since the host started (any connection, any thread). */
  changes(): number;
  /** A read-only connection to the practice database, for checks. */
  observer: Database.Database;
  close(): Promise<void>;
}

export interface HostSetup {
  /** 'worker' (default): the host relays to the service worker, as `ordo serve` does. 'in-process': the services in this thread. */
  backend?: 'worker' | 'in-process';
  /** Wraps the in-process service table (e.g. to count what reaches a service). */
  wrapServices?: (app: OrdoApp) => unknown;
  /** In-process only: the runner takes queued jobs by itself (default true). */
  autoRun?: boolean;
  faults?: boolean;
}

/** The headless host on a fresh data folder, serving `staticDir` if given. */
export async function startInProcessHost(staticDir?: string, setup: HostSetup = {}): Promise<InProcessHost> {
  const tmp = tempDir('ordo-host-');
  let app: OrdoApp | undefined;
  let worker: ServiceWorkerClient | undefined;
  let backend: Backend;
  if (setup.backend === 'in-process') {
    app = createApp({ dataDir: tmp.dir, mode: 'host', jobs: { autoRun: setup.autoRun ?? true, threads: false } });
    setup.wrapServices?.(app);
    backend = inProcessBackend(app);
  } else {
    worker = await startServiceWorker({ dataDir: tmp.dir, mode: 'host', faults: setup.faults === true });
    backend = worker;
  }
  const host = await startHost({ backend, staticDir });
  const observer = new Database(databasePath(tmp.dir), { readonly: true });
  // data_version moves when another connection commits: a count of foreign commits, not of rows.
  const dataVersion = observer.prepare('PRAGMA data_version').pluck();
  const start = dataVersion.get() as number;
  return {
    app,
    worker,
    backend,
    host,
    origin: host.url,
    token: host.token,
    dataDir: tmp.dir,
    changes: () => (dataVersion.get() as number) - start,
    observer,
    close: async () => {
      await host.close();
      observer.close();
      if (app !== undefined) await app.shutdown();
      await worker?.close();
      tmp.remove();
    },
  };
}
