/**
 * Migrations 0006 and 0008 on a register written before them: the search index, the identity and sort keys of
 * every patient are rebuilt from the stored names, so names with letters NFD does not decompose
 * (Ł, ß, ø) are found, and the kinds of word are ranked.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../electron/db/migrate';
import { migrations } from '../../electron/db/migrations';
import { openSqlite } from '../../electron/db/open';
import { searchKeysOf } from '../../electron/patients/search-keys';
import { searchPatients } from '../../electron/patients/search';
import { syntheticPatients } from '../../electron/patients/synthetic';
import { patientInputSchema } from '../../shared/domain/patient';
import { insertPatientBefore0006, insertPatientBefore0008 } from '../support/legacy-patients';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-patients-migration-');
afterAll(() => tmp.remove());
const at = '2026-01-01T00:00:00.000Z';

describe('0006_patient_search on a register of version 5', () => {
  it('rebuilds the index: « lukasiewicz » finds Łukasiewicz, and every key is what the code computes', () => {
    const db = openSqlite(join(tmp.dir, 'v5.db'));
    migrate(db, migrations.slice(0, 5));
    const lukasiewicz = db.transaction(() => {
      for (const p of syntheticPatients(300, 3)) insertPatientBefore0006(db, p, at);
      insertPatientBefore0006(db, patientInputSchema.parse({ birthName: 'Straße', firstNames: 'Jörg', sex: 'M', birthDate: '02/02/1960' }), at);
      return insertPatientBefore0006(db, patientInputSchema.parse({ birthName: 'Łukasiewicz', firstNames: 'Jan', sex: 'M', birthDate: '21/12/1978' }), at);
    })();
    // Before: the Ł was dropped, the patient is under « ukasiewicz ».
    expect(searchPatients(db, 'lukasiewicz', 20).results).toEqual([]);
    expect(searchPatients(db, 'ukasiewicz', 20).results.map((p) => p.id)).toEqual([lukasiewicz]);

    migrate(db, migrations.slice(0, 6));
    expect(schemaVersion(db)).toBe(6);
    expect(searchPatients(db, 'lukasiewicz', 20).results.map((p) => p.id)).toEqual([lukasiewicz]);
    expect(searchPatients(db, 'ukasiewicz', 20).results).toEqual([]);
    expect(searchPatients(db, 'strasse jorg', 20).results.map((p) => p.birthName)).toEqual(['Straße']);

    // Every patient's stored keys and words are the current ones, and the counts agree with them.
    const rows = db.prepare('SELECT id, birth_name, used_name, first_names, birth_date, identity_key, sort_key FROM patients').all() as {
      id: number; birth_name: string; used_name: string; first_names: string; birth_date: string; identity_key: string; sort_key: string;
    }[];
    expect(rows).toHaveLength(302);
    const tokensOf = db.prepare('SELECT token, rank FROM patient_search WHERE patient_id = ? ORDER BY token');
    for (const r of rows) {
      const keys = searchKeysOf({ birthName: r.birth_name, usedName: r.used_name, firstNames: r.first_names, birthDate: r.birth_date });
      expect([r.identity_key, r.sort_key]).toEqual([keys.identityKey, keys.sortKey]);
      expect(tokensOf.all(r.id)).toEqual([...keys.tokens].sort((a, b) => (a.token < b.token ? -1 : 1)));
    }
    const wrongCounts = db
      .prepare(
        `SELECT c.token FROM patient_search_counts c LEFT JOIN (SELECT token, count(*) AS n FROM patient_search GROUP BY token) s USING (token)
         WHERE c.n IS NOT coalesce(s.n, 0)
         UNION SELECT token FROM patient_search WHERE token NOT IN (SELECT token FROM patient_search_counts)`,
      )
      .all();
    expect(wrongCounts).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});

describe('a register of version 5 brought to the latest version in one start', () => {
  it('migrates a patient whose name today’s folding keeps in its own script: the index is derived once, after the last migration', () => {
    const db = openSqlite(join(tmp.dir, 'v5-latest.db'));
    migrate(db, migrations.slice(0, 5));
    const ivanov = db.transaction(() => {
      insertPatientBefore0006(db, patientInputSchema.parse({ birthName: 'Martin', firstNames: 'Anne', sex: 'F', birthDate: '01/01/1970' }), at);
      return insertPatientBefore0006(db, patientInputSchema.parse({ birthName: 'Иванов', firstNames: 'Иван', sex: 'M', birthDate: '03/04/1965' }), at);
    })();
    expect(() => migrate(db, migrations)).not.toThrow();
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(searchPatients(db, 'иванов', 20).results.map((p) => p.id)).toEqual([ivanov]);
    expect(searchPatients(db, 'martin', 20).results.map((p) => p.birthName)).toEqual(['Martin']);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});

describe('0008_patient_search_scripts on a register of version 7', () => {
  it('rebuilds the index with the letters of every script: « Иванов Иван » and « 王 秀英 » are found, and no longer each other’s duplicates', () => {
    const db = openSqlite(join(tmp.dir, 'v7.db'));
    migrate(db, migrations.slice(0, 7));
    const parse = (p: Record<string, string>) => patientInputSchema.parse(p);
    const [ivanov, petrov, wang] = db.transaction(() => {
      for (const p of syntheticPatients(200, 5)) insertPatientBefore0008(db, p, at);
      return [
        insertPatientBefore0008(db, parse({ birthName: 'Иванов', firstNames: 'Иван', sex: 'M', birthDate: '12/04/1961' }), at),
        insertPatientBefore0008(db, parse({ birthName: 'Петров', firstNames: 'Пётр', sex: 'M', birthDate: '12/04/1961' }), at),
        insertPatientBefore0008(db, parse({ birthName: '王', firstNames: '秀英', sex: 'F', birthDate: '08/03/1975' }), at),
      ];
    })();
    const identityOf = db.prepare('SELECT identity_key FROM patients WHERE id = ?').pluck();
    // Before: under no word, and the two men « the same person » (the identity key « ||1961-04-12 »).
    expect(searchPatients(db, 'иванов', 20).results).toEqual([]);
    expect(searchPatients(db, '王', 20).results).toEqual([]);
    expect(identityOf.get(ivanov)).toBe(identityOf.get(petrov));

    migrate(db, migrations.slice(0, 8));
    expect(schemaVersion(db)).toBe(8);
    expect(searchPatients(db, 'иванов иван', 20).results.map((p) => p.id)).toEqual([ivanov]);
    expect(searchPatients(db, 'петр', 20).results.map((p) => p.id)).toEqual([petrov]);
    expect(searchPatients(db, '王 秀英', 20).results.map((p) => p.id)).toEqual([wang]);
    expect(identityOf.get(ivanov)).not.toBe(identityOf.get(petrov));
    expect(searchPatients(db, 'martin', 20).results.length).toBeGreaterThan(0);

    // Every key is what the code computes now, and the counts agree with the words.
    const rows = db.prepare('SELECT id, birth_name, used_name, first_names, birth_date, identity_key, sort_key FROM patients').all() as {
      id: number; birth_name: string; used_name: string; first_names: string; birth_date: string; identity_key: string; sort_key: string;
    }[];
    const tokensOf = db.prepare('SELECT token, rank FROM patient_search WHERE patient_id = ? ORDER BY token');
    for (const r of rows) {
      const keys = searchKeysOf({ birthName: r.birth_name, usedName: r.used_name, firstNames: r.first_names, birthDate: r.birth_date });
      expect([r.identity_key, r.sort_key]).toEqual([keys.identityKey, keys.sortKey]);
      expect(tokensOf.all(r.id)).toEqual([...keys.tokens].sort((a, b) => (a.token < b.token ? -1 : 1)));
    }
    const wrongCounts = db
      .prepare('SELECT c.token FROM patient_search_counts c LEFT JOIN (SELECT token, count(*) AS n FROM patient_search GROUP BY token) s USING (token) WHERE c.n IS NOT coalesce(s.n, 0)')
      .all();
    expect(wrongCounts).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('the index refuses a word no folding writes (upper case, a space, punctuation, a control character)', () => {
    const db = openSqlite(join(tmp.dir, 'v8-check.db'));
    migrate(db, migrations.slice(0, 8));
    const id = insertPatientBefore0008(db, patientInputSchema.parse({ birthName: 'Martin', firstNames: 'Paul', sex: 'M', birthDate: '02/05/1961' }), at);
    const insert = db.prepare('INSERT INTO patient_search (token, rank, sort_key, patient_id) VALUES (?, 3, ?, ?)');
    for (const token of ['иван', '王', 'nom5999', 'é']) expect(() => insert.run(token, `martin paul ${token}`, id), token).not.toThrow();
    for (const token of ['', 'Martin', 'le goff', 'a~', 'a_b', 'a\u0007', 'a%']) expect(() => insert.run(token, 'x', id), JSON.stringify(token)).toThrow(/CHECK/);
    db.close();
  });
});
