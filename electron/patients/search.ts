/**
 * Patient search, on every keystroke. Each query shape is a chain of statements whose plans are
 * index range scans already in result order (asserted in test/integration/patients-search.test.ts),
 * read lazily and stopped as soon as the page is full: the cost follows the page (and how far the
 * GP paged on), not the register. A count of the matches comes with each page.
 *
 * Order for names: the patients one of whose names *is* the word typed come first (the name shown,
 * then the birth name behind a used name, then a word of a compound name, then a first name),
 * then those with a name that starts with it, in the same order of kinds, each group alphabetical.
 * So « martin » lists the MARTIN before « ARNAUD née MARTIN », and « ma » lists the surnames
 * MARTIN, MASSON… before the first names Maël.
 */
import type { PatientSummary } from '../../shared/domain/patient-record';
import type { Db } from '../db/types';
import { parseQuery, type SearchQuery } from './query';
import { summaryOf, type SummaryRow } from './repository';
import { afterPrefix, RANKS, searchKeysOf } from './search-keys';
import { prepared } from '../db/transaction';

/**
 * Tokens are letters (any script) and digits, folded (shared/domain/patient-search-text.ts), and
 * compared as UTF-8 bytes. Every token that is exactly w sorts in [w, w + ' ') (a space sorts
 * before any token character), every longer one starting with w in [w + ' ', w + U+10FFFF): the
 * last code point, whose UTF-8 form sorts after every other character's, Cyrillic or Chinese
 * letters included (« ~ », the bound while tokens were [a-z0-9], sorts before them).
 */
const exactRange = (word: string): [string, string] => [word, `${word} `];
const longerRange = (word: string): [string, string] => [`${word} `, afterPrefix(word)];
const prefixRange = (word: string): [string, string] => [word, afterPrefix(word)];

/**
 * Words after the leading one are checked on the row the index gives, without another seek:
 * each must start a word of the sort key (which holds every name word, see search-keys.ts).
 * Tokens are letters and digits only, so they carry no LIKE wildcard.
 */
const wordPattern = (word: string) => `% ${word}%`;
const andLike = (column: string, count: number) => Array.from({ length: count }, () => `AND (' ' || ${column}) LIKE ?`).join(' ');

const COLUMNS = 'p.id, p.birth_name, p.used_name, p.first_names, p.sex, p.birth_date, p.nir, p.city, p.sort_key';

/** One kind of word (rank) and one token range; CROSS JOIN keeps the search table as the outer loop, so its key order is the result order. */
export function wordsSql(extraWords: number): string {
  return `SELECT ${COLUMNS} FROM patient_search s CROSS JOIN patients p ON p.id = s.patient_id
    WHERE s.rank = ? AND s.token >= ? AND s.token < ? ${andLike('s.sort_key', extraWords)} ORDER BY s.rank, s.token, s.sort_key`;
}

/** How many patients have a word in the range (each patient once, whatever its kinds of match). */
export function wordsCountSql(extraWords: number): string {
  return `SELECT count(DISTINCT s.patient_id) FROM patient_search s
    WHERE s.rank IN (${RANKS.join(', ')}) AND s.token >= ? AND s.token < ? ${andLike('s.sort_key', extraWords)}`;
}

export function dateSql(words: number): string {
  return `SELECT ${COLUMNS} FROM patients p WHERE p.birth_date = ? ${andLike('p.sort_key', words)} ORDER BY p.sort_key`;
}

export function dateCountSql(words: number): string {
  return `SELECT count(*) FROM patients p WHERE p.birth_date = ? ${andLike('p.sort_key', words)}`;
}

export const NIR_SQL = `SELECT ${COLUMNS} FROM patients p
  WHERE p.nir >= @low AND p.nir < @high AND (@birthDate IS NULL OR p.birth_date = @birthDate) ORDER BY p.nir`;
export const NIR_COUNT_SQL = `SELECT count(*) FROM patients p
  WHERE p.nir >= @low AND p.nir < @high AND (@birthDate IS NULL OR p.birth_date = @birthDate)`;

/** Distinct words counted for an estimate; a prefix spanning more is "large" whatever their sum. */
const ESTIMATE_WORDS = 64;
export const ESTIMATE_SQL = `SELECT count(*) AS words, total(n) AS rows FROM
  (SELECT n FROM patient_search_counts WHERE token >= ? AND token < ? LIMIT ${ESTIMATE_WORDS})`;

