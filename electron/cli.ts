#!/usr/bin/env node
/**
 * `ordo` — the command line. Each command is a thin adapter over the same services as the app.
 * Output meant for programs goes to stdout (JSON); messages for people go to stderr.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { OrdoError } from '../shared/errors';
import { createApp } from './app';
import { verifyAudit } from './audit/audit';
import { latestVersion, schemaVersion } from './db/migrate';
import { migrations } from './db/migrations';
import { startHost } from './host/server';
import { databasePath, defaultDataDir } from './paths';
import { APP_VERSION } from './version';

const HELP = `ordo ${APP_VERSION} — logiciel de prescription

Utilisation : ordo <commande> [options]

Commandes :
  serve   [--data-dir D] [--port P]   Démarre l'hôte local (127.0.0.1) et affiche une ligne JSON
                                       {"url", "token"} ; ouvrez "url" dans un navigateur.
                                       --port 0 choisit un port libre.
  doctor  [--data-dir D]               Vérifie la base (intégrité, version du schéma, journal d'audit)
                                       et affiche le résultat en JSON ; code de sortie non nul en cas
                                       de problème.
  help                                 Affiche cette aide (aussi : --help).

Options communes :
  --data-dir D   Dossier des données (par défaut : ${defaultDataDir()})
`;

class UsageError extends Error {}

function out(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

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
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Port invalide : « ${value} ».`);
  return port;
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, port: { type: 'string' } } });
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const app = createApp({ dataDir, mode: 'host' });
  const staticDir = rendererDir();
  if (staticDir === undefined) process.stderr.write("Interface non construite (npm run build) : seule l'API /rpc est servie.\n");
  const host = await startHost({ services: app.services, port: parsePort(values.port), staticDir });
  out({ url: host.appUrl, token: host.token });
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  app.close();
  return 0;
}

function doctor(args: string[]): number {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const database = databasePath(dataDir);
  const report: Record<string, unknown> = { dataDir, database, appSchemaVersion: latestVersion(migrations) };
  let app;
  try {
    app = createApp({ dataDir, mode: 'host' });
  } catch (error) {
    const message = error instanceof OrdoError ? error.message : "La base de données n'a pas pu être ouverte.";
    out({ ...report, ok: false, error: message });
    process.stderr.write(`${message}\n`);
    return 1;
  }
  try {
    const integrity = (app.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const audit = verifyAudit(app.db);
    const ok = integrity.length === 1 && integrity[0] === 'ok' && audit.ok;
    out({ ...report, schemaVersion: schemaVersion(app.db), integrity: integrity.join('; '), audit, ok });
    if (!ok) process.stderr.write('La base de données présente un problème : voir le rapport ci-dessus.\n');
    return ok ? 0 : 1;
  } finally {
    app.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return command === undefined ? 1 : 0;
    case '--version':
      process.stdout.write(`${APP_VERSION}\n`);
      return 0;
    case 'serve':
      return serve(rest);
    case 'doctor':
      return doctor(rest);
    default:
      throw new UsageError(`Commande inconnue : « ${command} ». Voir « ordo --help ».`);
  }
}

function describe(error: unknown): string {
  if (error instanceof UsageError || error instanceof OrdoError) return error.message;
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    return `Option invalide : ${error.message}. Voir « ordo --help ».`;
  }
  return "Erreur inattendue. Relancez avec ORDO_DEBUG=1 pour le détail.";
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ordo : ${describe(error)}\n`);
    if (process.env['ORDO_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    process.exitCode = 2;
  },
);
