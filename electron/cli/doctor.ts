import { parseArgs } from 'node:util';
import { OrdoError } from '../../shared/errors';
import { createApp } from '../app';
import { verifyAudit } from '../audit/audit';
import { latestVersion, schemaVersion } from '../db/migrate';
import { migrations } from '../db/migrations';
import { databasePath } from '../paths';
import { dataDirOf, dataDirOption, out, say, type Command } from './common';

export const doctor: Command = {
  usage: 'doctor [--data-dir D]',
  summary:
    'Vérifie la base (intégrité, version du schéma, journal d’audit) et affiche le\nrésultat en JSON ; code de sortie non nul en cas de problème.',
  run(args) {
    const { values } = parseArgs({ args, options: dataDirOption });
    const dataDir = dataDirOf(values);
    const report: Record<string, unknown> = { dataDir, database: databasePath(dataDir), appSchemaVersion: latestVersion(migrations) };
    let app;
    try {
      app = createApp({ dataDir, mode: 'host' });
    } catch (error) {
      const message = error instanceof OrdoError ? error.message : 'La base de données n’a pas pu être ouverte.';
      out({ ...report, ok: false, error: message });
      say(message);
      return 1;
    }
    try {
      const integrity = (app.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
      const audit = verifyAudit(app.db);
      const ok = integrity.length === 1 && integrity[0] === 'ok' && audit.ok;
      out({ ...report, schemaVersion: schemaVersion(app.db), integrity: integrity.join('; '), audit, ok });
      if (!ok) say('La base de données présente un problème : voir le rapport ci-dessus.');
      return ok ? 0 : 1;
    } finally {
      app.close();
    }
  },
};