/** The word whose prefix has the fewest rows leads the scan; at equal size, the longest. */
function leadingFirst(db: Db, words: string[]): string[] {
  if (words.length < 2) return words;
  const estimate = prepared(db, ESTIMATE_SQL);
  const sized = words.map((w) => {
    const { words: distinct, rows } = estimate.get(...prefixRange(w)) as { words: number; rows: number };
    return { w, n: distinct >= ESTIMATE_WORDS ? Number.POSITIVE_INFINITY : rows };
  });
  sized.sort((a, b) => (a.n === b.n ? b.w.length - a.w.length : a.n - b.n));
  return sized.map((s) => s.w);
}

interface Row extends SummaryRow {
  sort_key: string;
}

/** The patients of a lazily read chain of statements, each once, from the `offset`-th on, up to `wanted`. */
function pageOf(rows: Iterable<unknown>, offset: number, wanted: number): Row[] {
  const seen = new Set<number>();
  const page: Row[] = [];
  for (const row of rows as Iterable<Row>) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    if (seen.size <= offset) continue;
    page.push(row);
    if (page.length >= wanted) break;
  }
  return page;
}

/** Exact words first, then longer ones; within each, the kinds of word in rank order. */
function* wordRows(db: Db, leading: string, others: string[]): Generator {
  const statement = prepared(db, wordsSql(others.length));
  const patterns = others.map(wordPattern);
  for (const range of [exactRange(leading), longerRange(leading)]) {
    for (const rank of RANKS) yield* statement.iterate(rank, ...range, ...patterns);
  }
}

interface Plan {
  rows: () => Iterable<unknown>;
  count: () => number;
}

function planOf(db: Db, query: Exclude<SearchQuery, { kind: 'none' }>): Plan | null {
  if (query.kind === 'nir') {
    const params = { low: query.prefix, high: `${query.prefix}~`, birthDate: query.birthDate };
    return { rows: () => prepared(db, NIR_SQL).iterate(params), count: () => prepared(db, NIR_COUNT_SQL).pluck().get(params) as number };
  }
  if (query.birthDate !== null) {
    const params = [query.birthDate, ...query.words.map(wordPattern)];
    const n = query.words.length;
    return { rows: () => prepared(db, dateSql(n)).iterate(...params), count: () => prepared(db, dateCountSql(n)).pluck().get(...params) as number };
  }
  const [leading, ...others] = leadingFirst(db, query.words);
  if (leading === undefined) return null;
  return {
    rows: () => wordRows(db, leading, others),
    count: () => prepared(db, wordsCountSql(others.length)).pluck().get(...prefixRange(leading), ...others.map(wordPattern)) as number,
  };
}

/**
 * How well a patient matches several typed words: each word scores by its best token, a whole
 * word above a prefix, and by kind (shown name, birth name, part of a name, first name).
 */
function relevance(words: readonly string[], row: Row): number {
  const tokens = searchKeysOf({ birthName: row.birth_name, usedName: row.used_name, firstNames: row.first_names, birthDate: row.birth_date }).tokens;
  let score = 0;
  for (const word of words) {
    let best = 0;
    for (const t of tokens) {
      if (t.token === word) best = Math.max(best, 10 - t.rank);
      else if (t.token.startsWith(word)) best = Math.max(best, 4 - t.rank);
    }
    score += best;
  }
  return score;
}

export interface SearchResult {
  results: PatientSummary[];
  more: boolean;
  /** Every patient the query matches (the pages together). */
  total: number;
}

export function searchPatients(db: Db, text: string, limit: number, offset = 0): SearchResult {
  const query = parseQuery(text);
  const plan = query.kind === 'none' ? null : planOf(db, query);
  if (query.kind === 'none' || plan === null) return { results: [], more: false, total: 0 };
  const rows = pageOf(plan.rows(), offset, limit + 1);
  const page = rows.slice(0, limit);
  if (query.kind === 'words' && query.words.length > 1) {
    // Scan order follows the leading word only; with several words, the page is ordered by all of
    // them: every word whole ("helene lefevre"), and names before first names. Stable sort.
    const score = new Map(page.map((r) => [r.id, relevance(query.words, r)]));
    page.sort((a, b) => (score.get(b.id) ?? 0) - (score.get(a.id) ?? 0));
  }
  const more = rows.length > limit;
  // On a last page the count is known without counting.
  const total = !more && (offset === 0 || page.length > 0) ? offset + page.length : plan.count();
  return { results: page.map(summaryOf), more, total };
}
