/**
 * Issue 9, point 3: the CSV import never stores mojibake. Every fixture is built here byte by
 * byte from the code page charts (not by the decoder under test): the encoding Ordo decides, the
 * exact names it stores, or — refused — the message the import screen shows, with the line and
 * the byte, and a register left as it was.
 */
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { verifyAudit } from '../../electron/audit/audit';
import { fixedClock } from '../../electron/clock';
import { dispatch } from '../../electron/dispatch';
import { countPatients } from '../../electron/patients/repository';
import type { Job } from '../../shared/calls/jobs';
import type { ImportReport } from '../../shared/domain/patient-record';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-import-enc-');
afterAll(() => tmp.remove());

let app: OrdoApp;
let n = 0;
beforeEach(() => {
  app?.close();
  app = createApp({ dataDir: join(tmp.dir, `db${n++}`), mode: 'host', clock: fixedClock('2026-03-01T10:00:00Z'), jobs: { threads: false } });
});
afterAll(() => app.close());

/** Bytes of a text in a one-byte code page: ASCII as is, the other characters from the chart given. */
const codePage = (chart: Record<string, number>) => (text: string) =>
  Buffer.from(
    Array.from(text, (ch) => {
      const code = ch.charCodeAt(0);
      if (code < 0x80) return code;
      const byte = chart[ch];
      if (byte === undefined) throw new Error(`${ch} is not in this fixture's chart`);
      return byte;
    }),
  );
// The letters the fixtures use, from each code page's published chart.
const cp1252 = codePage({ é: 0xe9, è: 0xe8, ç: 0xe7, ë: 0xeb, ô: 0xf4, ï: 0xef, î: 0xee, ÿ: 0xff, É: 0xc9, œ: 0x9c, Œ: 0x8c, '’': 0x92 });
const iso885915 = codePage({ é: 0xe9, è: 0xe8, ç: 0xe7, ë: 0xeb, ô: 0xf4, ï: 0xef, î: 0xee, É: 0xc9, œ: 0xbd, Œ: 0xbc, '€': 0xa4 });
const macRoman = codePage({ é: 0x8e, è: 0x8f, ç: 0x8d, ë: 0x91, ô: 0x99, ï: 0x95, î: 0x94, É: 0x83, È: 0xe9, œ: 0xcf, Œ: 0xce, '’': 0xd5 });
const cp850 = codePage({ é: 0x82, è: 0x8a, ç: 0x87, ë: 0x89, ô: 0x93, ï: 0x8b, î: 0x8c, É: 0x90 });
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const concat = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? utf8(p) : Buffer.from(p))));
const utf16le = (text: string) => Buffer.from(`\uFEFF${text}`, 'utf16le');
const utf16be = (text: string) => {
  const le = utf16le(text);
  return Buffer.from(Array.from(le, (_, i) => le[i ^ 1]!));
};

const HEADER = 'Nom;Prénoms;Sexe;Date de naissance;Ville\r\n';
const ASCII_HEADER = 'Nom;Prenoms;Sexe;Date de naissance;Ville\r\n';
const ROWS = 'Lefèvre;Hélène;F;14/03/1980;Orléans\r\nGarçon;Zoé Noël;F;02/02/2002;Épinal\r\nMaïté;Benoît;M;01/01/1970;Nîmes\r\n';
/** ROWS as stored: the names exactly as the GP typed them in the other software. */
const STORED = [
  { birthName: 'Lefèvre', firstNames: 'Hélène', city: 'Orléans' },
  { birthName: 'Garçon', firstNames: 'Zoé Noël', city: 'Épinal' },
  { birthName: 'Maïté', firstNames: 'Benoît', city: 'Nîmes' },
];

async function importJob(bytes: Uint8Array): Promise<Job> {
  const started = await dispatch(app.services, 'patients.import', { fileName: 'export.csv', contentBase64: Buffer.from(bytes).toString('base64') });
  if (!started.ok) throw new Error(started.error.message);
  return app.jobs.run((started.value as Job).id);
}
async function imported(bytes: Uint8Array): Promise<ImportReport> {
  const job = await importJob(bytes);
  if (job.kind !== 'patients.import' || job.state !== 'done' || job.result === null) throw new Error(`import ${job.state}: ${job.error?.message ?? ''}`);
  return job.result;
}
const stored = () =>
  app.db.prepare('SELECT birth_name AS birthName, first_names AS firstNames, city FROM patients ORDER BY id').all() as { birthName: string; firstNames: string; city: string }[];

