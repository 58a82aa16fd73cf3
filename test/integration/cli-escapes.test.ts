/**
 * The CLI never prints a terminal escape sequence that comes from the data. The contract refuses
 * such text now, but a register written by an older Ordo, or edited by hand, may hold it: here a
 * patient's names are set directly with SQL to ESC sequences (colour, clear screen, window title),
 * a C1 CSI, BEL, bidi overrides and isolates, a line separator. `ordo patients search` prints them
 * as \uXXXX, in its tab-separated listing and in its JSON lines, which read back as the stored names.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/db/open';
import { databasePath } from '../../electron/paths';
import { insertPatient } from '../../electron/patients/repository';
import { patientInputSchema } from '../../shared/domain/patient';
import { runOrdo } from '../support/cli';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-cli-escapes-');
const dataDir = join(tmp.dir, 'data');
afterAll(() => tmp.remove());

const BIRTH_NAME = 'Martin\u001b[2J\u001b]0;pwned\u0007\u009b31m';
const FIRST_NAMES = 'Paul\u202eluaP\u2066x\u2069\u2028\u0085';
const CITY = 'Lyon\u001b[5m';
/** What a terminal would act on: C0 but LF and tab, DEL, C1, bidi controls, line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- these are what must never be printed raw
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

beforeAll(() => {
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(databasePath(dataDir));
  const id = insertPatient(db, patientInputSchema.parse({ birthName: 'Martin', firstNames: 'Paul', sex: 'M', birthDate: '02/05/1961', city: 'Lyon' }), '2026-01-01T00:00:00Z');
  // Written behind the contract's back, as an older version or a hand edit would have.
  db.prepare('UPDATE patients SET birth_name = ?, first_names = ?, city = ? WHERE id = ?').run(BIRTH_NAME, FIRST_NAMES, CITY, id);
  db.close();
});

describe('ordo patients search with hostile data in the register', () => {
  it('prints the listing with every control and bidi character as \\uXXXX', () => {
    const result = runOrdo(['patients', 'search', 'martin', '--data-dir', dataDir]);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(RAW);
    expect(result.stderr).not.toMatch(RAW);
    expect(result.stdout).toContain('MARTIN\\u001b[2J\\u001b]0;PWNED\\u0007\\u009b31M Paul\\u202eluaP\\u2066x\\u2069\\u2028\\u0085\t02/05/1961');
    // One row, four columns: no field broke the tab-separated layout.
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout.replace(/\n$/, '').split('\t')).toHaveLength(4);
  });

  it('prints JSON lines that hold no raw C1 or bidi character and read back as the stored names', () => {
    const result = runOrdo(['patients', 'search', 'martin', '--json', '--data-dir', dataDir]);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(RAW);
    const [line] = result.stdout.trim().split('\n');
    expect(JSON.parse(line!)).toMatchObject({ birthName: BIRTH_NAME, firstNames: FIRST_NAMES, city: CITY });
  });
});
