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
 * - Other query words ("amox 500") filter the candidates of the most selective word with one
 *   `includes(" 500")` on the candidate's word string, and reading stops once the groups are full.
 *
 * Pure TypeScript, no I/O: built from rows the referential file provides.
 */
import { searchWords } from '../../shared/domain/drugs';
import { PrefixIndex, type StoredPrefixIndex } from './prefix-index';

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
  /** Space-separated words: name, DCI label, CIS, CIP13 and CIP7 codes. */
  searchWords: string;
  /** Space-separated words that rank first: the brand's first word, the DCI substances, codes. */
  primaryWords: string;
}

/** The two word lists of a specialty, computed once at import time (normalising is the slow part). */
export function wordsOf(s: { cis: string; name: string; dciLabel: string; substances: readonly string[]; packCodes: readonly string[] }): {
  searchWords: string;
  primaryWords: string;
} {
  const nameWords = searchWords(s.name);
  const codes = [s.cis, ...s.packCodes];
  const all = new Set([...nameWords, ...searchWords(s.dciLabel), ...codes]);
  const primary = new Set([...nameWords.slice(0, 1), ...s.substances.flatMap(searchWords), ...codes]);
  return { searchWords: [...all].join(' '), primaryWords: [...primary].join(' ') };
}

export interface SearchHitGroup {
  dciLabel: string;
  substances: readonly string[];
  /** Records, best first, at most `perGroup`. */
  records: { record: IndexRecord; matchedCode: string | null }[];
  total: number;
}

export interface StoredSearchIndex {
  full: StoredPrefixIndex;
  primary: StoredPrefixIndex;
}

export interface SearchOptions {
  groups?: number;
  perGroup?: number;
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });
/** Groups per substance before other substances get a turn (see `search`). */
const SUBSTANCE_CAP = 3;

/** Specialties without composition are their own group. */
const groupKeyOf = (r: Pick<IndexRecord, 'cis' | 'dciLabel' | 'substanceKey'>) => (r.substanceKey === '' ? `cis:${r.cis}` : r.dciLabel);

/** What the search keeps per record besides the record: its group and its word strings. */
interface Derived {
  groupOf: Int32Array;
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

  add(chunk: readonly IndexRecord[]): this {
    for (const r of chunk) {
      const key = groupKeyOf(r);
      let id = this.groupIds.get(key);
      if (id === undefined) this.groupIds.set(key, (id = this.groupIds.size));
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
    return { groupOf: Int32Array.from(this.groupOf), fullText: this.fullText, primaryText: this.primaryText };
  }
}

export class DrugSearchIndex {
  readonly size: number;
  private readonly records: IndexRecord[];
  private readonly groupOf: Int32Array;
  private readonly fullText: string[];
  private readonly primaryText: string[];
  private readonly full: PrefixIndex;
  private readonly primary: PrefixIndex;

  /** Use DrugIndexBuilder, or the static helpers below. */
  constructor(records: IndexRecord[], derived: Derived, indexes: { full: PrefixIndex; primary: PrefixIndex }) {
    this.records = records;
    this.size = records.length;
    this.groupOf = derived.groupOf;
    this.fullText = derived.fullText;
    this.primaryText = derived.primaryText;
    this.full = indexes.full;
    this.primary = indexes.primary;
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

  /** Results grouped by DCI label, best groups first; empty for an empty query. */
  search(query: string, options: SearchOptions = {}): SearchHitGroup[] {
    const maxGroups = options.groups ?? 10;
    const perGroup = options.perGroup ?? 8;
    const words = [...new Set(searchWords(query))];
    if (words.length === 0) return [];
    const codeWords = words.filter((w) => /^\d{5,13}$/.test(w));
    const shown = new Map<number, { hit: SearchHitGroup; tier: number; first: number }>();
    const add = (doc: number, tier: number, id: number) => {
      let group = shown.get(id);
      if (group === undefined) {
        const record = this.records[doc]!;
        group = { hit: { dciLabel: record.dciLabel, substances: record.substances, records: [], total: 0 }, tier, first: doc };
        shown.set(id, group);
      }
      group.hit.total += 1;
      if (group.hit.records.length < perGroup) group.hit.records.push({ record: this.records[doc]!, matchedCode: this.matchedCode(doc, codeWords) });
    };

    // First pass: at most SUBSTANCE_CAP groups per substance, so "am" shows amoxicilline AND
    // amlodipine rather than ten strengths of the first. Groups are contiguous runs in rank
    // order, so a new group once the list is full means the shown ones are complete.
    const skipped = new Set<number>();
    const perSubstance = new Map<string, number>();
    this.scan(words, (doc, tier) => {
      const id = this.groupOf[doc]!;
      if (!shown.has(id)) {
        if (skipped.has(id)) return true;
        const record = this.records[doc]!;
        const substance = record.substanceKey === '' ? `cis:${record.cis}` : record.substanceKey;
        if ((perSubstance.get(substance) ?? 0) >= SUBSTANCE_CAP) {
          skipped.add(id);
          return true;
        }
        if (shown.size === maxGroups) return false;
        perSubstance.set(substance, (perSubstance.get(substance) ?? 0) + 1);
      }
      add(doc, tier, id);
      return true;
    });
    // Room left (the first pass then read everything): the capped groups fill it, in rank order.
    if (shown.size < maxGroups && skipped.size > 0) {
      const firstPass = new Set(shown.keys());
      this.scan(words, (doc, tier) => {
        const id = this.groupOf[doc]!;
        if (firstPass.has(id) || !skipped.has(id)) return true;
        if (!shown.has(id) && shown.size === maxGroups) return false;
        add(doc, tier, id);
        return true;
      });
    }
    return [...shown.values()].sort((a, b) => a.tier - b.tier || a.first - b.first).map((g) => g.hit);
  }

  /**
   * Visits, in rank order, the records matching every query word by prefix: first those whose
   * lead word starts a primary word (tier 1), then the others (tier 2), until `visit` says stop.
   */
  private scan(words: readonly string[], visit: (doc: number, tier: 1 | 2) => boolean): void {
    const [lead, ...rest] = words as [string, ...string[]];
    const leadNeedle = ` ${lead}`;
    let going = true;
    for (const tier of [1, 2] as const) {
      const candidates = [
        { postings: (tier === 1 ? this.primary : this.full).lookup(lead), needle: leadNeedle, text: tier === 1 ? this.primaryText : this.fullText },
        ...rest.map((word) => ({ postings: this.full.lookup(word), needle: ` ${word}`, text: this.fullText })),
      ];
      const driver = candidates.reduce((best, c) => (c.postings.size < best.postings.size ? c : best));
      if (driver.postings.size === 0) continue;
      const filters = candidates.filter((c) => c !== driver);
      driver.postings.forEach((doc) => {
        if (tier === 2 && this.primaryText[doc]!.includes(leadNeedle)) return true;
        for (const f of filters) if (!f.text[doc]!.includes(f.needle)) return true;
        going = visit(doc, tier);
        return going;
      });
      if (!going) return;
    }
  }

  /** Every record in rank order (benchmarks build their baselines from the same records). */
  allRecords(): readonly IndexRecord[] {
    return this.records;
  }

  /** The pack code (CIP13 or CIP7) a digit query matched, to show which box was scanned. */
  private matchedCode(doc: number, codeWords: readonly string[]): string | null {
    const text = this.fullText[doc]!;
    for (const word of codeWords) {
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
