/**
 * The drug search, in memory. A GP types "am", "amo", "amox"… and every keystroke must answer
 * well under a millisecond with the right drug on screen (an FTS5 prefix query on two letters
 * walks thousands of postings, ~20 ms). So:
 *
 * - Specialties are numbered once in display order: groups with a marketed brand first, then
 *   the substances with the most marketed brands (a fair proxy for what GPs prescribe: the
 *   common drugs are the ones with many generics), then the fullest groups, DCI label, name.
 *   Posting lists are therefore already ranked, and groups are contiguous runs.
 * - Two prefix indexes: "primary" words (the brand's first word, the DCI substances, CIS and
 *   pack codes) and every word. Results whose first query word starts a primary word come first:
 *   "am" means amoxicilline or amlodipine before a fentanyl "ampoule".
 * - Query words are terms (search-words.ts): plain words by prefix, numbers and strengths as whole
 *   terms. Other query words filter the candidates of the most selective one with an `includes` on
 *   the candidate's word string.
 * - Every match is counted, so the GP is told how many groups there are and can see them all a
 *   page at a time; the items of the groups shown are read from the matches kept on the way.
 *
 * Pure TypeScript, no I/O: built from rows the referential file provides.
 */
import { FIRST_PAGE_GROUPS } from '../../shared/domain/drugs';
import { PrefixIndex, type Postings, type StoredPrefixIndex } from './prefix-index';
import { indexTerms, queryTerms, type QueryTerm, type TermMatch } from './search-words';

export interface IndexRecord {
  cis: string;
  name: string;
  form: string;
  dciLabel: string;
  substances: readonly string[];
  substanceKey: string;
  marketed: boolean;
  flags: number;
  genericType: number | null;
  /** Space-separated terms: name, DCI label, CIS, CIP13 and CIP7 codes. */
  searchWords: string;
  /** Space-separated terms that rank first: the brand's first word, the DCI substances, codes. */
  primaryWords: string;
}

/** The two term lists of a specialty, computed once at import time (normalising is the slow part). */
export function wordsOf(s: { cis: string; name: string; dciLabel: string; substances: readonly string[]; packCodes: readonly string[] }): {
  searchWords: string;
  primaryWords: string;
} {
  const nameTerms = indexTerms(s.name);
  const codes = [s.cis, ...s.packCodes];
  const all = new Set([...nameTerms, ...indexTerms(s.dciLabel), ...codes]);
  const primary = new Set([...nameTerms.slice(0, 1), ...s.substances.flatMap(indexTerms), ...codes]);
  return { searchWords: [...all].join(' '), primaryWords: [...primary].join(' ') };
}

export interface SearchHitGroup {
  /** Names the group in a later call (`group` option): the DCI label, or the CIS of a specialty without composition. */
  key: string;
  dciLabel: string;
  substances: readonly string[];
  /** Records, best first, at most `perGroup`. */
  records: { record: IndexRecord; matchedCode: string | null }[];
  /** Matching records in the group. */
  total: number;
}

export interface SearchHits {
  /** The groups asked for (`offset`, `limit`), best first. */
  groups: SearchHitGroup[];
  /** Every group that matches. */
  totalGroups: number;
}

export interface StoredSearchIndex {
  full: StoredPrefixIndex;
  primary: StoredPrefixIndex;
}

export interface SearchOptions {
  /** Groups to return (default 10), after skipping `offset` of them. */
  limit?: number | undefined;
  offset?: number | undefined;
  perGroup?: number | undefined;
  /** Only this group (a `key`), with all its matching records (`perGroup` defaults to GROUP_MAX). */
  group?: string | undefined;
}

/** Groups of the first page: the order of every later page depends on it, so it does not vary. */
export const FIRST_PAGE = FIRST_PAGE_GROUPS;
/** The most records a whole group returns. */
export const GROUP_MAX = 1000;
const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });
/** Groups per substance on the first page before other substances get a turn (see `search`). */
const SUBSTANCE_CAP = 3;

/** Specialties without composition are their own group. */
const groupKeyOf = (r: Pick<IndexRecord, 'cis' | 'dciLabel' | 'substanceKey'>) => (r.substanceKey === '' ? `cis:${r.cis}` : r.dciLabel);
const substanceOf = (r: Pick<IndexRecord, 'cis' | 'substanceKey'>) => (r.substanceKey === '' ? `cis:${r.cis}` : r.substanceKey);

/** What the search keeps per record besides the record: its group and its word strings. */
interface Derived {
  groupOf: Int32Array;
  groupKeys: string[];
  /** Per group, a number for its substance (the first page's cap). */
  groupSubstance: Int32Array;
  /** " word word … " per record, so a filter is one `includes(" " + prefix)`. */
  fullText: string[];
  primaryText: string[];
}

