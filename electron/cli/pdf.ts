import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { call, dataDirOf, dataDirOption, out, say, UsageError, withApp, type Command } from './common';

const USAGE = 'pdf ID --out FICHIER [--data-dir D]';

export const pdf: Command = {
  usage: USAGE,
  summary:
    'Écrit le PDF d’une ordonnance signée (ID : son numéro dans Ordo ou son identifiant de 18 caractères) dans\n' +
    'FICHIER, tel qu’Ordo l’imprime (une copie est aussi gardée dans le dossier de données, prints/) ; affiche\n' +
    '{"id","rxId","out","bytes"}.',
  async run(args) {
    const { values, positionals } = parseArgs({ args, options: { ...dataDirOption, out: { type: 'string' } }, allowPositionals: true });
    if (positionals.length !== 1 || values.out === undefined) throw new UsageError(`Donnez l’ordonnance et le fichier. Utilisation :\n  ordo ${USAGE}`);
    const ref = positionals[0]!.trim();
    return withApp(dataDirOf(values), async (app) => {
      const id = /^\d+$/.test(ref) ? Number(ref) : app.tools.prescriptionOfRx(ref.toUpperCase());
      if (id === null) {
        say(`Aucune ordonnance signée ici ne porte l’identifiant « ${ref} ».`);
        return 1;
      }
      const printed = await call(app, 'prescriptions.print', { id });
      const file = resolve(values.out!);
      const bytes = Buffer.from(printed.contentBase64, 'base64');
      writeFileSync(file, bytes);
      out({ id, rxId: printed.rxId, out: file, bytes: bytes.length });
      return 0;
    });
  },
};
