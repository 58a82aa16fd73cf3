import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/db/open';
import type { Db } from '../../electron/db/open';
import { insertPatient } from '../../electron/patients/repository';
import { SAME_BIRTH_NAME_SQL } from '../../electron/patients/repository';
import { dateSql, ESTIMATE_SQL, NIR_SQL, searchPatients, wordsCountSql, wordsSql } from '../../electron/patients/search';
import { foldName } from '../../shared/domain/patient-search-text';
import { syntheticPatients } from '../../electron/patients/synthetic';
import { patientInputSchema, type PatientInput } from '../../shared/domain/patient';
import { fixedClock } from '../../electron/clock';
import { createPatientService } from '../../electron/patients/service';
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
    add('arnaud', { birthName: 'Martin', usedName: 'Arnaud', firstNames: 'Zoé', sex: 'F', birthDate: '01/02/1970' });
    add('brunet', { birthName: 'Saint-Martin', usedName: 'Brunet', firstNames: 'Agnès', sex: 'F', birthDate: '03/04/1972' });
    add('lukasiewicz', { birthName: 'Łukasiewicz', firstNames: 'Jan', sex: 'M', birthDate: '21/12/1978' });
    add('strasse', { birthName: 'Straße', firstNames: 'Günther', sex: 'M', birthDate: '15/07/1985' });
    add('lovland', { birthName: 'Løvland', firstNames: 'Åse', sex: 'F', birthDate: '09/09/1999' });
    add('ivanov', { birthName: 'Иванов', firstNames: 'Иван', sex: 'M', birthDate: '12/04/1961' });
    add('petrov', { birthName: 'Петров', firstNames: 'Пётр Ильич', sex: 'M', birthDate: '12/04/1961' });
    add('wang', { birthName: '王', firstNames: '秀英', sex: 'F', birthDate: '08/03/1975' });
    add('li', { birthName: '李', firstNames: '秀英', sex: 'F', birthDate: '08/03/1975' });
    add('papadopoulou', { birthName: 'Παπαδοπούλου', firstNames: 'Ελένη', sex: 'F', birthDate: '25/03/1982' });
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
    expect(searchPatients(db, 'zzzz', 5)).toEqual({ results: [], more: false, total: 0 });
    expect(searchPatients(db, '', 5)).toEqual({ results: [], more: false, total: 0 });
    expect(searchPatients(db, '%_', 5)).toEqual({ results: [], more: false, total: 0 });
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

/**
 * Which kind of match a result is for one typed word (0 best), as the GP sees the names: the word
 * is the name shown, the birth name behind a used name, a word of a compound name, a first name
 * (0–3); then the same four with a name that starts with the word (4–7).
 */
function kindOf(word: string, p: { birthName: string; usedName: string; firstNames: string }): number {
  const shown = foldName(p.usedName !== '' ? p.usedName : p.birthName).replace(/ /g, '');
  const birth = foldName(p.birthName).replace(/ /g, '');
  const nameWords = [...foldName(p.birthName).split(' '), ...foldName(p.usedName).split(' ')];
  const firstWords = foldName(p.firstNames).split(' ');
  const firstNames = [...firstWords, ...p.firstNames.split(/[\s,]+/).map((f) => foldName(f).replace(/ /g, ''))];
  const tests: ((t: string) => boolean)[] = [(t) => t === word, (t) => t.startsWith(word)];
  for (const [i, test] of tests.entries()) {
    if (test(shown)) return 4 * i;
    if (test(birth)) return 4 * i + 1;
    if (nameWords.some(test)) return 4 * i + 2;
    if (firstNames.some(test)) return 4 * i + 3;
  }
  return 8;
}

/** Every page of a query, paging on as the GP does. */
function allPages(query: string, size: number) {
  const pages = [];
  for (let offset = 0; ; offset += size) {
    const page = searchPatients(db, query, size, offset);
    pages.push(page);
    if (!page.more) break;
  }
  return pages;
}

