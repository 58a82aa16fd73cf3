import { parseArgs } from 'node:util';
import type { DrugSearchResult } from '../../shared/calls/drugs';
import { drugFlagLabelsOf } from '../../shared/domain/drugs';

import { call, dataDirOf, dataDirOption, out, UsageError, withApp, type Command } from './common';
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
  process.stdout.write(`${lines.join('\n')}\n`);
}

export const drugs: Command = {
  usage: 'drugs search TEXTE [--data-dir D] [--json] [--limit N] [--offset N]',
  summary:
    'Cherche un médicament (nom commercial, DCI, CIP13, CIP7 ou CIS ; début de mot suffit) ;\nrésultats groupés par DCI. --json : un objet JSON sur stdout.',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { ...dataDirOption, json: { type: 'boolean', default: false }, limit: { type: 'string' }, offset: { type: 'string' } },
      allowPositionals: true,
    });
    const [sub, ...words] = positionals;
    if (sub !== 'search') throw new UsageError(`Sous-commande inconnue : « ${sub ?? ''} ». Utilisation : ordo drugs search TEXTE.`);
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
