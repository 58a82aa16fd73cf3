import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { OrdoApp } from '../app';
import { dataDirOf, dataDirOption, out, say, UsageError, withApp, type Command } from './common';

/** What an Ordo code starts with (electron/signing/seal.ts). */
const QR_PREFIX = 'ORDO1:';

const USAGE = 'verify CODE|FICHIER [--data-dir D] [--keys DOSSIER]…';

/** The code itself, the code read from a PDF's QR code, or the text of a file holding it (scanned into a file). */
async function codeOf(argument: string, app: OrdoApp): Promise<{ code: string } | { unreadable: string }> {
  if (argument.trim().startsWith(QR_PREFIX)) return { code: argument };
  const file = resolve(argument);
  if (!existsSync(file)) return { unreadable: `« ${argument} » n’est ni un code « ORDO1: » ni un fichier` };
  const content = readFileSync(file);
  if (content.subarray(0, 5).toString('latin1') !== '%PDF-') return { code: content.toString('utf8') };
  const read = await app.tools.readQrCodes(file);
  if ('unreadable' in read) return read;
  // Every page carries the same code; a PDF with two different ones is not one prescription.
  const ordo = read.codes.filter((c) => c.startsWith(QR_PREFIX));
  if (ordo.length > 1) return { unreadable: 'ce PDF porte plusieurs codes d’ordonnance différents' };
  return { code: ordo[0] ?? read.codes[0]! };
}

export const verify: Command = {
  usage: USAGE,
  summary:
    'Vérifie hors ligne le code signé d’une ordonnance (« ORDO1:… », le PDF de l’ordonnance dont le code QR est lu,\n' +
    'ou un fichier qui contient le code) avec les clés\n' +
    'publiques connues (celles du dossier de données, et de chaque --keys) ; affiche {"valid","id","issuedAt",\n' +
    '"prescriber","reason"}. Code de sortie : 0 valide, 1 invalide, 2 illisible.',
  async run(args) {
    const { values, positionals } = parseArgs({ args, options: { ...dataDirOption, keys: { type: 'string', multiple: true } }, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError(`Donnez un code ou un fichier. Utilisation :\n  ordo ${USAGE}`);
    return withApp(dataDirOf(values), async (app) => {
      const read = await codeOf(positionals[0]!, app);
      if ('unreadable' in read) {
        out({ valid: false, id: null, issuedAt: null, prescriber: null, reason: read.unreadable });
        say(`Illisible : ${read.unreadable}.`);
        return 2;
      }
      const check = app.tools.verifyCode(read.code, (values.keys ?? []).map((d) => resolve(d)));
      if (check.status === 'unreadable') {
        out({ valid: false, id: null, issuedAt: null, prescriber: null, reason: check.reason });
        say(`Illisible : ${check.reason}.`);
        return 2;
      }
      out({ valid: check.status === 'valid', id: check.id, issuedAt: check.issuedAt, prescriber: check.prescriber, reason: check.reason });
      say(check.status === 'valid' ? `Ordonnance ${check.id} : signature valide (prescripteur RPPS ${check.prescriber}).` : `Ordonnance ${check.id} : NON valide — ${check.reason}.`);
      return check.status === 'valid' ? 0 : 1;
    });
  },
};
