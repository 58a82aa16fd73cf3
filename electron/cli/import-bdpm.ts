import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { drugServiceOf } from '../drugs/calls';
import { dataDirOf, dataDirOption, out, say, UsageError, withApp, type Command } from './common';

export const importBdpm: Command = {
  usage: 'import-bdpm DOSSIER [--data-dir D] [--release-date AAAA-MM-JJ]',
  summary:
    'Importe une version de la base publique des médicaments (les cinq fichiers CIS_*.txt de\nl’ANSM) ; progression sur stderr, bilan JSON sur stdout (lignes par fichier, lignes rejetées,\nfichiers absents). En cas d’échec, la base précédente est conservée.',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { ...dataDirOption, 'release-date': { type: 'string' } },
      allowPositionals: true,
    });
    const [dir, ...extra] = positionals;
    if (dir === undefined || extra.length > 0) throw new UsageError('Donnez un seul dossier contenant les fichiers BDPM.');
    const releaseDate = values['release-date'];
    if (releaseDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(releaseDate)) {
      throw new UsageError(`Date de version invalide : « ${releaseDate} » (format AAAA-MM-JJ).`);
    }
    return withApp(dataDirOf(values), async (app) => {
      let lastShown = '';
      const summary = await drugServiceOf(app.context).importFromDir(resolve(dir), {
        ...(releaseDate !== undefined ? { releaseDate } : {}),
        onProgress: (p) => {
          const line = `${p.file} : ${Math.floor((p.bytesDone / Math.max(1, p.bytesTotal)) * 100)} %`;
          if (line !== lastShown) say(`import ${(lastShown = line)}`);
        },
      });
      out(summary);
      if (summary.missingFiles.length > 0) say(`Fichiers absents (import partiel) : ${summary.missingFiles.join(', ')}.`);
      if (summary.rejectedCount > 0) say(`${summary.rejectedCount} ligne(s) rejetée(s) : voir "rejected" dans le bilan.`);
      say('Import terminé.');
      return 0;
    });
  },
};