/**
 * The import is refused before anything is written, and the import screen shows why: the screen
 * reads the latest job through `jobs.list` and prints its `error.message` (PatientImport.tsx).
 */
async function refusal(bytes: Uint8Array): Promise<string> {
  const before = { patients: countPatients(app.db), audit: verifyAudit(app.db).entries };
  const job = await importJob(bytes);
  expect(job).toMatchObject({ state: 'failed', error: { code: 'IMPORT_FAILED' } });
  expect({ patients: countPatients(app.db), audit: verifyAudit(app.db).entries }).toEqual(before);
  const latest = await dispatch(app.services, 'jobs.list', { kind: 'patients.import', limit: 1 });
  expect(latest).toMatchObject({ ok: true, value: { jobs: [{ id: job.id, state: 'failed', error: { code: 'IMPORT_FAILED', message: job.error?.message } }] } });
  const message = job.error?.message ?? '';
  // The jobs table keeps 2,000 characters of a message at most.
  expect(message.length).toBeLessThanOrEqual(2000);
  expect(message).toMatch(/Aucun patient n’a été ajouté\.$/);
  return message;
}

describe('CSV import: encodings read, names stored exactly', () => {
  const accepted: [string, () => Uint8Array, ImportReport['encoding']][] = [
    ['UTF-8 with a BOM', () => utf8(`\uFEFF${HEADER}${ROWS}`), 'utf-8'],
    ['UTF-8 without a BOM', () => utf8(HEADER + ROWS), 'utf-8'],
    ['Windows-1252', () => cp1252(HEADER + ROWS), 'windows-1252'],
    ['ISO-8859-15', () => iso885915(HEADER + ROWS), 'windows-1252'],
    ['MacRoman', () => macRoman(HEADER + ROWS), 'macintosh'],
    ['DOS (CP850)', () => cp850(HEADER + ROWS), 'cp850'],
    ['UTF-16LE with a BOM', () => utf16le(HEADER + ROWS), 'utf-16le'],
    ['UTF-16BE with a BOM', () => utf16be(HEADER + ROWS), 'utf-16be'],
  ];
  for (const [name, bytes, encoding] of accepted) {
    it(`${name}: read as ${encoding}`, async () => {
      const report = await imported(bytes());
      expect(report).toMatchObject({ encoding, rows: 3, imported: 3, skipped: 0, errors: [] });
      expect(stored()).toEqual(STORED);
    });
  }

  it('Windows-1252 with œ and ’ in the 0x80–0x9F range', async () => {
    const bytes = cp1252(`${ASCII_HEADER}Sœur;Marie-Thérèse;F;05/05/1955;L’Haÿ-les-Roses\r\nŒuvray;Jeanne d’Arc;F;06/01/1912;Domrémy\r\n`);
    expect(bytes.includes(0x9c) && bytes.includes(0x92) && bytes.includes(0x8c)).toBe(true);
    expect(await imported(bytes)).toMatchObject({ encoding: 'windows-1252', imported: 2 });
    expect(stored()).toEqual([
      { birthName: 'Sœur', firstNames: 'Marie-Thérèse', city: 'L’Haÿ-les-Roses' },
      { birthName: 'Œuvray', firstNames: 'Jeanne d’Arc', city: 'Domrémy' },
    ]);
  });

  it('ISO-8859-15 with œ at 0xBD (« ½ » in Windows-1252) is read as ISO-8859-15', async () => {
    const bytes = iso885915(`${ASCII_HEADER}Sœur;Hélène;F;05/05/1955;Cœuvres\r\n`);
    expect(bytes.includes(0xbd)).toBe(true);
    expect(await imported(bytes)).toMatchObject({ encoding: 'iso-8859-15', imported: 1 });
    expect(stored()).toEqual([{ birthName: 'Sœur', firstNames: 'Hélène', city: 'Cœuvres' }]);
  });

  it('MacRoman in capitals, as an old Mac export writes names', async () => {
    const bytes = macRoman(`${ASCII_HEADER}LEFÈVRE;HÉLÈNE;F;14/03/1980;ORLÉANS\r\n`);
    expect(await imported(bytes)).toMatchObject({ encoding: 'macintosh', imported: 1 });
    expect(stored()).toEqual([{ birthName: 'LEFÈVRE', firstNames: 'HÉLÈNE', city: 'ORLÉANS' }]);
  });
});

