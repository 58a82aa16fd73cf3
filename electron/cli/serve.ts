import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startHost } from '../host/server';
import { startServiceWorker } from '../worker/client';
import { dataDirOf, dataDirOption, out, say, UsageError, type Command } from './common';

/** The built renderer, found from this file whether it runs from source or from dist/. */
function rendererDir(): string | undefined {
  const fromEnv = process.env['ORDO_RENDERER_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'dist', 'renderer');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`Port invalide : « ${value} ».`);
  return port;
}

export const serve: Command = {
  usage: 'serve [--data-dir D] [--port P]',
  summary:
    'Démarre l’hôte local (127.0.0.1) et affiche une ligne JSON {"url", "token"} ;\nouvrez "url" dans un navigateur. --port 0 choisit un port libre. Événements : GET /events.',
  async run(args) {
    const { values } = parseArgs({ args, options: { ...dataDirOption, port: { type: 'string' } } });
    const port = parsePort(values.port);
    const backend = await startServiceWorker({ dataDir: dataDirOf(values), mode: 'host' });
    const staticDir = rendererDir();
    if (staticDir === undefined) say('Interface non construite (npm run build) : seule l’API /rpc est servie.');
    const host = await startHost({ backend, port, staticDir });
    out({ url: host.appUrl, token: host.token });
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await host.close();
    await backend.close();
    return 0;
  },
};