describe('patient search ranking and paging', () => {
  it('« martin »: the MARTIN first, then « ARNAUD née MARTIN », then « SAINT-MARTIN », then first names, then longer names', () => {
    const results = allPages('martin', 20).flatMap((p) => p.results);
    const kinds = results.map((p) => kindOf('martin', p));
    expect(kinds).toEqual([...kinds].sort((a, b) => a - b));
    expect(kinds[0]).toBe(0);
    const position = (key: string) => results.findIndex((p) => p.id === ids[key]);
    expect(position('martin')).toBeLessThan(position('arnaud'));
    expect(position('arnaud')).toBeLessThan(position('brunet'));
    expect(position('brunet')).toBeLessThan(position('martinez'));
    // Every patient named MARTIN is on the first pages, none out of reach behind the others.
    const named = results.filter((p) => kindOf('martin', p) === 0).length;
    expect(named).toBeGreaterThan(5);
    expect(searchPatients(db, 'martin', named).results.every((p) => kindOf('martin', p) === 0)).toBe(true);
  });

  it('« ma »: surnames starting with it before first names (no Maël before MARTIN)', () => {
    const results = allPages('ma', 100).flatMap((p) => p.results);
    const kinds = results.map((p) => kindOf('ma', p));
    expect(kinds).toEqual([...kinds].sort((a, b) => a - b));
    // Nobody is named « Ma » exactly: names starting with it (4–6) come before first names (7).
    expect(kinds.indexOf(7)).toBeGreaterThan(kinds.lastIndexOf(4));
    expect(results.some((p) => /Maël/.test(p.firstNames) && kindOf('ma', p) === 7)).toBe(true);
    expect(searchPatients(db, 'ma', 20).results.every((p) => foldName(p.usedName || p.birthName).startsWith('ma'))).toBe(true);
  });

  it('pages on without gap or repeat, and counts the matches', () => {
    for (const query of ['martin', 'ma', 'marie', 'jean pierre', '14/03/1980', '2 8']) {
      const pages = allPages(query, 20);
      const ids = pages.flatMap((p) => p.results.map((r) => r.id));
      expect(new Set(ids).size, query).toBe(ids.length);
      expect(ids.length, query).toBe(pages[0]!.total);
      for (const page of pages) expect(page.total, query).toBe(pages[0]!.total);
      // The same patients as one big page (the register is small enough for that here).
      expect(new Set(ids), query).toEqual(new Set(searchPatients(db, query, 100_000).results.map((r) => r.id)));
    }
    const martins = searchPatients(db, 'martin', 20);
    expect(martins.total).toBeGreaterThan(20);
    expect(martins.more).toBe(true);
  });

  it('finds names with letters NFD does not decompose', () => {
    expect(found('lukasiewicz')).toContain(ids['lukasiewicz']);
    expect(found('Łukasiewicz')).toContain(ids['lukasiewicz']);
    expect(found('luka')).toContain(ids['lukasiewicz']);
    expect(found('strasse')).toContain(ids['strasse']);
    expect(found('Straße gunther')).toContain(ids['strasse']);
    expect(found('lovland ase')).toContain(ids['lovland']);
    expect(first('lovland')).toBe(ids['lovland']);
  });

  it('reads eight digits as a date of birth', () => {
    expect(found('15071985')).toContain(ids['strasse']);
    expect(found('strasse 15071985')).toEqual([ids['strasse']]);
    // Not a date (no 28th month): the start of a NIR.
    expect(found('28003751')).toContain(ids['helene']);
  });
});

describe('names in every script the register accepts', () => {
  it('finds « Иванов Иван » by each name, whole or begun, in any case', () => {
    for (const q of ['иванов', 'Иванов Иван', 'ИВАНОВ', 'ива', 'иван иванов', 'Иван', 'иванов 12/04/1961']) {
      expect(found(q), q).toContain(ids['ivanov']);
      expect(found(q), q).not.toContain(ids['petrov']);
    }
    expect(first('иванов иван')).toBe(ids['ivanov']);
    expect(searchPatients(db, 'иванов', 20).total).toBe(1);
  });

  it('finds « Петров Пётр » typed with ё or е, and by the second first name', () => {
    for (const q of ['Пётр', 'петр', 'петров пётр', 'ильич']) expect(found(q), q).toEqual([ids['petrov']]);
  });

  it('finds « 王 秀英 » by family name, given name or both, and tells her from « 李 秀英 »', () => {
    expect(found('王')).toEqual([ids['wang']]);
    expect(found('王 秀英')).toEqual([ids['wang']]);
    expect(found('秀英 王')).toEqual([ids['wang']]);
    expect(found('秀英').sort()).toEqual([ids['wang'], ids['li']].sort());
    expect(found('秀')).toHaveLength(2);
    expect(found('李 秀英')).toEqual([ids['li']]);
  });

  it('finds Greek names without their accents', () => {
    expect(found('παπαδοπουλου ελενη')).toEqual([ids['papadopoulou']]);
    expect(found('ΠΑΠΑΔ')).toEqual([ids['papadopoulou']]);
  });

  it('never indexes a name the policy accepts under no word: every accepted name folds to words', () => {
    for (const name of ['Иванов', '王', 'Παπαδοπούλου', 'नेहा', 'محمد', 'ＭＡＲＴＩＮ', 'Ñúñez', 'Ǆuro']) {
      const parsed = patientInputSchema.parse({ birthName: name, firstNames: name, sex: 'F', birthDate: '01/01/1990' });
      expect(foldName(parsed.birthName), name).not.toBe('');
    }
  });
});

