import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { dataDirOf, dataDirOption, out, say, UsageError, withApp, type Command } from './common';

export const importInteractions: Command = {
  usage: 'import-interactions DOSSIER [--data-dir D]',
  summary:
    'Importe le thésaurus des interactions de l’ANSM sous forme de tables (thesaurus.tsv,\nmolecule-classes.tsv, molecules.txt) comme nouveau jeu de règles versionné ; bilan JSON sur\nstdout, dont les substances sans correspondance dans la base des médicaments.',
  async run(args) {
    const { values, positionals } = parseArgs({ args, options: dataDirOption, allowPositionals: true });
    const [dir, ...extra] = positionals;
    if (dir === undefined || extra.length > 0) throw new UsageError('Donnez un seul dossier contenant le thésaurus.');
    return withApp(dataDirOf(values), async (app) => {
      const summary = await app.tools.importInteractions(resolve(dir));
      out(summary);
      say(`Jeu de règles ${summary.version} : ${summary.rules} interactions, ${summary.unmatchedMolecules.length} substance(s) sans correspondance dans la base ${summary.matchedAgainst === 'demo' ? 'de démonstration' : 'des médicaments'}.`);
      return 0;
    });
  },
};
