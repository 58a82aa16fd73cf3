/**
 * Patient search on 100,000 synthetic patients, in-process, as the GP types: every prefix of a
 * name ("l", "le", "lef", … "lefevre h", …), dates of birth, NIR digits, later pages; each answer
 * counts its matches (the total shown). The baseline is the
 * naive search (LIKE '%q%' over the names, ordered) on the same register and the same queries.
 * The register is built, closed and reopened first, so searches run with the app's own settings.
 */
import { join } from 'node:path';
import { openDatabase } from '../../electron/db/open';
import { insertPatient } from '../../electron/patients/repository';
import { searchPatients } from '../../electron/patients/search';
import { randomFor, syntheticPatients } from '../../electron/patients/synthetic';
import { formatDate } from '../../shared/domain/dates';
import type { PatientData } from '../../shared/domain/patient';
import { normalizeText } from '../../shared/domain/text';
import { tempDir } from '../support/tmp';
import { sampleSync, type BenchRow } from './types';

const PATIENTS = 100_000;
const SEED = 2026;
const PAGE = 20;

type Kind = 'one word' | 'two words' | 'date' | 'nir';
interface Query {
  kind: Kind;
  text: string;
}

/** Every prefix of `text` a GP passes through while typing it (spaces skipped: no new query). */
function typed(text: string): string[] {
  return Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1)).filter((q) => !q.endsWith(' '));
}

/** Queries for patients drawn from the register itself, the way they would be typed. */
function queriesFor(targets: PatientData[]): Query[] {
  const queries: Query[] = [];
  for (const p of targets) {
    const name = normalizeText(p.usedName || p.birthName).split(' ')[0] ?? '';
    const first = normalizeText(p.firstNames).split(' ')[0] ?? '';
    for (const q of typed(name)) queries.push({ kind: 'one word', text: q });
    for (const q of typed(`${name} ${first}`).slice(name.length)) queries.push({ kind: 'two words', text: q });
    for (const q of typed(`${first} ${name}`).slice(first.length)) queries.push({ kind: 'two words', text: q });
    queries.push({ kind: 'date', text: formatDate(p.birthDate) });
    if (p.nir !== null) for (const q of typed(p.nir).slice(0, 13)) queries.push({ kind: 'nir', text: q });
  }
  return queries;
}

/** What a first implementation would write: a LIKE over the names, every row looked at, sorted. */
const NAIVE = {
  names: (words: number) =>
    `SELECT id, birth_name, used_name, first_names, sex, birth_date, nir, city FROM patients WHERE ${Array.from(
      { length: words },
      () => "(birth_name || ' ' || used_name || ' ' || first_names) LIKE ?",
    ).join(' AND ')} ORDER BY birth_name, first_names LIMIT ${PAGE + 1}`,
  date: `SELECT id, birth_name, used_name, first_names, sex, birth_date, nir, city FROM patients
    WHERE strftime('%d/%m/%Y', birth_date) LIKE ? ORDER BY birth_name, first_names LIMIT ${PAGE + 1}`,
  nir: `SELECT id, birth_name, used_name, first_names, sex, birth_date, nir, city FROM patients
    WHERE nir LIKE ? ORDER BY birth_name, first_names LIMIT ${PAGE + 1}`,
};

export function rows(): Promise<BenchRow[]> {
  const tmp = tempDir('ordo-bench-patients-');
  const file = join(tmp.dir, 'ordo.db');
  const all = [...syntheticPatients(PATIENTS, SEED)];
  const setup = openDatabase(file);
  setup.transaction(() => {
    for (const p of all) insertPatient(setup, p, '2026-01-01T00:00:00.000Z');
  })();
  setup.close();

  const db = openDatabase(file);
  const random = randomFor(SEED);
  const targets = Array.from({ length: 40 }, () => all[Math.floor(random() * all.length)]!);
  const queries = queriesFor(targets);
  const byKind = (kind: Kind) => queries.filter((q) => q.kind === kind).map((q) => q.text);

  const run = (texts: string[], count: number, offset = 0) => {
    let i = 0;
    return sampleSync(count, () => searchPatients(db, texts[i++ % texts.length]!, PAGE, offset));
  };
  const naive = (q: Query) => {
    if (q.kind === 'date') return db.prepare(NAIVE.date).all(`%${q.text}%`);
    if (q.kind === 'nir') return db.prepare(NAIVE.nir).all(`%${q.text}%`);
    const words = q.text.split(' ');
    return db.prepare(NAIVE.names(words.length)).all(...words.map((w) => `%${w}%`));
  };

  const mixed = queries.map((q) => q.text);
  const result: BenchRow[] = [
    { name: `patients.search ${PATIENTS / 1000}k: all typed queries (${queries.length} distinct)`, unit: 'ms', samples: run(mixed, 20_000) },
    { name: `patients.search ${PATIENTS / 1000}k: one name, as typed`, unit: 'ms', samples: run(byKind('one word'), 5000) },
    { name: `patients.search ${PATIENTS / 1000}k: name + first name, as typed`, unit: 'ms', samples: run(byKind('two words'), 5000) },
    { name: `patients.search ${PATIENTS / 1000}k: date of birth jj/mm/aaaa`, unit: 'ms', samples: run(byKind('date'), 2000) },
    { name: `patients.search ${PATIENTS / 1000}k: NIR digits, as typed`, unit: 'ms', samples: run(byKind('nir'), 2000) },
    { name: `patients.search ${PATIENTS / 1000}k: one name, 2nd page (« Afficher les 20 suivants »)`, unit: 'ms', samples: run(byKind('one word'), 2000, PAGE) },
    { name: `patients.search ${PATIENTS / 1000}k: one name, 10th page`, unit: 'ms', samples: run(byKind('one word'), 1000, PAGE * 9) },
    { name: `patients.search ${PATIENTS / 1000}k: one letter (the widest count)`, unit: 'ms', samples: run('abcdefghijlmnoprstv'.split(/(?:)/u), 1000) },
  ];
  let j = 0;
  const baselineName = `patients.search ${PATIENTS / 1000}k: naive LIKE '%q%' scan (same queries)`;
  const baseline = sampleSync(300, () => naive(queries[(j += 7) % queries.length]!), 5);
  db.close();
  tmp.remove();
  return Promise.resolve([...result.map((r) => ({ ...r, baseline: baselineName })), { name: baselineName, unit: 'ms' as const, samples: baseline }]);
}
