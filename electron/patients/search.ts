/**
 * Patient search, on every keystroke. Each query shape is one statement whose plan is an index
 * range scan already in result order (asserted in test/integration/patients-search.test.ts), read
 * lazily and stopped as soon as the page is full: the cost follows the page size, not the register.
 */
import type { PatientSummary } from '../../shared/domain/patient-record';
import type { Db } from '../db/types';
import { parseQuery, type SearchQuery } from './query';
import { summaryOf, type SummaryRow } from './repository';
import { prepared } from '../db/transaction';

/** Tokens are [a-z0-9]; every token starting with p sorts in [p, p + '~'). */
const upper = (prefix: string) => `${prefix}~`;

/**
 * Words after the leading one are checked on the row the index gives, without another seek:
 * each must start a word of the sort key (which holds every name word, see search-keys.ts).
 * Tokens are [a-z0-9] only, so they carry no LIKE wildcard.
 */
const wordPattern = (word: string) => `% ${word}%`;
const andLike = (column: string, count: number) => Array.from({ length: count }, () => `AND (' ' || ${column}) LIKE ?`).join(' ');

const COLUMNS = 'p.id, p.birth_name, p.used_name, p.first_names, p.sex, p.birth_date, p.nir, p.city, p.sort_key';

/** CROSS JOIN keeps the search table as the outer loop, so its key order is the result order. */
export function wordsSql(extraWords: number): string {
  return `SELECT ${COLUMNS} FROM patient_search s CROSS JOIN patients p ON p.id = s.patient_id
    WHERE s.token >= ? AND s.token < ? ${andLike('s.sort_key', extraWords)} ORDER BY s.token, s.rank, s.sort_key`;
}

export function dateSql(words: number): string {
  return `SELECT ${COLUMNS} FROM patients p WHERE p.birth_date = ? ${andLike('p.sort_key', words)} ORDER BY p.sort_key`;
}

export const NIR_SQL = `SELECT ${COLUMNS} FROM patients p
  WHERE p.nir >= @low AND p.nir < @high AND (@birthDate IS NULL OR p.birth_date = @birthDate) ORDER BY p.nir`;

/** Distinct words counted for an estimate; a prefix spanning more is "large" whatever their sum. */
const ESTIMATE_WORDS = 64;
export const ESTIMATE_SQL = `SELECT count(*) AS words, total(n) AS rows FROM
  (SELECT n FROM patient_search_counts WHERE token >= ? AND token < ? LIMIT ${ESTIMATE_WORDS})`;

/** The word whose prefix has the fewest rows leads the scan; at equal size, the longest. */
function leadingFirst(db: Db, words: string[]): string[] {
  if (words.length < 2) return words;
  const estimate = prepared(db, ESTIMATE_SQL);
  const sized = words.map((w) => {
    const { words: distinct, rows } = estimate.get(w, upper(w)) as { words: number; rows: number };
    return { w, n: distinct >= ESTIMATE_WORDS ? Number.POSITIVE_INFINITY : rows };
  });
  sized.sort((a, b) => (a.n === b.n ? b.w.length - a.w.length : a.n - b.n));
  return sized.map((s) => s.w);
}

interface Row extends SummaryRow {
  sort_key: string;
}

/** Distinct patients from a lazily read statement, up to `wanted`. */
function firstRows(rows: IterableIterator<unknown>, wanted: number): Row[] {
  const byId = new Map<number, Row>();
  for (const row of rows as IterableIterator<Row>) {
    if (!byId.has(row.id)) byId.set(row.id, row);
    if (byId.size >= wanted) break;
  }
  return [...byId.values()];
}

function rowsFor(db: Db, query: Exclude<SearchQuery, { kind: 'none' }>, wanted: number): Row[] {
  if (query.kind === 'nir') {
    return firstRows(prepared(db, NIR_SQL).iterate({ low: query.prefix, high: upper(query.prefix), birthDate: query.birthDate }), wanted);
  }
  if (query.birthDate !== null) {
    const patterns = query.words.map(wordPattern);
    return firstRows(prepared(db, dateSql(patterns.length)).iterate(query.birthDate, ...patterns), wanted);
  }
  const [leading, ...others] = leadingFirst(db, query.words);
  if (leading === undefined) return [];
  return firstRows(prepared(db, wordsSql(others.length)).iterate(leading, upper(leading), ...others.map(wordPattern)), wanted);
}

/** How many typed words are whole words of the patient's names. */
function exactness(words: readonly string[], sortKey: string): number {
  const all = new Set(sortKey.split(' '));
  return words.filter((w) => all.has(w)).length;
}

export interface SearchResult {
  results: PatientSummary[];
  more: boolean;
}

export function searchPatients(db: Db, text: string, limit: number): SearchResult {
  const query = parseQuery(text);
  if (query.kind === 'none') return { results: [], more: false };
  const rows = rowsFor(db, query, limit + 1);
  const page = rows.slice(0, limit);
  if (query.kind === 'words' && query.words.length > 1) {
    // Scan order already puts the leading word's exact matches first; with several words, a page
    // where every word is whole ("helene lefevre") goes before partial ones. Stable sort.
    const score = new Map(page.map((r) => [r.id, exactness(query.words, r.sort_key)]));
    page.sort((a, b) => (score.get(b.id) ?? 0) - (score.get(a.id) ?? 0));
  }
  return { results: page.map(summaryOf), more: rows.length > limit };
}