/**
 * Builds an index from records in rank order, a chunk at a time, so that the thread that will
 * search never does more than a few milliseconds of it at once (the records arrive in chunks from
 * a thread that reads the referential file: drugs/index-loader.ts).
 */
export class DrugIndexBuilder {
  private readonly records: IndexRecord[] = [];
  private readonly groupOf: number[] = [];
  private readonly fullText: string[] = [];
  private readonly primaryText: string[] = [];
  private readonly groupIds = new Map<string, number>();
  private readonly groupSubstance: number[] = [];
  private readonly substanceIds = new Map<string, number>();

  add(chunk: readonly IndexRecord[]): this {
    for (const r of chunk) {
      const key = groupKeyOf(r);
      let id = this.groupIds.get(key);
      if (id === undefined) {
        this.groupIds.set(key, (id = this.groupIds.size));
        const substance = substanceOf(r);
        let sid = this.substanceIds.get(substance);
        if (sid === undefined) this.substanceIds.set(substance, (sid = this.substanceIds.size));
        this.groupSubstance.push(sid);
      }
      this.records.push(r);
      this.groupOf.push(id);
      this.fullText.push(` ${r.searchWords} `);
      this.primaryText.push(` ${r.primaryWords} `);
    }
    return this;
  }

  get size(): number {
    return this.records.length;
  }

  /** With the prefix indexes the referential file stored at import. */
  finish(stored: StoredSearchIndex): DrugSearchIndex {
    return new DrugSearchIndex(this.records, this.derived(), { full: PrefixIndex.fromStored(stored.full), primary: PrefixIndex.fromStored(stored.primary) });
  }

  /** Builds the prefix indexes too (at import, in tests): much slower than `finish`. */
  finishBuilding(): DrugSearchIndex {
    const split = (text: string) => [...new Set(text.split(' ').filter((w) => w !== ''))];
    return new DrugSearchIndex(this.records, this.derived(), {
      full: PrefixIndex.build(this.records.map((r) => split(r.searchWords))),
      primary: PrefixIndex.build(this.records.map((r) => split(r.primaryWords))),
    });
  }

  private derived(): Derived {
    return {
      groupOf: Int32Array.from(this.groupOf),
      groupKeys: [...this.groupIds.keys()],
      groupSubstance: Int32Array.from(this.groupSubstance),
      fullText: this.fullText,
      primaryText: this.primaryText,
    };
  }
}

/** A query word ready to scan: where its candidates are and how a candidate is checked. */
interface Matcher {
  lookup(index: PrefixIndex): Postings;
  test(text: string): boolean;
}

function matcherOf(matches: readonly TermMatch[]): Matcher | undefined {
  if (matches.length === 0) return undefined;
  const needles = matches.map((m) => (m.exact ? ` ${m.term} ` : ` ${m.term}`));
  return {
    lookup: (index) => unionPostings(matches.map((m) => (m.exact ? index.lookupExact(m.term) : index.lookup(m.term)))),
    test: needles.length === 1 ? (text) => text.includes(needles[0]!) : (text) => needles.some((n) => text.includes(n)),
  };
}

/** Documents of several ranked lists, ranked, once each (small lists: read whole). */
function unionPostings(lists: Postings[]): Postings {
  const present = lists.filter((l) => l.size > 0);
  if (present.length <= 1) return present[0] ?? lists[0]!;
  const docs: number[] = [];
  for (const list of present) list.forEach((doc) => docs.push(doc) > 0);
  const sorted = Int32Array.from(docs).sort();
  return {
    size: sorted.length,
    forEach(visit) {
      let last = -1;
      for (let i = 0; i < sorted.length; i++) {
        const doc = sorted[i]!;
        if (doc === last) continue;
        last = doc;
        if (!visit(doc)) return;
      }
    },
  };
}

export class DrugSearchIndex {
  readonly size: number;
  private readonly records: IndexRecord[];
  private readonly groupOf: Int32Array;
  private readonly groupKeys: string[];
  private readonly groupIds: Map<string, number>;
  private readonly groupSubstance: Int32Array;
  private readonly fullText: string[];
  private readonly primaryText: string[];
  private readonly full: PrefixIndex;
  private readonly primary: PrefixIndex;
  // Scratch space reused by every search (one search at a time: searching is synchronous).
  private stamp = 0;
  private readonly docStamp: Uint32Array;
  private readonly groupStamp: Uint32Array;
  private readonly groupTotal: Int32Array;
  /** The group's first match (its label and substances are the group's). */
  private readonly groupFirst: Int32Array;
  private readonly matched: Int32Array;

