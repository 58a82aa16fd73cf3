/**
 * Drug search on a full-size referential (the real 2019 BDPM when ../shared/data is there, the
 * synthetic generator otherwise): whole queries and every prefix as a GP types it (from two
 * characters, CIP13 prefixes included), with Fuse.js over the same records (what a renderer-side
 * search would use), a LIKE scan and a naive FTS5 prefix query measured in the same run; and the
 * import time of the full release. Relevance (the right drug in the first ten) goes to stderr
 * in detail and to rows whose names carry the hit rates; a whole query missing fails the run.
 */
import Database from 'better-sqlite3';
import Fuse from 'fuse.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeText } from '../../shared/domain/text';
import { searchWords } from '../../shared/domain/drugs';
import { currentFile, referentialDir } from '../../electron/drugs/files';
import type { DrugSearchIndex, IndexRecord, SearchHits } from '../../electron/drugs/search-index';
import { importFolder, inlineDrugService as createDrugService } from '../support/drugs';
import { systemClock } from '../../electron/clock';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { writeSyntheticBdpm } from '../support/synthetic-bdpm';
import { tempDir } from '../support/tmp';
import { percentile, sampleSync, type BenchRow } from './types';

interface Probe {
  typed: string;
  /** The drug a GP typing this wants to see. */
  target: (item: { cis: string; name: string; dciLabel: string }) => boolean;
}

const dciStarts = (prefix: string) => (i: { dciLabel: string }) => normalizeText(i.dciLabel).startsWith(prefix);

function probesFor(real: boolean, release: string): Probe[] {
  // A pack of the release, for CIP13 / CIP7 / CIS probes: the first line of CIS_CIP_bdpm.txt.
  const [cis = '', cip7 = '', , , , , cip13 = ''] = readFileSync(join(release, 'CIS_CIP_bdpm.txt'), 'latin1').split('\n')[0]!.split('\t');
  const common: Probe[] = [
    { typed: 'amoxicilline 500', target: dciStarts('amoxicilline 500 mg') },
    { typed: 'amox 500', target: dciStarts('amoxicilline 500 mg') },
    { typed: 'paracetamol 1 g', target: dciStarts('paracetamol 1 g') },
    { typed: 'ibuprofene 400', target: dciStarts('ibuprofene 400 mg') },
    { typed: 'amlodipine 5', target: dciStarts('amlodipine 5 mg') },
    { typed: cip13, target: (i) => i.cis === cis },
    { typed: cip7, target: (i) => i.cis === cis },
    { typed: cis, target: (i) => i.cis === cis },
  ];
  if (!real) return common;
  return [
    ...common,
    { typed: 'doliprane 1000', target: (i) => i.name.startsWith('DOLIPRANE 1000') },
    { typed: 'levothyrox 75', target: (i) => i.name.startsWith('LEVOTHYROX 75') },
    { typed: 'kardegic', target: (i) => i.name.startsWith('KARDEGIC') },
    { typed: 'metformine 1000', target: dciStarts('metformine 1 g') },
    { typed: 'clamoxyl', target: (i) => i.name.startsWith('CLAMOXYL') },
    { typed: 'eliquis 5', target: (i) => i.name.startsWith('ELIQUIS 5 mg') },
    { typed: 'doliprane 2,4', target: (i) => i.name.startsWith('DOLIPRANE 2,4 ') },
  ];
}

/** "amox" → ["am", "amo", "amox"]: what the search receives as the GP types. */
const keystrokes = (typed: string) => Array.from({ length: typed.length - 1 }, (_, i) => typed.slice(0, i + 2)).filter((q) => !q.endsWith(' '));

const topTen = ({ groups }: SearchHits) => groups.flatMap((g) => g.records.map((r) => ({ ...r.record, dciLabel: g.dciLabel }))).slice(0, 10);

