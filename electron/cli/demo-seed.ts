import { parseArgs } from 'node:util';
import { dataDirOf, dataDirOption, out, say, withApp, type Command } from './common';

/** The passphrase of a demonstration key when none is given: a demo folder holds no real prescriber. */
export const DEMO_PASSPHRASE = 'ordo-demo';

export const demoSeed: Command = {
  usage: 'demo-seed [--data-dir D]',
  summary:
    'Remplit un dossier de données neuf pour une démonstration : un prescripteur fictif, cinq patients fictifs et cinq\n' +
    'ordonnances signées (simple ; bizone ALD ; stupéfiant ; enfant avec son poids ; non substituable MTE) ; affiche\n' +
    'leurs identifiants en JSON. Sans ORDO_KEY_PASSPHRASE, la clé de démonstration est protégée par « ordo-demo ».',
  run(args) {
    const { values } = parseArgs({ args, options: dataDirOption });
    const env = process.env['ORDO_KEY_PASSPHRASE'];
    if (env === undefined || env === '') {
      process.env['ORDO_KEY_PASSPHRASE'] = DEMO_PASSPHRASE;
      say(`Clé de démonstration protégée par la phrase de passe « ${DEMO_PASSPHRASE} » (ORDO_KEY_PASSPHRASE).`);
    }
    return withApp(dataDirOf(values), async (app) => {
      const seeded = await app.tools.demoSeed();
      out({ prescriptions: seeded });
      return 0;
    });
  },
};
