import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pemBundle } from '../../shared/calls/keys';
import { OrdoError } from '../../shared/errors';
import { call, dataDirOf, dataDirOption, out, say, UsageError, withApp, type Command } from './common';

const USAGE = 'key export [--data-dir D] [--out FICHIER] | key rotate [--data-dir D]';

function runExport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...dataDirOption, out: { type: 'string' } }, allowPositionals: true });
  if (positionals.length > 0) throw new UsageError(`ordo key export ne prend pas d’argument : le fichier se donne avec --out. Utilisation :\n  ordo ${USAGE}`);
  return withApp(dataDirOf(values), async (app) => {
    // The same call as Réglages: the key opened by the same provider as a signature (ORDO_KEY_PASSPHRASE).
    const exported = await call(app, 'keys.export', {});
    if (values.out === undefined) {
      out({ keyId: exported.keyId, publicKeyPem: exported.publicKeyPem, certificatePem: exported.certificatePem });
      say(`Clé publique ${exported.keyId} et son certificat exportés.`);
      return 0;
    }
    const file = resolve(values.out);
    try {
      writeFileSync(file, pemBundle(exported), { mode: 0o644 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new OrdoError('INTERNAL', `Le fichier « ${file} » n’a pas pu être écrit${code === '' ? '' : ` (${code})`} : rien n’a été exporté.`);
    }
    out({ keyId: exported.keyId, file });
    say(`Clé publique ${exported.keyId} et son certificat écrits dans ${file}.`);
    return 0;
  });
}

function runRotate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: dataDirOption, allowPositionals: true });
  if (positionals.length > 0) throw new UsageError(`ordo key rotate ne prend pas d’argument. Utilisation :\n  ordo ${USAGE}`);
  return withApp(dataDirOf(values), async (app) => {
    const rotated = await call(app, 'keys.rotate', { confirm: true });
    out(rotated);
    say(rotated.retired === null ? `Clé de signature ${rotated.keyId} créée.` : `Clé ${rotated.retired} retirée (sa partie publique est gardée) ; nouvelle clé de signature : ${rotated.keyId}.`);
    return 0;
  });
}

export const key: Command = {
  usage: USAGE,
  summary:
    'Exporte la clé publique de signature du prescripteur et un certificat X.509 auto-signé à son nom (CN « Dr Prénom Nom »,\n' +
    'RPPS dans l’attribut serialNumber), pour qu’un tiers vérifie les ordonnances signées. Sans --out : JSON\n' +
    '{"keyId","publicKeyPem","certificatePem"} ; avec --out : le fichier PEM (clé puis certificat). La clé privée ne sort jamais.\n' +
    'Ouvre la clé avec la phrase de passe de ORDO_KEY_PASSPHRASE (créée si elle n’existe pas encore).\n' +
    'key rotate : retire la clé actuelle (sa partie publique reste : ce qu’elle a signé reste vérifiable) et en crée une\n' +
    'nouvelle ; affiche {"retired","keyId"}. Exportez ensuite la nouvelle clé publique.',
  run(args) {
    const [sub, ...rest] = args;
    if (sub === 'export') return runExport(rest);
    if (sub === 'rotate') return runRotate(rest);
    throw new UsageError(`Sous-commande inconnue : « ${sub ?? ''} ». Utilisation :\n  ordo ${USAGE}`);
  },
};
