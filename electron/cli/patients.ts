import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDate } from '../../shared/domain/dates';
import { displayName } from '../../shared/domain/patient-names';
import type { ImportReport } from '../../shared/domain/patient-record';
import { OrdoError } from '../../shared/errors';
import { call, dataDirOf, dataDirOption, out, printRow, say, UsageError, withApp, type Command } from './common';

const USAGE = 'patients import FICHIER.csv | search TEXTE [--json] [--limit N] | demo [--count N] [--seed S]';

function readFile(file: string): Uint8Array {
  try {
    return readFileSync(resolve(file));
  } catch {
    throw new OrdoError('IMPORT_FAILED', `Le fichier « ${file} » n’a pas pu être lu : rien n’a été importé.`);
  }
}

function summarize(report: ImportReport): void {
  say(
    `Import de ${report.fileName} (${report.encoding}, séparateur « ${report.separator === '\t' ? 'tabulation' : report.separator} ») : ` +
      `${report.imported} patient(s) ajouté(s), ${report.skipped} ligne(s) ignorée(s) sur ${report.rows}.`,
  );
  for (const e of report.errors.slice(0, 20)) say(`  ligne ${e.line}${e.field === '' ? '' : `, ${e.field}`} : ${e.message}`);
  if (report.errors.length > 20 || report.errorsTruncated) say('  … (liste complète dans le rapport JSON)');
  if (report.ignoredColumns.length > 0) say(`Colonnes non reprises : ${report.ignoredColumns.join(', ')}.`);
}

function runImport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: dataDirOption, allowPositionals: true });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new UsageError('Donnez un (seul) fichier CSV à importer.');
  const bytes = readFile(file);
  return withApp(dataDirOf(values), async (app) => {
    let lastShown = '';
    app.subscribe((event) => {
      if (event.name !== 'jobs.changed' || event.payload.kind !== 'patients.import' || event.payload.progress === null) return;
      const line = `${event.payload.progress.phase === 'writing' ? 'enregistrement' : 'vérification'} : ${event.payload.progress.percent} %`;
      if (line !== lastShown) say(`import ${(lastShown = line)}`);
    });
    // A local file, not an upload: no size limit but the job's, so the CLI submits the job itself
    // rather than through `patients.import` (5 Mo, what a window may send); the job checks the same.
    const started = app.jobs.submit('patients.import', { fileName: basename(file), bytes: bytes.length }, { payloads: { file: Buffer.from(bytes) } });
    const job = await app.jobs.run(started.id);
    if (job.kind !== 'patients.import' || job.state !== 'done' || job.result === null) throw new OrdoError('IMPORT_FAILED', job.error?.message);
    out(job.result);
    summarize(job.result);
    return 0;
  });
}

function parseLimit(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw new UsageError(`Nombre invalide : « ${value} » (1 à ${max}).`);
  return n;
}

function runSearch(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...dataDirOption, json: { type: 'boolean', default: false }, limit: { type: 'string' } },
    allowPositionals: true,
  });
  const query = positionals.join(' ');
  if (query.trim() === '') throw new UsageError('Donnez le texte à chercher : nom, prénom, date jj/mm/aaaa ou début du NIR.');
  // The contract checks the limit, as for every other adapter.
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  return withApp(dataDirOf(values), async (app) => {
    const { results, more } = await call(app, 'patients.search', { query, limit });
    for (const p of results) {
      if (values.json) out(p);
      else printRow([String(p.id), displayName(p), formatDate(p.birthDate), p.nir ?? '']);
    }
    if (results.length === 0) say('Aucun patient ne correspond.');
    else if (more) say(`Plus de ${limit} patients correspondent : précisez la recherche.`);
    return 0;
  });
}

function runDemo(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...dataDirOption, count: { type: 'string' }, seed: { type: 'string' } } });
  const count = parseLimit(values.count, 200, 200_000);
  const seed = parseLimit(values.seed, 1, 2 ** 31);
  return withApp(dataDirOf(values), (app) => {
    out({ created: app.tools.fillDemoPatients(count, seed), seed });
    say(`${count} patients fictifs créés (graine ${seed}).`);
    return 0;
  });
}

export const patients: Command = {
  usage: USAGE,
  summary:
    'Registre des patients (chaque sous-commande accepte --data-dir D).\n' +
    'import : ajoute les patients d’un CSV (UTF-8, Windows-1252 ou UTF-16, « ; » « , » ou tabulation) ; rapport JSON\n' +
    'sur stdout, lignes invalides signalées et ignorées ; un fichier illisible ne change rien.\n' +
    'search : une ligne par patient trouvé (nom, prénom, jj/mm/aaaa ou NIR ; JSON avec --json).\n' +
    'demo : remplit un registre vide de patients fictifs, pour une démonstration.',
  run(args) {
    const [sub, ...rest] = args;
    if (sub === 'import') return runImport(rest);
    if (sub === 'search') return runSearch(rest);
    if (sub === 'demo') return runDemo(rest);
    throw new UsageError(`Sous-commande inconnue : « ${sub ?? ''} ». Utilisation :\n  ordo ${USAGE}`);
  },
};
