import { parseArgs } from 'node:util';
import { partialLine } from '../../shared/domain/bdpm-parts';
import { diagnoseDataDir } from '../app';
import { dataDirOf, dataDirOption, out, say, type Command } from './common';

export const doctor: Command = {
  usage: 'doctor [--data-dir D]',
  summary:
    'Vérifie la base sans la modifier (intégrité, version du schéma et migrations en attente,\ntables et déclencheurs, journal d’audit avec sa clé et son ancre hors de la base, tâches\ninterrompues, bases de référence) et affiche le résultat en JSON ; code de sortie non nul en\ncas de problème. Les avertissements (une ancre ou une clé du journal qu’Ordo a dû recréer, avec\nsa date) sont affichés sans changer le code de sortie. Les mêmes vérifications : Réglages →\nDiagnostic.',
  run(args) {
    const { values } = parseArgs({ args, options: dataDirOption });
    const report = diagnoseDataDir(dataDirOf(values));
    out(report);
    for (const problem of report.problems) say(problem);
    for (const warning of report.warnings) say(warning);
    if (report.pendingMigrations.length > 0 && report.ok) say(`Migrations en attente (appliquées au prochain démarrage d’Ordo) : ${report.pendingMigrations.join(', ')}.`);
    const partial = partialLine(report.referential.missingParts ?? []);
    if (partial !== '') say(`Médicaments : ${partial} (importée ainsi à dessein).`);
    return report.ok ? 0 : 1;
  },
};
