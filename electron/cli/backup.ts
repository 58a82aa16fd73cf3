import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupDataDir, restoreDataDir } from '../app';
import { dataDirOf, dataDirOption, out, say, UsageError, type Command } from './common';

export const backup: Command = {
  usage: 'backup [--out FICHIER] [--data-dir D]',
  summary:
    'Sauvegarde la base maintenant (API de sauvegarde de SQLite : possible pendant que l’application\ntourne), vérifiée (intégrité, version) avant d’être gardée ; par défaut dans le dossier\n« backups » des données, ou dans FICHIER avec --out. JSON sur stdout.',
  async run(args) {
    const { values, positionals } = parseArgs({ args, options: { ...dataDirOption, out: { type: 'string' } } });
    if (positionals.length > 0) throw new UsageError('ordo backup ne prend pas d’argument : le fichier se donne avec --out.');
    const dataDir = dataDirOf(values);
    const outcome = await backupDataDir(dataDir, values.out === undefined ? {} : { out: resolve(values.out) });
    out({ file: outcome.file, size: outcome.record?.size ?? null, sha256: outcome.record?.sha256 ?? null, schemaVersion: outcome.record?.schemaVersion ?? null, check: 'ok' });
    say(`Sauvegarde vérifiée : ${outcome.file}`);
    return 0;
  },
};

export const restore: Command = {
  usage: 'restore FICHIER [--data-dir D]',
  summary:
    'Remplace la base par la sauvegarde FICHIER : refusée si elle est endommagée, n’est pas une base\nOrdo ou vient d’une version plus récente ; la base actuelle est d’abord gardée dans\n« backups/avant-restauration-… .db ». Fermez Ordo avant (refusé s’il utilise ce dossier).',
  async run(args) {
    const { values, positionals } = parseArgs({ args, options: dataDirOption, allowPositionals: true });
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length > 0) throw new UsageError('Donnez un seul fichier de sauvegarde à restaurer.');
    const result = await restoreDataDir(dataDirOf(values), resolve(file));
    out(result);
    if (result.keptAside !== null) say(`La base précédente est conservée : backups/${result.keptAside}`);
    if (result.fromVersion !== result.toVersion) say(`Sauvegarde mise à jour de la version ${result.fromVersion} à la version ${result.toVersion}.`);
    say(`Sauvegarde « ${result.restored} » restaurée. Vous pouvez relancer Ordo.`);
    return 0;
  },
};
