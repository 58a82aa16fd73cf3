import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { verifyAudit } from '../../electron/audit/audit';
import { fixedClock } from '../../electron/clock';
import { dispatch } from '../../electron/dispatch';
import { countPatients } from '../../electron/patients/repository';
import { searchKeysOf } from '../../electron/patients/search-keys';
import type { Job } from '../../shared/calls/jobs';
import type { ImportReport } from '../../shared/domain/patient-record';
import { importReportSchema } from '../../shared/domain/patient-record';
import { OrdoError } from '../../shared/errors';
import { tempDir } from '../support/tmp';
import { letterCode } from '../support/names';

const tmp = tempDir('ordo-import-');
afterAll(() => tmp.remove());

let app: OrdoApp;
let n = 0;
beforeEach(() => {
  app?.close();
  app = createApp({ dataDir: join(tmp.dir, `db${n++}`), mode: 'host', clock: fixedClock('2026-03-01T10:00:00Z'), jobs: { threads: false } });
});
afterAll(() => app.close());

const utf8 = (text: string) => new TextEncoder().encode(text);
/** Windows-1252 bytes for text whose characters all exist in that code page. */
const cp1252 = (text: string) => {
  const table: Record<string, number> = { '€': 0x80, Œ: 0x8c, œ: 0x9c, '’': 0x92 };
  return Uint8Array.from(Array.from(text, (ch) => table[ch] ?? ch.charCodeAt(0)));
};
/** Starts the import through the contract, as every adapter does, and runs its job to the end. */
async function importJob(bytes: Uint8Array, name = 'patients.csv'): Promise<Job> {
  const started = await dispatch(app.services, 'patients.import', { fileName: name, contentBase64: Buffer.from(bytes).toString('base64') });
  if (!started.ok) throw new Error(started.error.message);
  return app.jobs.run((started.value as Job).id);
}
async function importBytes(bytes: Uint8Array, name = 'patients.csv'): Promise<ImportReport> {
  const job = await importJob(bytes, name);
  if (job.kind !== 'patients.import' || job.state !== 'done' || job.result === null) throw new OrdoError('IMPORT_FAILED', job.error?.message);
  return job.result;
}
const register = () => ({ patients: countPatients(app.db), audit: verifyAudit(app.db).entries });
/** Patients the audit log says imports added. */
const auditedImports = () =>
  (app.db.prepare("SELECT details FROM audit_log WHERE action = 'patients.imported'").pluck().all() as string[]).reduce((sum, d) => sum + (JSON.parse(d) as { imported: number }).imported, 0);