interface Relevance {
  /** Whole queries whose target is in the first ten results. */
  wholeHits: number;
  /** Probes whose target reaches the first ten before the whole query is typed. */
  earlyHits: number;
  total: number;
  misses: string[];
}

/** Whether each probe's drug is in the first ten, typed whole and while typing; stderr detail. */
function relevance(index: DrugSearchIndex, probes: Probe[]): Relevance {
  const result: Relevance = { wholeHits: 0, earlyHits: 0, total: probes.length, misses: [] };
  for (const probe of probes) {
    const hit = keystrokes(probe.typed).find((q) => topTen(index.search(q)).some(probe.target));
    const whole = topTen(index.search(probe.typed)).some(probe.target);
    if (whole) result.wholeHits += 1;
    else result.misses.push(probe.typed);
    if (hit !== undefined && hit !== probe.typed) result.earlyHits += 1;
    process.stderr.write(
      `drugs relevance: « ${probe.typed} » ${whole ? 'top 10' : 'NOT IN TOP 10'}${hit === undefined ? '' : `, from « ${hit} » (${hit.length} characters)`}\n`,
    );
  }
  return result;
}

function fuseOver(records: readonly IndexRecord[]) {
  const docs = records.map((r) => ({ cis: r.cis, name: r.name, dciLabel: r.dciLabel, codes: r.searchWords.split(' ').filter((w) => /^\d{7,13}$/.test(w)) }));
  const fuse = new Fuse(docs, { keys: ['name', 'dciLabel', 'codes'], threshold: 0.3, ignoreLocation: true });
  return (q: string) => fuse.search(q, { limit: 80 });
}

function likeScan(file: string) {
  const db = new Database(file, { readonly: true });
  const statements = new Map<number, Database.Statement>();
  const run = (q: string) => {
    const words = [...new Set(searchWords(q))];
    let stmt = statements.get(words.length);
    if (stmt === undefined) {
      const where = words.map(() => 'search_words LIKE ?').join(' AND ');
      stmt = db.prepare(`SELECT cis FROM specialty WHERE ${where} ORDER BY search_rank LIMIT 80`);
      statements.set(words.length, stmt);
    }
    return stmt.all(...words.map((w) => `%${w}%`));
  };
  return { run, close: () => db.close() };
}

