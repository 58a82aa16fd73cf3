import { parseArgs } from 'node:util';
import type { DrugSearchResult, DrugStatus } from '../../shared/calls/drugs';
import { missingPartsOf, partialLine } from '../../shared/domain/bdpm-parts';
import { formatDate } from '../../shared/domain/dates';
import { drugFlagLabelsOf, STALE_AFTER_DAYS } from '../../shared/domain/drugs';
import { releaseDateSourceLabels } from '../../shared/domain/release-date';

import { call, dataDirOf, dataDirOption, out, print, UsageError, withApp, type Command } from './common';
import { frenchCount } from '../../shared/domain/numbers';

function printText(result: DrugSearchResult): void {
  const lines: string[] = [];
  if (result.demo) lines.push('(données de démonstration — non utilisables pour un patient réel)');
  if (result.groups.length === 0) lines.push(`Aucun médicament pour « ${result.query} ».`);
  for (const group of result.groups) {
    lines.push(group.dciLabel);
    for (const item of group.items) {
      const flags = drugFlagLabelsOf(item);
      lines.push(`  ${item.cis}  ${item.name}${flags.length > 0 ? `  [${flags.join(', ')}]` : ''}`);
    }
    if (group.total > group.items.length) lines.push(`  … et ${frenchCount(group.total - group.items.length, 'autre spécialité', 'autres spécialités')}`);
  }
  const shown = result.offset + result.groups.length;
  if (result.totalGroups > shown) {
    lines.push(
      `${frenchCount(result.totalGroups, 'groupe trouvé', 'groupes trouvés')}, ${frenchCount(result.groups.length, 'affiché', 'affichés')} : --limit N pour en voir plus, --offset ${shown} pour la suite.`,
    );
  }
  print(lines.join('\n'));
}

/** What `ordo drugs status` prints: the base, its date, its content, and what it lacks. */
function printStatus(status: DrugStatus): void {
  const lines: string[] = [];
  if (status.state === 'none') {
    lines.push('Aucune base des médicaments n’est installée.');
  } else {
    const release = status.releaseDate === null || status.releaseDateSource === null ? 'date inconnue' : `version du ${formatDate(status.releaseDate)} (${releaseDateSourceLabels[status.releaseDateSource]})`;
    lines.push(`Base des médicaments : ${release}${status.importedAt === null ? '' : `, importée le ${formatDate(status.importedAt.slice(0, 10))}`}.`);
    if (status.state === 'demo') lines.push('Données de démonstration — non utilisables pour un patient réel.');
    else if (status.source !== null) lines.push(`Source : ${status.source}`);
    lines.push(
      `Contenu : ${frenchCount(status.counts.specialties, 'spécialité', 'spécialités')}, ${frenchCount(status.counts.packs, 'présentation', 'présentations')}, ${frenchCount(status.counts.compositions, 'ligne de composition', 'lignes de composition')}.`,
    );
    const parts = missingPartsOf(status.missingFiles);
    if (parts.length > 0) lines.push(`Attention, ${partialLine(parts)} (fichiers absents de la version importée : ${status.missingFiles.join(', ')}).`);
    if (status.state === 'real' && status.stale) {
      lines.push(status.ageDays === null ? 'Attention, la date de la base est inconnue : mettez-la à jour.' : `Attention, la base a ${frenchCount(status.ageDays, 'jour', 'jours')} (plus de ${STALE_AFTER_DAYS}) : mettez-la à jour.`);
    }
  }
  lines.push(status.interactions === null ? 'Thésaurus des interactions : non installé.' : `Thésaurus des interactions : ${frenchCount(status.interactions.rules, 'interaction', 'interactions')}.`);
  print(lines.join('\n'));
}

export const drugs: Command = {
  usage: 'drugs search TEXTE [--data-dir D] [--json] [--limit N] [--offset N] | drugs status [--data-dir D] [--json]',
  summary:
    'search : cherche un médicament (nom commercial, DCI, CIP13, CIP7 ou CIS ; début de mot suffit) ;\nrésultats groupés par DCI. status : la base installée, sa date, son contenu et ce qui lui manque\n(« base partielle : compositions absentes »). --json : un objet JSON sur stdout.',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { ...dataDirOption, json: { type: 'boolean', default: false }, limit: { type: 'string' }, offset: { type: 'string' } },
      allowPositionals: true,
    });
    const [sub, ...words] = positionals;
    if (sub === 'status') {
      if (words.length > 0) throw new UsageError('ordo drugs status ne prend pas d’argument.');
      return withApp(dataDirOf(values), async (app) => {
        const status = await call(app, 'drugs.status', {});
        if (values.json) out(status);
        else printStatus(status);
        return 0;
      });
    }
    if (sub !== 'search') throw new UsageError(`Sous-commande inconnue : « ${sub ?? ''} ». Utilisation : ordo drugs search TEXTE, ou ordo drugs status.`);
    const query = words.join(' ');
    if (query.trim() === '') throw new UsageError('Donnez le texte à chercher.');
    // The contract checks the limit, as for every other adapter.
    const limit = values.limit === undefined ? 10 : Number(values.limit);
    const offset = values.offset === undefined ? 0 : Number(values.offset);
    return withApp(dataDirOf(values), async (app) => {
      const result = await call(app, 'drugs.search', { query, limit, offset });
      if (values.json) out(result);
      else printText(result);
      return 0;
    });
  },
};
