import { parseArgs } from 'node:util';
import type { DrugSearchResult } from '../../shared/calls/drugs';
import { drugFlagLabelsOf } from '../../shared/domain/drugs';
import { call, dataDirOf, dataDirOption, out, UsageError, withApp, type Command } from './common';

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
    if (group.total > group.items.length) lines.push(`  … et ${group.total - group.items.length} autre(s)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

export const drugs: Command = {
  usage: 'drugs search TEXTE [--data-dir D] [--json] [--limit N]',
  summary:
    'Cherche un médicament (nom commercial, DCI, CIP13, CIP7 ou CIS ; début de mot suffit) ;\nrésultats groupés par DCI. --json : un objet JSON sur stdout.',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: { ...dataDirOption, json: { type: 'boolean', default: false }, limit: { type: 'string' } },
      allowPositionals: true,
    });
    const [sub, ...words] = positionals;
    if (sub !== 'search') throw new UsageError(`Sous-commande inconnue : « ${sub ?? ''} ». Utilisation : ordo drugs search TEXTE.`);
    const query = words.join(' ');
    if (query.trim() === '') throw new UsageError('Donnez le texte à chercher.');
    // The contract checks the limit, as for every other adapter.
    const limit = values.limit === undefined ? 10 : Number(values.limit);
    return withApp(dataDirOf(values), async (app) => {
      const result = await call(app, 'drugs.search', { query, limit });
      if (values.json) out(result);
      else printText(result);
      return 0;
    });
  },
};