describe('CSV import: what cannot be read without guessing is refused', () => {
  it('UTF-8 with one stray Windows-1252 é: refused naming the line, the byte and what it probably is', async () => {
    const bytes = concat(HEADER, ROWS, 'Martin;R', [0xe9], 'mi;M;01/01/1950;Lyon\r\n');
    const message = await refusal(bytes);
    expect(message).toBe(
      'Le fichier est en UTF-8 sauf à la ligne 5 : l’octet 0xE9 n’est pas de l’UTF-8 (sans doute « é » écrit en Windows-1252). ' +
        'Ordo ne lit pas un fichier qui mélange deux encodages : corrigez ce caractère ou réenregistrez tout le fichier en UTF-8, puis relancez l’import. Aucun patient n’a été ajouté.',
    );
    // Before: the whole file was decoded as Windows-1252 and « Hélène » stored as « HÃ©lÃ¨ne ».
    expect(stored()).toEqual([]);
  });

  it('UTF-8 with stray bytes on several lines: the first one, the count and the other lines', async () => {
    const bytes = concat(HEADER, 'Lefèvre;Hélène;F;14/03/1980;Lyon\nMartin;R', [0x8e], 'mi;M;01/01/1950;Lyon\rNo', [0xeb], 'l;Jean;M;01/01/1950;\r\nB', [0xe9, 0xe8], ';Jean;M;01/01/1950;\r\n');
    expect(await refusal(bytes)).toBe(
      'Le fichier est en UTF-8 sauf à la ligne 3 : l’octet 0x8E n’est pas de l’UTF-8 (sans doute « é » écrit en MacRoman). ' +
        'En tout, 4 octets ne sont pas de l’UTF-8 (même problème aux lignes 4 et 5). ' +
        'Ordo ne lit pas un fichier qui mélange deux encodages : corrigez ces caractères ou réenregistrez tout le fichier en UTF-8, puis relancez l’import. Aucun patient n’a été ajouté.',
    );
  });

  it('UTF-8 with a character cut short', async () => {
    const bytes = concat(HEADER, 'Lefèvre;Hélène;F;14/03/1980;Lyon\r\nD', [0xe2, 0x80], 'Arc;Jeanne;F;06/01/1912;\r\n');
    expect(await refusal(bytes)).toMatch(/^Le fichier est en UTF-8 sauf à la ligne 3 : les octets 0xE2 0x80 sont un caractère UTF-8 coupé\. .* corrigez ce caractère /);
  });

  it('a UTF-8 BOM and a byte that is not UTF-8', async () => {
    const bytes = concat('\uFEFF', HEADER, 'Lefèvre;Hélène;F;14/03/1980;Lyon\r\nMartin;Ren', [0xe9], ';M;01/01/1950;Lyon\r\n');
    expect(await refusal(bytes)).toMatch(
      /^Le fichier annonce l’encodage UTF-8 mais ne l’est pas partout : à la ligne 3, l’octet 0xE9 n’est pas de l’UTF-8 \(sans doute « é » écrit en Windows-1252\)\./,
    );
  });

  const UNRECOGNISED =
    /^L’encodage du fichier n’a pas pu être reconnu : ce n’est ni de l’UTF-8, ni un texte français en Windows-1252, ISO-8859-15, MacRoman ou DOS \(CP850\) \(premier caractère en cause à la ligne (\d+), (0x[0-9A-F]{2})\)\. Ordo ne devine pas l’encodage, pour ne pas enregistrer de noms abîmés\. Réenregistrez-le en UTF-8 : dans Excel, « Fichier › Enregistrer sous », type « CSV UTF-8 \(délimité par des virgules\) » ; dans LibreOffice Calc, « Fichier › Enregistrer sous », type « Texte CSV \(\.csv\) », cochez « Éditer les paramètres du filtre » puis choisissez le jeu de caractères « Unicode \(UTF-8\) »\. Relancez ensuite l’import\. Aucun patient n’a été ajouté\.$/;

  it('Shift-JIS (double-byte Japanese) is refused as not recognised, with how to export UTF-8', async () => {
    // 山田 太郎, 佐藤 花子 in Shift-JIS (JIS X 0208 chart).
    const bytes = concat(ASCII_HEADER, [0x8e, 0x52, 0x93, 0x63], ';', [0x91, 0xbe, 0x98, 0x59], ';M;01/01/1980;\r\n', [0x8d, 0xb2, 0x93, 0xa1], ';', [0x89, 0xd4, 0x8e, 0x71], ';F;02/02/1985;\r\n');
    const match = UNRECOGNISED.exec(await refusal(bytes));
    expect(match?.slice(1)).toEqual(['2', '0x8E']);
  });

  it('Cyrillic in Windows-1251 (not French in an unexpected code page) is refused, not stored as « Èâàíîâ »', async () => {
    // Иванов;Анна in Windows-1251.
    const bytes = concat(ASCII_HEADER, 'Dupont;Jean;M;01/01/1950;\r\n', [0xc8, 0xe2, 0xe0, 0xed, 0xee, 0xe2], ';', [0xc0, 0xed, 0xed, 0xe0], ';F;02/02/1985;\r\n');
    expect(UNRECOGNISED.exec(await refusal(bytes))?.slice(1)).toEqual(['3', '0xC8']);
  });

  it('double-encoded UTF-8 (« HÃ©lÃ¨ne ») is refused with its line', async () => {
    const bytes = utf8(`${HEADER}Durand;Anne;F;01/01/1950;Lyon\r\nLefÃ¨vre;HÃ©lÃ¨ne;F;14/03/1980;OrlÃ©ans\r\nSÅ“ur;Jeanne dâ€™Arc;F;06/01/1912;\r\n`);
    expect(await refusal(bytes)).toBe(
      'Le texte du fichier a été converti deux fois en UTF-8 : à la ligne 3, « Ã¨ » est sans doute un « è » abîmé (même problème à la ligne 4). ' +
        'Exportez de nouveau le fichier depuis le logiciel d’origine, sans le convertir, puis relancez l’import. Aucun patient n’a été ajouté.',
    );
  });

  it('double-encoded UTF-16 too', async () => {
    expect(await refusal(utf16le(`${HEADER}LefÃ¨vre;HÃ©lÃ¨ne;F;14/03/1980;\r\n`))).toMatch(/^Le texte du fichier a été converti deux fois en UTF-8 : à la ligne 2, « Ã¨ » est sans doute un « è » abîmé\./);
  });

  it('UTF-8 names in other scripts and French quotes are not taken for double encoding', async () => {
    const report = await imported(utf8(`${HEADER}Иванов;Иван;M;01/01/1980;Moscou\r\n王;秀英;F;01/01/1981;Pékin\r\nJoão;Zé;M;01/01/1982;«SÃO PAULO»\r\n`));
    expect(report).toMatchObject({ encoding: 'utf-8', imported: 3 });
    expect(stored()).toEqual([
      { birthName: 'Иванов', firstNames: 'Иван', city: 'Moscou' },
      { birthName: '王', firstNames: '秀英', city: 'Pékin' },
      { birthName: 'João', firstNames: 'Zé', city: '«SÃO PAULO»' },
    ]);
  });
});

describe('CSV import: a cell that starts like a formula is not a name', () => {
  // Issue 9 point 3: =, +, - and @ start a formula in a spreadsheet. The shared name rules
  // (shared/domain/patient-names.ts, validation.ts) refuse them; the import reports them as
  // any other invalid name, on their line and column, and imports the rest.
  it('refuses =, +, - and @ at the start of a name, on its line', async () => {
    const csv = `${HEADER}Lefèvre;Hélène;F;14/03/1980;Lyon\r\n"=HYPERLINK(""http://127.0.0.1/x"";""Durand"")";Anne;F;01/01/1950;\r\nMartin;+Paul;M;01/01/1950;\r\n-Moreau;Jean;M;01/01/1950;\r\nPetit;@SUM(A1);F;01/01/1950;\r\n`;
    const report = await imported(utf8(csv));
    expect(report).toMatchObject({ rows: 5, imported: 1, skipped: 4 });
    expect(report.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'Nom'],
      [4, 'Prénoms'],
      [5, 'Nom'],
      [6, 'Prénoms'],
    ]);
    expect(stored()).toEqual([{ birthName: 'Lefèvre', firstNames: 'Hélène', city: 'Lyon' }]);
  });
});
