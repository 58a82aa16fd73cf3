import { parseArgs } from 'node:util';
import { diagnoseDataDir } from '../app';
import { dataDirOf, dataDirOption, out, say, type Command } from './common';

export const doctor: Command = {
  usage: 'doctor [--data-dir D]',
  summary:
    'Vérifie la base sans la modifier (intégrité, version du schéma et migrations en attente,\njournal d’audit, tâches interrompues, bases de référence) et affiche le résultat en JSON ;\ncode de sortie non nul en cas de problème. Les mêmes vérifications : Réglages → Diagnostic.',
  run(args) {
    const { values } = parseArgs({ args, options: dataDirOption });
    const report = diagnoseDataDir(dataDirOf(values));
    out(report);
    for (const problem of report.problems) say(problem);
    if (report.pendingMigrations.length > 0 && report.ok) say(`Migrations en attente (appliquées au prochain démarrage d’Ordo) : ${report.pendingMigrations.join(', ')}.`);
    return report.ok ? 0 : 1;
  },
};