describe('duplicates among names in other scripts', () => {
  const service = () => createPatientService(db, fixedClock('2026-03-01T10:00:00Z'));

  it('two patients with different names born the same day are not the same person', () => {
    // Иванов and Петров (born 12/04/1961) are both in the register: a third one, Сидоров, is new.
    const sidorov = service().create(patientInputSchema.parse({ birthName: 'Сидоров', firstNames: 'Иван', sex: 'M', birthDate: '12/04/1961' }), []);
    expect(sidorov.birthName).toBe('Сидоров');
    const zhang = service().create(patientInputSchema.parse({ birthName: '张', firstNames: '伟', sex: 'F', birthDate: '08/03/1975' }), []);
    expect(zhang.firstNames).toBe('伟');
  });

  it('the same name and birth date typed again is still a duplicate to confirm, and a near one too', () => {
    const again = () => service().create(patientInputSchema.parse({ birthName: 'ИВАНОВ', firstNames: 'иван', sex: 'M', birthDate: '12/04/1961' }), []);
    expect(again).toThrow(expect.objectContaining({ code: 'NEEDS_CONFIRMATION', fields: expect.objectContaining({ 'confirm.duplicate': expect.stringContaining('ИВАНОВ Иван, né le 12/04/1961') }) }));
    const near = () => service().create(patientInputSchema.parse({ birthName: 'Иванов', firstNames: 'Иван Сергеевич', sex: 'M', birthDate: '12/04/1961' }), []);
    expect(near).toThrow(expect.objectContaining({ code: 'NEEDS_CONFIRMATION', fields: { 'confirm.nearDuplicate': expect.stringContaining('ИВАНОВ Иван, né le 12/04/1961') } }));
    const sameGivenName = () => service().create(patientInputSchema.parse({ birthName: '王', firstNames: '秀英', sex: 'F', birthDate: '08/03/1975' }), []);
    expect(sameGivenName).toThrow(expect.objectContaining({ code: 'NEEDS_CONFIRMATION' }));
  });
});

describe('patient search query plans', () => {
  const plan = (sql: string, params: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);

  it('names: one range scan of the search key per kind of word, in result order, one row lookup per match', () => {
    const detail = plan(wordsSql(2), [0, 'hel', 'hel~', '% lef%', '% a%']);
    expect(detail).toEqual(['SEARCH s USING PRIMARY KEY (rank=? AND token>? AND token<?)', 'SEARCH p USING INTEGER PRIMARY KEY (rowid=?)']);
  });

  it('the count of a name query reads the search key only, never the patients', () => {
    const detail = plan(wordsCountSql(1), ['mar', 'mar~', '% lu%']).join(' ');
    expect(detail).toMatch(/SEARCH s USING PRIMARY KEY \(rank=\? AND token>\? AND token<\?\)/);
    expect(detail).not.toMatch(/SCAN|patients/);
  });

  it('near duplicates: the patients born that day (or of that birth name), never a scan', () => {
    const detail = plan(SAME_BIRTH_NAME_SQL, ['dupont|', 'dupont|~', '1980-01-01', 'M', null]);
    expect(detail).toHaveLength(1);
    expect(detail[0]).toMatch(/^SEARCH patients USING INDEX (patients_birth_date \(birth_date=\?\)|patients_identity \(identity_key>\? AND identity_key<\?\))$/);
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
