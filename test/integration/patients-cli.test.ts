import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../shared/calls/patients';
import { runOrdo } from '../support/cli';
import { letterCode } from '../support/names';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-patients-cli-');
afterAll(() => tmp.remove());

const lines = (stdout: string) => stdout.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('ordo check nir', () => {
  it('prints one JSON line per value, with the French reason, and exits 0', () => {
    const result = runOrdo(['check', 'nir', '280037511203418', '2 55 08 2A 004 123 69', '280037511203419', '2800375', '28003751120341X', '780037511203459']);
    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual([
      { value: '280037511203418', valid: true, reason: null },
      { value: '2 55 08 2A 004 123 69', valid: true, reason: null },
      { value: '280037511203419', valid: false, reason: 'La clé du NIR ne correspond pas aux 13 premiers caractères : vérifiez la saisie.' },
      { value: '2800375', valid: false, reason: 'Le NIR doit comporter 15 caractères, clé comprise (7 saisis).' },
      {
        value: '28003751120341X',
        valid: false,
        reason: 'Le NIR ne doit contenir que des chiffres (seul le département de naissance peut être 2A ou 2B, pour la Corse).',
      },
      { value: '780037511203459', valid: true, reason: null },
    ]);
  });
});

describe('ordo patients', () => {
  const dataDir = join(tmp.dir, 'data');

  it('imports a CSV: JSON report on stdout, summary in French on stderr', () => {
    const file = join(tmp.dir, 'export.csv');
    // Windows-1252, as Excel writes it.
    writeFileSync(file, Buffer.from('Nom,Prénom,Sexe,Date de naissance,NIR\r\nLefèvre,Hélène,F,14/03/1980,280037511203418\r\nDurand,Jean,H,31/02/1970,\r\n', 'latin1'));
    const result = runOrdo(['patients', 'import', file, '--data-dir', dataDir]);
    expect(result.status).toBe(0);
    const [report] = lines(result.stdout);
    expect(report).toMatchObject({
      fileName: 'export.csv',
      encoding: 'windows-1252',
      separator: ',',
      imported: 1,
      skipped: 1,
      errors: [{ line: 3, field: 'Date de naissance', message: 'La date de naissance doit être une date valide au format jj/mm/aaaa (ex. 15/07/1985).' }],
    });
    expect(result.stderr).toContain('1 patient(s) ajouté(s), 1 ligne(s) ignorée(s) sur 2.');
    expect(result.stderr).toContain('ligne 3, Date de naissance : La date de naissance doit être une date valide');
  });

  it('imports a local file larger than the 5 Mo a window may upload: the command line has no such limit', () => {
    const file = join(tmp.dir, 'grand-registre.csv');
    const address = '12 rue de la Grande Fontaine, bâtiment B, escalier C, '.repeat(5).slice(0, 290);
    const rows = Array.from({ length: 17_500 }, (_, i) => `Grand${letterCode(i)};Anne;F;01/01/1960;${address}`);
    writeFileSync(file, ['nom;prénoms;sexe;date de naissance;adresse', ...rows].join('\n'));
    expect(statSync(file).size).toBeGreaterThan(MAX_IMPORT_BYTES);
    const result = runOrdo(['patients', 'import', file, '--data-dir', join(tmp.dir, 'grand')]);
    expect(result.status, result.stderr).toBe(0);
    expect(lines(result.stdout)[0]).toMatchObject({ imported: 17_500, skipped: 0, errors: [] });
  }, 120_000);

  it('searches: one JSON line per match with --json', () => {
    const result = runOrdo(['patients', 'search', 'helene', 'lef', '--json', '--data-dir', dataDir]);
    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual([
      { id: 1, birthName: 'Lefèvre', usedName: '', firstNames: 'Hélène', sex: 'F', birthDate: '1980-03-14', nir: '280037511203418', city: '' },
    ]);
    const human = runOrdo(['patients', 'search', '14/03/1980', '--data-dir', dataDir]);
    expect(human.stdout).toBe('1\tLEFÈVRE Hélène\t14/03/1980\t280037511203418\n');
    const none = runOrdo(['patients', 'search', 'zzz', '--json', '--data-dir', dataDir]);
    expect([none.status, none.stdout, none.stderr.trim()]).toEqual([0, '', 'Aucun patient ne correspond.']);
  });

  it('a file that cannot be read changes nothing and exits 1', () => {
    const broken = join(tmp.dir, 'broken.csv');
    writeFileSync(broken, 'nom;prénoms;sexe;date de naissance\nBon;Jean;M;01/01/1950\n"Mal;Fermé;M;01/01/1950\n');
    const result = runOrdo(['patients', 'import', broken, '--data-dir', dataDir]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/un guillemet ouvert n’est jamais refermé/);
    const missing = runOrdo(['patients', 'import', join(tmp.dir, 'absent.csv'), '--data-dir', dataDir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('n’a pas pu être lu : rien n’a été importé.');
    expect(lines(runOrdo(['patients', 'search', 'jean', '--json', '--data-dir', dataDir]).stdout)).toEqual([]);
  });

  it('says how to use it when the subcommand is wrong', () => {
    const result = runOrdo(['patients', 'frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Sous-commande inconnue : « frobnicate »');
  });

  it('fills an empty register with fake patients for a demonstration, never a used one', () => {
    const demo = join(tmp.dir, 'demo');
    const result = runOrdo(['patients', 'demo', '--count', '50', '--seed', '3', '--data-dir', demo]);
    expect(result.status).toBe(0);
    expect(lines(result.stdout)).toEqual([{ created: 50, seed: 3 }]);
    const again = runOrdo(['patients', 'demo', '--data-dir', demo]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('registre contient déjà des patients');
    expect(runOrdo(['doctor', '--data-dir', demo]).status).toBe(0);
  });
});