async function failure(work: () => Promise<unknown>) {
  try {
    await work();
  } catch (error) {
    if (error instanceof OrdoError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

const GOOD_AND_BAD = [
  'Nom de naissance;Nom d’usage;Prénoms;Sexe;Date de naissance;NIR;Adresse;CP;Ville;Téléphone;Courriel;Allergies;Médecin traitant',
  'Lefèvre;;Hélène;F;14/03/1980;2 80 03 75 112 034 18;3 rue des Tanneurs;69001;Lyon;06 12 34 56 78;helene@exemple.fr;Pénicillines|Iode;Dr X',
  'Durand;Martin;Anne-Laure;Femme;30/11/1990;;;;;;;;',
  'Moreau;;Jean;H;31/02/1970;;;;;;;;',
  'Petit;;Zoé;F;01/01/2001;2 80 03 75 112 034 19;;;;;;;',
  ';;Paul;M;01/01/2001;;;;;;;;',
  'Roux;;Léa;X;01/01/2001;;;;;;;;',
  'Lefevre;;HELENE;F;1980-03-14;;;;;;;;',
  'Garcia;;Inès;F;12/12/2012;;;6900;;;pas-un-mail;;',
  'Blanc;;Lou;F;01/01/2031;;;;;;;;',
].join('\r\n');

describe('CSV import', () => {
  it('imports the good rows, reports every bad one by line, field and French reason, and skips it', async () => {
    const report = await importBytes(utf8(GOOD_AND_BAD));
    expect(report).toMatchObject({ encoding: 'utf-8', separator: ';', rows: 9, imported: 2, skipped: 7, ignoredColumns: ['Médecin traitant'] });
    expect(report.errors).toEqual([
      { line: 4, field: 'Date de naissance', message: 'La date de naissance doit être une date valide au format jj/mm/aaaa (ex. 15/07/1985).' },
      { line: 5, field: 'NIR', message: 'La clé du NIR ne correspond pas aux 13 premiers caractères : vérifiez la saisie.' },
      { line: 6, field: 'Nom de naissance', message: 'Le nom de naissance est obligatoire.' },
      { line: 7, field: 'Sexe', message: 'Sexe « X » non reconnu : F, M ou I attendu (ou Femme, Homme, Indéterminé).' },
      { line: 8, field: '', message: 'Mêmes nom, prénoms et date de naissance qu’à la ligne 2 du fichier : ligne ignorée.' },
      { line: 9, field: 'CP', message: 'Le code postal doit comporter 5 chiffres.' },
      { line: 9, field: 'Courriel', message: 'L’adresse e-mail n’est pas valide (ex. nom@exemple.fr).' },
      { line: 10, field: 'Date de naissance', message: 'La date de naissance ne peut pas être dans le futur.' },
    ]);
    const helene = dispatch(app.services, 'patients.search', { query: 'helene lef' });
    return helene.then(async (result) => {
      expect(result).toMatchObject({ ok: true, value: { results: [{ birthName: 'Lefèvre', nir: '280037511203418', city: 'Lyon' }] } });
      const id = result.ok ? (result.value as { results: { id: number }[] }).results[0]!.id : 0;
      expect(await dispatch(app.services, 'patients.get', { id })).toMatchObject({
        ok: true,
        value: { identityStatus: 'provisional', allergies: [{ substance: 'Pénicillines' }, { substance: 'Iode' }], phone: '06 12 34 56 78' },
      });
      expect(await dispatch(app.services, 'patients.search', { query: 'martin anne' })).toMatchObject({ value: { results: [{ usedName: 'Martin' }] } });
      // One audit row per batch written (how many batches depends on the machine's speed), all the rows covered.
      expect(verifyAudit(app.db).ok).toBe(true);
      expect(auditedImports()).toBe(2);
    });
  });

  it('reads a Windows-1252 file with commas and quotes', async () => {
    const text = 'NOM,PRENOM,SEXE,"Né(e) le",VILLE,Nom d’usage\r\n"Lefèvre","Hélène",F,14/03/1980,"Saint-Étienne, Loire",\r\nŒuvray,Zoé,F,02/02/2002,Orléans,Sœur\r\n';
    const report = await importBytes(cp1252(text), 'export.csv');
    expect(report).toMatchObject({ encoding: 'windows-1252', separator: ',', rows: 2, imported: 2, skipped: 0, errors: [] });
    const [p] = stored('oeuvray');
    expect(p).toMatchObject({ birthName: 'Œuvray', usedName: 'Sœur', firstNames: 'Zoé', city: 'Orléans' });
    expect(stored('helene')[0]).toMatchObject({ birthName: 'Lefèvre', city: 'Saint-Étienne, Loire' });
  });

  it('reads the "Texte Unicode" export of Excel: UTF-16LE with a BOM, tab-separated', async () => {
    const text = 'Nom\tPrénom(s)\tSexe\tDate de naissance\tVille\r\nŒuvray\tZoé\tF\t02/02/2002\tOrléans\r\n';
    const report = await importBytes(Buffer.from(`\uFEFF${text}`, 'utf16le'), 'export.txt');
    expect(report).toMatchObject({ encoding: 'utf-16le', separator: '\t', rows: 1, imported: 1, skipped: 0, errors: [] });
    // The report still satisfies the contract the renderer and the CLI read.
    expect(importReportSchema.safeParse(report).success).toBe(true);
    expect(stored('oeuvray')[0]).toMatchObject({ birthName: 'Œuvray', firstNames: 'Zoé', city: 'Orléans' });
  });

  it('refuses a file it cannot read, and changes nothing in the register', async () => {
    await importBytes(utf8('nom;prénoms;sexe;date de naissance\nAvant;Anne;F;01/01/1950\n'));
    const before = register();
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array([]), /Le fichier est vide/],
      [Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08]), /n’est pas un fichier texte CSV/],
      [utf8('nom;prénoms;sexe;date de naissance\nBon;Jean;M;01/01/1950\n"Mal;Fermé;M;01/01/1950\n'), /guillemet ouvert n’est jamais refermé/],
      [utf8('nom;ville\nDurand;Lyon\n'), /Colonnes obligatoires absentes de la première ligne : « prénoms », « sexe », « date de naissance »/],
      [Uint8Array.from([0xef, 0xbb, 0xbf, 0x6e, 0xff, 0xfe]), /annonce l’encodage UTF-8/],
    ];
    for (const [bytes, message] of cases) {
      const job = await importJob(bytes);
      expect(job).toMatchObject({ state: 'failed', error: { code: 'IMPORT_FAILED', message: expect.stringMatching(message) } });
    }
    expect(register()).toEqual(before);
    // The file went with the job: nothing of it is kept once the job has ended.
    expect(app.db.prepare('SELECT count(*) FROM job_payloads').pluck().get()).toBe(0);
  });

  it('a failure while writing keeps no half batch: what is written is audited, the rest is reported', async () => {
    // A trigger standing in for a disk error on the third row: its batch is rolled back whole.
    app.db.exec("CREATE TEMP TRIGGER boom BEFORE INSERT ON patients WHEN NEW.birth_name = 'Boum' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    const csv = 'nom;prénoms;sexe;date de naissance\nUn;Anne;F;01/01/1950\nDeux;Bruno;M;02/02/1960\nBoum;Carla;F;03/03/1970\n';
    const error = await failure(() => importBytes(utf8(csv)));
    expect(error.code).toBe('IMPORT_FAILED');
    const kept = Number(/: ([\d\u202f]+) patient\(s\) ajouté\(s\) avant l’erreur sont conservés, les lignes suivantes n’ont pas été importées\.$/.exec(error.message)?.[1]?.replace(/\u202f/g, ''));
    // Batches before the failing one are kept (0 to 2 rows, as the machine's speed cut them), each audited; the failing batch left nothing.
    expect(kept).toBeGreaterThanOrEqual(0);
    expect(kept).toBeLessThanOrEqual(2);
    expect(countPatients(app.db)).toBe(kept);
    expect(auditedImports()).toBe(kept);
    expect(stored('boum')).toEqual([]);
    expect(verifyAudit(app.db).ok).toBe(true);
  });

  it('refuses a NIR already in the register or twice in the file', async () => {
    await importBytes(utf8('nom;prénoms;sexe;date de naissance;nir\nLefèvre;Hélène;F;14/03/1980;280037511203418\n'));
    const report = await importBytes(
      utf8('nom;prénoms;sexe;date de naissance;nir\nAutre;Anne;F;14/03/1980;280037511203418\nLefèvre;Hélène;F;14/03/1980;\nX;Y;M;01/01/1977;177017511203486\nZ;W;M;01/01/1977;177017511203486\n'),
    );
    expect(report.imported).toBe(1);
    expect(report.errors).toEqual([
      { line: 2, field: 'nir', message: 'Ce NIR est déjà enregistré dans Ordo pour LEFÈVRE Hélène, née le 14/03/1980.' },
      { line: 3, field: '', message: 'Ce patient est déjà dans Ordo (mêmes nom, prénoms et date de naissance) : ligne ignorée.' },
      { line: 5, field: 'nir', message: 'Ce NIR figure déjà à la ligne 4 du fichier.' },
    ]);
  });

  it('reports its progress as events: checking writes nothing, then writing in batches, each audited', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `Nom${letterCode(i)};Prénom;F;01/01/1990`);
    const seen: { phase: string; done: number; total: number; patients: number }[] = [];
    const off = app.subscribe((event) => {
      if (event.name === 'jobs.changed' && event.payload.kind === 'patients.import' && event.payload.progress !== null && event.payload.state === 'running') {
        seen.push({ ...event.payload.progress, patients: countPatients(app.db) });
      }
    });
    const job = await importJob(utf8(['nom;prénoms;sexe;date de naissance', ...rows].join('\n')), 'gros.csv');
    off();
    expect(job).toMatchObject({ state: 'done', attempts: 1, result: { imported: 1200, skipped: 0 }, progress: { phase: 'writing', done: 1200, total: 1200 } });
    const phases = [...new Set(seen.map((s) => s.phase))];
    expect(phases.filter((p) => p !== 'reading')).toEqual(['checking', 'writing']);
    for (const s of seen.filter((x) => x.phase !== 'writing')) expect(s.patients).toBe(0);
    const percents = seen.map((s) => s.done / Math.max(1, s.total) + (s.phase === 'writing' ? 1 : 0));
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(countPatients(app.db)).toBe(1200);
    // One audit row per batch, each in the transaction of its rows.
    const audit = app.db.prepare("SELECT details FROM audit_log WHERE action = 'patients.imported'").pluck().all() as string[];
    expect(audit.map((d) => (JSON.parse(d) as { imported: number }).imported).reduce((a, b) => a + b, 0)).toBe(1200);
    expect(verifyAudit(app.db).ok).toBe(true);
  });

  it('a patient registered between the check and the write is not imported twice', async () => {
    const created = await dispatch(app.services, 'patients.create', { patient: { birthName: 'Martin', firstNames: 'Paul', sex: 'M', birthDate: '01/01/1970' } });
    expect(created.ok).toBe(true);
    // When the plan is saved (checking done, nothing written yet), that patient becomes the file's one.
    const key = searchKeysOf({ birthName: 'Lefèvre', usedName: '', firstNames: 'Hélène', birthDate: '1980-03-14' }).identityKey;
    app.db.exec(`CREATE TEMP TRIGGER meanwhile AFTER INSERT ON job_payloads WHEN NEW.name = 'plan' BEGIN UPDATE patients SET identity_key = '${key}'; END`);
    const report = await importBytes(utf8('nom;prénoms;sexe;date de naissance\nLefèvre;Hélène;F;14/03/1980\n'), 'a.csv');
    expect(report).toMatchObject({ imported: 0, skipped: 1, errors: [{ line: 2, message: expect.stringMatching(/pendant l’import/) }] });
    expect(countPatients(app.db)).toBe(1);
  });

  it('the same request id twice starts one import', async () => {
    const input = { fileName: 'a.csv', contentBase64: Buffer.from('nom;prénoms;sexe;date de naissance\nUn;Anne;F;01/01/1950\n').toString('base64'), requestId: crypto.randomUUID() };
    const first = await dispatch(app.services, 'patients.import', input);
    const second = await dispatch(app.services, 'patients.import', input);
    expect(first.ok && second.ok && (first.value as Job).id === (second.value as Job).id).toBe(true);
    expect(app.db.prepare("SELECT count(*) FROM jobs WHERE kind = 'patients.import'").pluck().get()).toBe(1);
  });
});

/** Rows as stored, found by their normalised name (independent of the search under test). */
function stored(query: string) {
  return (app.db.prepare('SELECT birth_name AS birthName, used_name AS usedName, first_names AS firstNames, city FROM patients WHERE sort_key LIKE ?').all(`%${query}%`)) as {
    birthName: string;
    usedName: string;
    firstNames: string;
    city: string;
  }[];
}
