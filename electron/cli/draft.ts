import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ExchangeDocument } from '../../shared/calls/prescriptions';
import { OrdoError } from '../../shared/errors';
import { call, dataDirOf, dataDirOption, out, say, UsageError, withApp, type Command } from './common';

const USAGE = 'draft create --json FICHIER [--data-dir D]';

/** The file's JSON, or a French refusal: nothing is created from a file that is not JSON. */
function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch {
    throw new OrdoError('INVALID_INPUT', `Le fichier « ${file} » n’a pas pu être lu : aucun brouillon créé.`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    const where = error instanceof SyntaxError ? ` (${error.message})` : '';
    throw new OrdoError('INVALID_INPUT', `Le fichier « ${file} » n’est pas un JSON valide${where} : aucun brouillon créé.`);
  }
}

function runCreate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...dataDirOption, json: { type: 'string' } }, allowPositionals: true });
  if (values.json === undefined || positionals.length > 0) throw new UsageError(`Donnez le fichier d’échange avec --json. Utilisation :\n  ordo ${USAGE}`);
  const document = readDocument(values.json);
  return withApp(dataDirOf(values), async (app) => {
    // The contract validates the document like any other input: a malformed one is refused whole.
    const result = await call(app, 'prescriptions.fromExchange', { document: document as ExchangeDocument });
    out({ id: result.id, patientId: result.patientId, patientCreated: result.patientCreated, checks: result.checks });
    const blocking = result.checks.filter((c) => c.blocking).length;
    say(`Brouillon ${result.id} créé${result.patientCreated ? ' (nouveau patient)' : ''} : ${result.checks.length} vérification(s), dont ${blocking} bloquante(s).`);
    return 0;
  });
}

export const draft: Command = {
  usage: USAGE,
  summary:
    'Mode échange : crée un brouillon d’ordonnance depuis le fichier JSON d’un autre logiciel (README, « Mode échange »)\n' +
    'et affiche en JSON son identifiant et ses vérifications. Un CIS inconnu, un patient introuvable ou un fichier\n' +
    'mal formé ne crée rien (code de sortie 1).',
  run(args) {
    const [sub, ...rest] = args;
    if (sub === 'create') return runCreate(rest);
    throw new UsageError(`Sous-commande inconnue : « ${sub ?? ''} ». Utilisation :\n  ordo ${USAGE}`);
  },
};
