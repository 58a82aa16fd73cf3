import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { missingPartsOf, partialLine } from '../../shared/domain/bdpm-parts';
import { releaseDateSourceLabels } from '../../shared/domain/release-date';
import { formatDate } from '../../shared/domain/dates';
import { OrdoError } from '../../shared/errors';
import { dataDirOf, dataDirOption, out, say, UsageError, withApp, type Command } from './common';

export const importBdpm: Command = {
  usage: 'import-bdpm DOSSIER [--data-dir D] [--release-date AAAA-MM-JJ] [--allow-partial]',
  summary:
    'Importe une version de la base publique des médicaments (les cinq fichiers CIS_*.txt de\nl’ANSM) ; progression sur stderr, bilan JSON sur stdout (lignes par fichier, lignes rejetées,\nfichiers absents). Une version incomplète (fichier absent, vide ou tronqué, colonnes décalées,\nplus de 10 % de spécialités ou de présentations en moins que la base installée) est refusée et la\nbase précédente conservée. --allow-partial : importe quand même une version à laquelle manquent\nCIS_COMPO, CIS_GENER ou CIS_CPD (base partielle). C’est la même tâche que « Mettre à jour la base\ndes médicaments » : interrompue, l’application la reprend.',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { ...dataDirOption, 'release-date': { type: 'string' }, 'allow-partial': { type: 'boolean', default: false } },
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
      app.subscribe((event) => {
        if (event.name !== 'jobs.changed' || event.payload.kind !== 'drugs.update' || event.payload.progress === null) return;
        const { file, percent } = event.payload.progress;
        const line = `${file ?? ''} : ${percent} %`;
        if (line !== lastShown) say(`import ${(lastShown = line)}`);
      });
      const job = await app.tools.importBdpmFolder(resolve(dir), releaseDate ?? null, {
        allowPartial: values['allow-partial'],
      });
      if (job.kind !== 'drugs.update' || job.state !== 'done' || job.result === null) {
        if (job.error?.code === 'NEEDS_CONFIRMATION') {
          throw new OrdoError('NEEDS_CONFIRMATION', `${job.error.message} Pour l’importer quand même : ordo import-bdpm ${dir} --allow-partial.`);
        }
        throw new OrdoError('IMPORT_FAILED', job.error?.message);
      }
      const summary = job.result;
      out(summary);
      say(`Date de la version : ${summary.releaseDate === null ? 'inconnue' : `${formatDate(summary.releaseDate)} (${releaseDateSourceLabels[summary.releaseDateSource]})`}.`);
      const parts = missingPartsOf(summary.missingFiles);
      if (parts.length > 0) say(`Attention, ${partialLine(parts)} (fichiers absents : ${summary.missingFiles.join(', ')}).`);
      if (summary.rejectedCount > 0) say(`${summary.rejectedCount} ligne(s) rejetée(s) : voir "rejected" dans le bilan.`);
      say('Import terminé.');
      return 0;
    });
  },
};
