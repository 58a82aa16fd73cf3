import { parseArgs } from 'node:util';
import { startSandboxDmp } from '../sandbox/dmp';
import { dataDirOf, dataDirOption, out, say, UsageError, type Command } from './common';

const USAGE = 'sandbox-dmp [--port P] [--data-dir D] [--fail-rate R] [--latency MS] [--drop-after-commit R]';

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`Port invalide : « ${value} ».`);
  return port;
}

function parseRate(name: string, value: string | undefined): number {
  if (value === undefined) return 0;
  const rate = Number(value.replace(',', '.'));
  if (value.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) throw new UsageError(`--${name} : une proportion entre 0 et 1 est attendue (reçu « ${value} »).`);
  return rate;
}

function parseLatency(value: string | undefined): number {
  if (value === undefined) return 0;
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms > 600_000) throw new UsageError(`--latency : un nombre de millisecondes entre 0 et 600000 est attendu (reçu « ${value} »).`);
  return ms;
}

export const sandboxDmp: Command = {
  usage: USAGE,
  summary:
    'Démarre un DMP de démonstration sur 127.0.0.1 (XDS.b ITI-41/ITI-57, SOAP 1.2 + MTOM) qui garde les documents\n' +
    'reçus dans sandbox-dmp.db du dossier de données ; affiche une ligne JSON {"url","documents"}, puis tourne\n' +
    'jusqu’à Ctrl+C. --fail-rate R : proportion de requêtes en panne (HTTP 500, faute SOAP, délai dépassé, connexion\n' +
    'coupée) ; --latency MS : délai de chaque réponse ; --drop-after-commit R : proportion de documents enregistrés\n' +
    'dont la réponse est perdue.',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { ...dataDirOption, port: { type: 'string' }, 'fail-rate': { type: 'string' }, latency: { type: 'string' }, 'drop-after-commit': { type: 'string' } },
    });
    const port = parsePort(values.port);
    const failRate = parseRate('fail-rate', values['fail-rate']);
    const dropAfterCommit = parseRate('drop-after-commit', values['drop-after-commit']);
    const latencyMs = parseLatency(values.latency);
    const dataDir = dataDirOf(values);
    const dmp = await startSandboxDmp({ port, dataDir, failRate, dropAfterCommit, latencyMs });
    out({ url: dmp.url, documents: `${dmp.origin}/documents` });
    say(`DMP de démonstration prêt (${dmp.url}), documents dans ${dataDir}. Ctrl+C pour l’arrêter.`);
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await dmp.close();
    return 0;
  },
};