  /** Use DrugIndexBuilder, or the static helpers below. */
  constructor(records: IndexRecord[], derived: Derived, indexes: { full: PrefixIndex; primary: PrefixIndex }) {
    this.records = records;
    this.size = records.length;
    this.groupOf = derived.groupOf;
    this.groupKeys = derived.groupKeys;
    this.groupIds = new Map(derived.groupKeys.map((key, id) => [key, id]));
    this.groupSubstance = derived.groupSubstance;
    this.fullText = derived.fullText;
    this.primaryText = derived.primaryText;
    this.full = indexes.full;
    this.primary = indexes.primary;
    this.docStamp = new Uint32Array(records.length);
    this.groupStamp = new Uint32Array(derived.groupKeys.length);
    this.groupTotal = new Int32Array(derived.groupKeys.length);
    this.groupFirst = new Int32Array(derived.groupKeys.length);
    this.matched = new Int32Array(records.length);
  }

  /** Indexes records in any order (tests, benchmarks): ranks them first. */
  static build(input: readonly IndexRecord[]): DrugSearchIndex {
    return DrugSearchIndex.fromRanked(rankRecords(input));
  }

  /** Indexes records already in rank order (derive.ts ranks them at import). */
  static fromRanked(records: IndexRecord[]): DrugSearchIndex {
    return new DrugIndexBuilder().add(records).finishBuilding();
  }

  /** Records in rank order with the prefix indexes the referential file stored at import. */
  static fromStored(records: IndexRecord[], stored: StoredSearchIndex): DrugSearchIndex {
    return new DrugIndexBuilder().add(records).finish(stored);
  }

  toStored(): StoredSearchIndex {
    return { full: this.full.toStored(), primary: this.primary.toStored() };
  }

  /**
   * Results grouped by DCI label, best groups first, and how many groups match; nothing for an
   * empty query. Group order: the first page (FIRST_PAGE groups, at most SUBSTANCE_CAP per
   * substance, so "am" shows amoxicilline AND amlodipine rather than ten strengths of the first)
   * in rank order, then every other group in rank order: a later page continues the first.
   */
  search(query: string, options: SearchOptions = {}): SearchHits {
    const terms = queryTerms(query);
    if (terms.length === 0) return { groups: [], totalGroups: 0 };
    const stamp = this.nextStamp();
    const order: number[] = [];
    let count = 0;
    this.scan(terms, (doc) => {
      this.docStamp[doc] = stamp;
      this.matched[count++] = doc;
      const id = this.groupOf[doc]!;
      if (this.groupStamp[id] !== stamp) {
        this.groupStamp[id] = stamp;
        this.groupTotal[id] = 0;
        this.groupFirst[id] = doc;
        order.push(id);
      }
      this.groupTotal[id]! += 1;
    }, stamp);

    let page: number[];
    let perGroup = options.perGroup ?? 8;
    if (options.group !== undefined) {
      const id = this.groupIds.get(options.group);
      page = id !== undefined && this.groupStamp[id] === stamp ? [id] : [];
      perGroup = options.perGroup ?? GROUP_MAX;
    } else {
      const offset = options.offset ?? 0;
      page = this.ordered(order).slice(offset, offset + (options.limit ?? FIRST_PAGE));
    }

    // The records of the groups on the page, from the matches in scan order (best first).
    const slot = new Map(page.map((id, i) => [id, i]));
    const groups: SearchHitGroup[] = page.map((id) => {
      const first = this.records[this.groupFirst[id]!]!;
      return { key: this.groupKeys[id]!, dciLabel: first.dciLabel, substances: first.substances, records: [], total: this.groupTotal[id]! };
    });
    const codes = terms.flatMap((t) => (t.code === null ? [] : [t.code]));
    let missing = groups.reduce((sum, g) => sum + Math.min(perGroup, g.total), 0);
    for (let i = 0; i < count && missing > 0; i++) {
      const doc = this.matched[i]!;
      const at = slot.get(this.groupOf[doc]!);
      if (at === undefined) continue;
      const group = groups[at]!;
      if (group.records.length >= perGroup) continue;
      group.records.push({ record: this.records[doc]!, matchedCode: this.matchedCode(doc, codes) });
      missing -= 1;
    }
    return { groups, totalGroups: order.length };
  }

  /** The first page's groups (capped per substance, in rank order), then the others in rank order. */
  private ordered(order: readonly number[]): number[] {
    if (order.length <= FIRST_PAGE) return [...order];
    const lead = new Set<number>();
    const perSubstance = new Map<number, number>();
    for (const id of order) {
      if (lead.size === FIRST_PAGE) break;
      const substance = this.groupSubstance[id]!;
      const taken = perSubstance.get(substance) ?? 0;
      if (taken >= SUBSTANCE_CAP) continue;
      perSubstance.set(substance, taken + 1);
      lead.add(id);
    }
    // Room left: the capped groups fill it, in rank order.
    for (const id of order) {
      if (lead.size === FIRST_PAGE) break;
      lead.add(id);
    }
    return [...order.filter((id) => lead.has(id)), ...order.filter((id) => !lead.has(id))];
  }

