#!/usr/bin/env node
/**
 * `ordo` — the command line. Each command (electron/cli/) is a thin adapter over the same
 * services as the app. Output meant for programs goes to stdout (JSON lines); messages for
 * people go to stderr; no stack trace unless ORDO_DEBUG=1.
 */
import { OrdoError } from '../shared/errors';
import { commands } from './cli/commands';
import { say, UsageError } from './cli/common';
import { defaultDataDir } from './paths';
import { APP_VERSION } from './version';

function help(): string {
  const lines = Object.values(commands).map((c) => {
    const [first = '', ...rest] = c.summary.split('\n');
    return [`  ordo ${c.usage}`, `      ${first}`, ...rest.map((l) => `      ${l}`)].join('\n');
  });
  return `ordo ${APP_VERSION} — logiciel de prescription pour médecins généralistes

Utilisation : ordo <commande> [options]

Commandes :
${lines.join('\n')}
  ordo help | --help | --version

Option commune :
  --data-dir D   dossier des données (par défaut : ${defaultDataDir()})
`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write(`${APP_VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) throw new UsageError(`Commande inconnue : « ${name} ». Voir « ordo --help ».`);
  if (rest.includes('--help')) {
    process.stdout.write(`ordo ${command.usage}\n${command.summary}\n`);
    return 0;
  }
  return command.run(rest);
}

function describe(error: unknown): string {
  if (error instanceof UsageError || error instanceof OrdoError) return error.message;
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    return `Option invalide. ${error.message}. Voir « ordo --help ».`;
  }
  return 'Erreur inattendue. Relancez avec ORDO_DEBUG=1 pour le détail.';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // An error message may quote data (a patient's name in a conflict): printed like any data.
    say(`ordo : ${describe(error)}`);
    if (process.env['ORDO_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
