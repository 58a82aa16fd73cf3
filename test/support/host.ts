import { createApp, type OrdoApp } from '../../electron/app';
import { startHost, type Host } from '../../electron/host/server';
import { tempDir } from './tmp';

export interface InProcessHost {
  app: OrdoApp;
  host: Host;
  origin: string;
  token: string;
  dataDir: string;
  /** Rows inserted, updated or deleted in the practice database since it was opened. */
  changes(): number;
  close(): Promise<void>;
}

/** The headless host in this process, on a fresh data folder, serving `staticDir` if given. */
export async function startInProcessHost(staticDir?: string): Promise<InProcessHost> {
  const tmp = tempDir('ordo-host-');
  const app = createApp({ dataDir: tmp.dir, mode: 'host' });
  const host = await startHost({ services: app.services, staticDir });
  const totalChanges = app.db.prepare('SELECT total_changes()').pluck();
  return {
    app,
    host,
    origin: host.url,
    token: host.token,
    dataDir: tmp.dir,
    changes: () => totalChanges.get() as number,
    close: async () => {
      await host.close();
      app.close();
      tmp.remove();
    },
  };
}
