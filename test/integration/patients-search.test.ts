import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/db/open';
import type { Db } from '../../electron/db/open';
import { insertPatient } from '../../electron/patients/repository';
import { dateSql, ESTIMATE_SQL, NIR_SQL, searchPatients, wordsSql } from '../../electron/patients/search';
import { syntheticPatients } from '../../electron/patients/synthetic';
import { patientInputSchema, type PatientInput } from '../../shared/domain/patient';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-search-');
let db: Db;
const ids: Record<string, number> = {};

const add = (key: string, p: PatientInput) => {
  ids[key] = insertPatient(db, patientInputSchema.parse(p), '2026-01-01T00:00:00Z');
};

beforeAll(() => {
  db = openDatabase(join(tmp.dir, 'ordo.db'));
  db.transaction(() => {
    // Synthetic neighbours first, so the patients under test are not simply the first rows.
    for (const p of syntheticPatients(3000, 7)) insertPatient(db, p, '2026-01-01T00:00:00Z');
    add('helene', { birthName: 'Lefèvre', firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980', nir: '280037511203418' });
    add('martin', { birthName: 'Martin', firstNames: 'Paul', sex: 'M', birthDate: '02/05/1961' });
    add('martinez', { birthName: 'Martinez', firstNames: 'Aaron', sex: 'M', birthDate: '02/05/1971' });
    add('married', { birthName: 'Durand', usedName: 'Quillévéré', firstNames: 'Anne-Laure', sex: 'F', birthDate: '30/11/1990' });
    add('legoff', { birthName: 'Le Goff', firstNames: 'Yann', sex: 'M', birthDate: '01/01/1950' });
    add('ndiaye', { birthName: "N'Diaye", firstNames: 'Awa', sex: 'F', birthDate: '05/06/1985' });
  })();
  db.exec('ANALYZE');
});
afterAll(() => {
  db.close();
  tmp.remove();
});

const first = (query: string) => searchPatients(db, query, 20).results[0]?.id;
const found = (query: string, limit = 100) => searchPatients(db, query, limit).results.map((p) => p.id);

describe('patient search relevance', () => {
  it('finds Hélène Lefèvre however her name is typed', () => {
    for (const q of ['helene lef', 'Hélène Lefèvre', 'HELENE LEFEVRE', 'lefevre helene', 'lef hel']) {
      expect(found(q), q).toContain(ids['helene']);
    }
    // Whole words first: the top of the list is a Hélène Lefèvre (the synthetic register has others).
    const top = searchPatients(db, 'helene lefevre', 20).results[0]!;
    expect([top.firstNames, top.birthName]).toEqual([expect.stringMatching(/(^| )Hélène/), expect.stringMatching(/^Lefèvre/)]);
  });

  it('puts the exact word before longer ones', () => {
    const martins = found('martin');
    expect(martins.indexOf(ids['martin']!)).toBeLessThan(martins.indexOf(ids['martinez']!));
    const results = searchPatients(db, 'martin', 100).results;
    const firstLonger = results.findIndex((p) => !/(^|[^a-z])martin([^a-z]|$)/i.test(`${p.birthName} ${p.usedName} ${p.firstNames}`));
    const lastExact = results.map((p) => /(^|[^a-z])martin([^a-z]|$)/i.test(`${p.birthName} ${p.usedName} ${p.firstNames}`)).lastIndexOf(true);
    if (firstLonger !== -1) expect(lastExact).toBeLessThan(firstLonger);
  });

  it('finds a patient by birth name and by used name, compound names in pieces or whole', () => {
    expect(found('durand anne')).toContain(ids['married']);
    expect(found('quillevere')).toContain(ids['married']);
    expect(found('anne laure quil')).toContain(ids['married']);
    expect(found('annelaure')).toContain(ids['married']);
    expect(found('le goff')).toContain(ids['legoff']);
    expect(found('legoff yann')).toContain(ids['legoff']);
    expect(found('yann legof')).toContain(ids['legoff']);
    expect(found("n'diaye")).toContain(ids['ndiaye']);
    expect(found('ndiaye awa')).toContain(ids['ndiaye']);
  });

  it('finds by date of birth, alone or with a name', () => {
    expect(found('14/03/1980')).toContain(ids['helene']);
    expect(found('lef 14/03/1980')).toEqual([ids['helene']]);
    expect(found('martin 14/03/1980')).toEqual([]);
    expect(found('1980-03-14')).toContain(ids['helene']);
  });

  it('finds by the digits of the NIR, typed with or without spaces', () => {
    expect(first('2 80 03 75 112 034 18')).toBe(ids['helene']);
    expect(found('2800375')).toContain(ids['helene']);
  });

  it('returns a page and says whether there is more', () => {
    const page = searchPatients(db, 'm', 5);
    expect(page.results).toHaveLength(5);
    expect(page.more).toBe(true);
    expect(searchPatients(db, 'zzzz', 5)).toEqual({ results: [], more: false });
    expect(searchPatients(db, '', 5)).toEqual({ results: [], more: false });
    expect(searchPatients(db, '%_', 5)).toEqual({ results: [], more: false });
  });

  it('every result of a multi-word query matches every word', () => {
    for (const q of ['marie zoe', 'jean pierre', 'mar lu', 'e a']) {
      for (const p of searchPatients(db, q, 50).results) {
        const words = `${p.birthName} ${p.usedName} ${p.firstNames}`
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .toLowerCase()
          .split(/[^a-z0-9]+/);
        const joined = words.join('');
        for (const w of q.split(' ')) expect(words.some((x) => x.startsWith(w)) || joined.includes(w), `${q} → ${JSON.stringify(p)}`).toBe(true);
      }
    }
  });
});

describe('patient search query plans', () => {
  const plan = (sql: string, params: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);

  it('names: a range scan of the search key, in result order, one row lookup per match', () => {
    const detail = plan(wordsSql(2), ['hel', 'hel~', '% lef%', '% a%']);
    expect(detail).toEqual(['SEARCH s USING PRIMARY KEY (token>? AND token<?)', 'SEARCH p USING INTEGER PRIMARY KEY (rowid=?)']);
  });

  it('date of birth: the birth-date index, already in name order', () => {
    expect(plan(dateSql(1), ['1980-03-14', '% lef%'])).toEqual(['SEARCH p USING INDEX patients_birth_date (birth_date=?)']);
  });

  it('NIR: a range scan of its unique index', () => {
    expect(plan(NIR_SQL, [{ low: '28003', high: '28003~', birthDate: null }])).toEqual([
      'SEARCH p USING INDEX sqlite_autoindex_patients_1 (nir>? AND nir<?)',
    ]);
  });

  it('choosing the leading word reads the small counts table only', () => {
    const detail = plan(ESTIMATE_SQL, ['hel', 'hel~']);
    expect(detail).toContain('SEARCH patient_search_counts USING PRIMARY KEY (token>? AND token<?)');
    expect(detail.join(' ')).not.toMatch(/SCAN (patients|patient_search\b)|TEMP B-TREE/);
  });
});