  private nextStamp(): number {
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.docStamp.fill(0);
      this.groupStamp.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /**
   * Visits once, in rank order, each record matching every query term, in passes: the terms as
   * typed, then (when the last word is a number being typed) its looser form; within each, first
   * the records whose lead term is a primary word (tier 1), then the others (tier 2).
   */
  private scan(terms: readonly QueryTerm[], visit: (doc: number) => void, stamp: number): void {
    const exact = terms.map((t) => matcherOf(t.alternatives)!);
    const last = terms[terms.length - 1]!;
    const looser = matcherOf(last.looser);
    const passes = looser === undefined ? [exact] : [exact, [...exact.slice(0, -1), looser]];
    for (const matchers of passes) {
      for (const tier of [1, 2] as const) {
        const [lead, ...rest] = matchers as [Matcher, ...Matcher[]];
        const candidates = [
          { postings: lead.lookup(tier === 1 ? this.primary : this.full), matcher: lead, text: tier === 1 ? this.primaryText : this.fullText },
          ...rest.map((matcher) => ({ postings: matcher.lookup(this.full), matcher, text: this.fullText })),
        ];
        const driver = candidates.reduce((best, c) => (c.postings.size < best.postings.size ? c : best));
        if (driver.postings.size === 0) continue;
        const filters = candidates.filter((c) => c !== driver);
        const docStamp = this.docStamp;
        driver.postings.forEach((doc) => {
          if (docStamp[doc] === stamp) return true;
          for (const f of filters) if (!f.matcher.test(f.text[doc]!)) return true;
          visit(doc);
          return true;
        });
      }
    }
  }

  /** Every record in rank order (benchmarks build their baselines from the same records). */
  allRecords(): readonly IndexRecord[] {
    return this.records;
  }

  /** The pack code (CIP13 or CIP7) a digit query matched, to show which box was scanned. */
  private matchedCode(doc: number, codes: readonly string[]): string | null {
    const text = this.fullText[doc]!;
    for (const word of codes) {
      for (let at = text.indexOf(` ${word}`); at !== -1; at = text.indexOf(` ${word}`, at + 1)) {
        const code = text.slice(at + 1, text.indexOf(' ', at + 1));
        if (code.length === 7 || code.length === 13) return code;
      }
    }
    return null;
  }
}

/**
 * Display order, computed once per import: groups with a marketed brand first, then substances
 * with the most marketed brands per substance (a fair proxy for what GPs prescribe: common drugs
 * have many generics; dividing by the number of substances keeps "amox" on amoxicilline before
 * its combinations), then the fullest groups, DCI label; in a group marketed brands, the princeps
 * (the brand a GP knows), then by name.
 */
export function rankRecords<R extends Pick<IndexRecord, 'cis' | 'name' | 'dciLabel' | 'substances' | 'substanceKey' | 'marketed' | 'genericType'>>(input: readonly R[]): R[] {
  const bySubstance = new Map<string, number>();
  const byGroup = new Map<string, number>();
  for (const r of input) {
    if (!r.marketed) continue;
    bySubstance.set(r.substanceKey, (bySubstance.get(r.substanceKey) ?? 0) + 1);
    byGroup.set(groupKeyOf(r), (byGroup.get(groupKeyOf(r)) ?? 0) + 1);
  }
  const keyed = input.map((r) => ({
    r,
    group: groupKeyOf(r),
    groupWeight: byGroup.get(groupKeyOf(r)) ?? 0,
    substanceWeight: r.substanceKey === '' ? 0 : (bySubstance.get(r.substanceKey) ?? 0) / Math.max(1, r.substances.length),
  }));
  const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  keyed.sort(
    (a, b) =>
      Number(b.groupWeight > 0) - Number(a.groupWeight > 0) ||
      b.substanceWeight - a.substanceWeight ||
      byCode(a.r.substanceKey, b.r.substanceKey) ||
      b.groupWeight - a.groupWeight ||
      collator.compare(a.r.dciLabel, b.r.dciLabel) ||
      byCode(a.group, b.group) ||
      Number(b.r.marketed) - Number(a.r.marketed) ||
      Number(b.r.genericType === 0) - Number(a.r.genericType === 0) ||
      collator.compare(a.r.name, b.r.name),
  );
  return keyed.map((k) => k.r);
}
