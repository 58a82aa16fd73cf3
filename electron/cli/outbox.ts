import { parseArgs } from 'node:util';
import { call, dataDirOf, dataDirOption, out, print, say, UsageError, withApp, type Command } from './common';

const USAGE = 'outbox status [--data-dir D] [--json] | outbox drain [--data-dir D] [--dmp-url URL]';

const stateWords: Record<string, string> = {
  pending: 'en attente',
  sending: 'en cours',
  sent: 'envoyé',
  failed: 'échec',
  dead: 'refusé',
  skipped: 'non envoyé',
  disabled: 'désactivé',
};

export const outbox: Command = {
  usage: USAGE,
  summary:
    'Envois au DMP. « status » : le nombre de documents par état et ceux à traiter ({"summary","items"} avec --json).\n' +
    '« drain » : envoie ce qui attend, jusqu’à ce qu’il ne reste rien ou seulement des refus ou des documents\n' +
    'qui attendent que le DMP réponde de nouveau (--dmp-url : ce DMP-ci, au lieu de celui des Réglages) ;\n' +
    'affiche {"sent","refused","skipped","remaining","passes","durationMs","counts","note"}.\n' +
    'Code de sortie : 0 rien ne reste à envoyer, 1 des documents attendent ou sont refusés.',
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'status') {
      const { values, positionals } = parseArgs({ args: rest, options: { ...dataDirOption, json: { type: 'boolean' } }, allowPositionals: true });
      if (positionals.length > 0) throw new UsageError(`Utilisation :\n  ordo ${USAGE}`);
      return withApp(dataDirOf(values), async (app) => {
        const listed = await call(app, 'outbox.list', { filter: 'attention', limit: 1000 });
        if (values.json === true) out(listed);
        else {
          const { summary } = listed;
          print(`DMP : ${summary.dmp.endpointUrl ?? 'non configuré'}${summary.dmp.sandbox ? ' (bac à sable : assertion VIHF non signée par une carte CPS)' : ''}`);
          print(Object.entries(summary.counts).map(([state, n]) => `${stateWords[state] ?? state} : ${n}`).join(' · '));
          for (const item of listed.items) print(`${item.rxId}  ${item.patient.name}  ${item.destination}/${item.action}  ${stateWords[item.state] ?? item.state}${item.reason === null ? '' : ` — ${item.reason}`}`);
        }
        return 0;
      });
    }
    if (sub === 'drain') {
      const { values, positionals } = parseArgs({ args: rest, options: { ...dataDirOption, 'dmp-url': { type: 'string' } }, allowPositionals: true });
      if (positionals.length > 0) throw new UsageError(`Utilisation :\n  ordo ${USAGE}`);
      return withApp(dataDirOf(values), async (app) => {
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          const url = values['dmp-url'];
          const summary = await app.tools.drainOutbox({ ...(url === undefined ? {} : { endpointUrl: url }), signal: stop.signal });
          out(summary);
          if (summary.note !== null && summary.remaining > 0) say(summary.note);
          return summary.remaining === 0 && summary.counts.dead === 0 ? 0 : 1;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      });
    }
    throw new UsageError(`Utilisation :\n  ordo ${USAGE}`);
  },
};