function naiveFts(records: readonly IndexRecord[]) {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE fts USING fts5(cis UNINDEXED, words, tokenize = "unicode61 remove_diacritics 2")`);
  const insert = db.prepare('INSERT INTO fts (cis, words) VALUES (?, ?)');
  db.transaction(() => records.forEach((r) => insert.run(r.cis, r.searchWords)))();
  const stmt = db.prepare('SELECT cis FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 80');
  const run = (q: string) => stmt.all(searchWords(q).map((w) => `"${w}"*`).join(' '));
  return { run, close: () => db.close() };
}

/** The same keystrokes, `times` each, one sample per call. */
function perQuery(queries: readonly string[], times: number, fn: (q: string) => unknown): number[] {
  return queries.flatMap((q) => sampleSync(times, () => fn(q), Math.min(5, times)));
}

export async function rows(): Promise<BenchRow[]> {
  const tmp = tempDir('ordo-bench-drugs-');
  try {
    const real = hasSharedData;
    let release = join(sharedDataDir, 'bdpm-2019');
    if (!real) {
      release = join(tmp.dir, 'synthetic');
      writeSyntheticBdpm(release);
      process.stderr.write(`drugs bench: ${sharedDataDir} absent, synthetic full-size release instead\n`);
    }
    const label = real ? 'BDPM 2019' : 'synthetic';

    const importSamples: number[] = [];
    for (let run = 0; run < 3; run++) {
      const drugs = createDrugService({ dataDir: join(tmp.dir, `import-${run}`), clock: systemClock, sqlite: {} });
      const started = performance.now();
      await importFolder(drugs, join(tmp.dir, `import-${run}`), release, systemClock);
      importSamples.push(performance.now() - started);
      drugs.close();
    }

    const dataDir = join(tmp.dir, 'import-0');
    const drugs = createDrugService({ dataDir, clock: systemClock, sqlite: {} });
    const loadStarted = performance.now();
    const index = (await drugs.searchIndex())!;
    const loadMs = performance.now() - loadStarted;
    const probes = probesFor(real, release);
    const relevant = relevance(index, probes);
    if (relevant.misses.length > 0) {
      // A relevance regression fails the bench run (the table is still printed).
      process.stderr.write(`drugs relevance: FAILED, not in the top 10: ${relevant.misses.map((q) => `« ${q} »`).join(', ')}\n`);
      process.exitCode = 1;
    }

    const whole = probes.map((p) => p.typed);
    const typed = [...new Set(probes.flatMap((p) => keystrokes(p.typed)))];
    const twoChars = typed.filter((q) => q.length === 2);
    const search = (q: string) => index.search(q);
    const records = index.allRecords();
    const fuse = fuseOver(records);
    const like = likeScan(currentFile(referentialDir(dataDir), 'drugs')!);
    const fts = naiveFts(records);

    const result: BenchRow[] = [
      { name: `drugs: import full release (${label})`, unit: 'ms', samples: importSamples },
      { name: `drugs: open referential + load search index (${label})`, unit: 'ms', samples: [loadMs] },
      { name: 'drugs: search, whole queries', unit: 'ms', samples: perQuery(whole, 200, search), baseline: 'drugs: Fuse.js, whole queries' },
      { name: 'drugs: search, every keystroke', unit: 'ms', samples: perQuery(typed, 100, search), baseline: 'drugs: Fuse.js, every keystroke' },
      { name: 'drugs: search, 2-character prefixes', unit: 'ms', samples: perQuery(twoChars, 200, search), baseline: 'drugs: Fuse.js, 2-character prefixes' },
      { name: 'drugs: search, whole queries (vs LIKE)', unit: 'ms', samples: perQuery(whole, 200, search), baseline: 'drugs: LIKE scan, whole queries' },
      { name: 'drugs: search, every keystroke (vs LIKE)', unit: 'ms', samples: perQuery(typed, 20, search), baseline: 'drugs: LIKE scan, every keystroke' },
      // Relevance as rows, so the table and --json show it: the name carries the hit rate, the
      // samples are the searches that measured it.
      {
        name: `drugs: relevance, whole queries, top-10 hit rate ${relevant.wholeHits}/${relevant.total}`,
        unit: 'ms',
        samples: perQuery(whole, 20, search),
      },
      {
        name: `drugs: relevance, in top 10 before the query is complete ${relevant.earlyHits}/${relevant.total}`,
        unit: 'ms',
        samples: perQuery(typed, 5, search),
      },
      { name: 'drugs: LIKE scan, whole queries', unit: 'ms', samples: perQuery(whole, 5, like.run) },
      { name: 'drugs: LIKE scan, every keystroke', unit: 'ms', samples: perQuery(typed, 3, like.run) },
      { name: 'drugs: naive FTS5 prefix, every keystroke', unit: 'ms', samples: perQuery(typed, 5, fts.run) },
      { name: 'drugs: Fuse.js, whole queries', unit: 'ms', samples: perQuery(whole, 2, fuse) },
      { name: 'drugs: Fuse.js, every keystroke', unit: 'ms', samples: perQuery(typed, 1, fuse) },
      { name: 'drugs: Fuse.js, 2-character prefixes', unit: 'ms', samples: perQuery(twoChars, 2, fuse) },
    ];
    like.close();
    fts.close();
    drugs.close();
    const keystroke = result[3]!.samples;
    process.stderr.write(`drugs bench: ${typed.length} keystrokes, search p99 ${percentile(keystroke, 99).toFixed(3)} ms\n`);
    return result;
  } finally {
    tmp.remove();
  }
}
