import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOrdo } from '../support/cli';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-draft-cli-');
afterAll(() => tmp.remove());

const document = {
  patient: { birthName: 'Martin', firstNames: 'Claire', sex: 'F', birthDate: '1980-04-12', ald: [{ label: 'Diabète de type 2' }] },
  lines: [{ cis: '69999001', dose: 2, unit: 'gélule', timesPerDay: 2, moments: ['matin', 'soir'], durationDays: 7 }],
};
const file = (name: string, content: string) => {
  const path = join(tmp.dir, name);
  writeFileSync(path, content);
  return path;
};

describe('ordo draft create (exchange mode)', () => {
  it('creates a draft and prints its id and checks; errors exit 1 and create nothing', () => {
    const dataDir = join(tmp.dir, 'data');
    const created = runOrdo(['draft', 'create', '--json', file('ok.json', JSON.stringify(document)), '--data-dir', dataDir]);
    expect(created.status, created.stderr).toBe(0);
    const result = JSON.parse(created.stdout) as { id: number; patientCreated: boolean; checks: { kind: string; level: string; blocking: boolean; message: string; lines: number[] }[] };
    expect(result).toMatchObject({ id: 1, patientCreated: true });
    // No prescriber profile in this folder: a blocking legal check says so.
    expect(result.checks).toContainEqual(expect.objectContaining({ kind: 'legal', blocking: true }));

    const wrongCis = runOrdo(['draft', 'create', '--json', file('cis.json', JSON.stringify({ ...document, lines: [{ ...document.lines[0], cis: '99999999' }] })), '--data-dir', dataDir]);
    expect(wrongCis.status).toBe(1);
    expect(wrongCis.stderr).toContain('aucun médicament de code CIS 99999999');
    const malformed = runOrdo(['draft', 'create', '--json', file('bad.json', '{"patient": '), '--data-dir', dataDir]);
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toContain('n’est pas un JSON valide');
    const unknownPatient = runOrdo(['draft', 'create', '--json', file('who.json', JSON.stringify({ ...document, patient: { id: 99 } })), '--data-dir', dataDir]);
    expect(unknownPatient.status).toBe(1);
    expect(unknownPatient.stderr).toContain('Aucun patient d’identifiant 99');

    const again = runOrdo(['draft', 'create', '--json', file('ok2.json', JSON.stringify(document)), '--data-dir', dataDir]);
    expect(JSON.parse(again.stdout)).toMatchObject({ id: 2, patientCreated: false });
  }, 60_000);
});
