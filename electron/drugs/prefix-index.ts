/**
 * Word-prefix postings over documents numbered in rank order, built so that any prefix, even one
 * letter, yields its documents best first in a few microseconds:
 *
 * - words are sorted, so a prefix is a binary-searched range of words;
 * - a short prefix covers thousands of words, so every prefix covering more than MERGE_LIMIT
 *   words gets its merged, ranked posting list precomputed at build time; any other prefix
 *   merges at most MERGE_LIMIT lists on the fly, and callers stop reading as soon as they have
 *   enough.
 */

const MERGE_LIMIT = 24;

/** Ranked document numbers for one prefix; `size` bounds how many (duplicates included). */
export interface Postings {
  size: number;
  /** Calls `visit` with each document in rank order until it returns false. */
  forEach(visit: (doc: number) => boolean): void;
}

const empty: Postings = { size: 0, forEach: () => undefined };

/** The index as flat arrays, so the referential file can store it and a load costs no rebuild. */
export interface StoredPrefixIndex {
  /** Sorted words joined by "\n". */
  terms: string;
  start: Int32Array;
  postings: Int32Array;
  /** Wide prefixes joined by "\n", their lists concatenated in `wide` from `wideStart`. */
  wideKeys: string;
  wideStart: Int32Array;
  wide: Int32Array;
}

export class PrefixIndex {
  private readonly terms: string[];
  private readonly start: Int32Array;
  private readonly postings: Int32Array;
  private readonly merged: Map<string, Int32Array>;

  private constructor(terms: string[], start: Int32Array, postings: Int32Array, merged: Map<string, Int32Array>) {
    this.terms = terms;
    this.start = start;
    this.postings = postings;
    this.merged = merged;
  }

  /** `wordsOf[doc]` lists the distinct words of document `doc`; documents are numbered in rank order. */
  static build(wordsOf: readonly (readonly string[])[]): PrefixIndex {
    const byTerm = new Map<string, number[]>();
    wordsOf.forEach((words, doc) => {
      for (const word of words) {
        const list = byTerm.get(word);
        if (list === undefined) byTerm.set(word, [doc]);
        else if (list[list.length - 1] !== doc) list.push(doc);
      }
    });
    const terms = [...byTerm.keys()].sort();
    const start = new Int32Array(terms.length + 1);
    let total = 0;
    terms.forEach((term, i) => {
      start[i] = total;
      total += byTerm.get(term)!.length;
    });
    start[terms.length] = total;
    const postings = new Int32Array(total);
    terms.forEach((term, i) => postings.set(byTerm.get(term)!, start[i]));
    return new PrefixIndex(terms, start, postings, widePrefixes(terms, start, postings, wordsOf.length));
  }

  static fromStored(stored: StoredPrefixIndex): PrefixIndex {
    const merged = new Map<string, Int32Array>();
    if (stored.wideKeys !== '') {
      stored.wideKeys.split('\n').forEach((key, i) => merged.set(key, stored.wide.subarray(stored.wideStart[i], stored.wideStart[i + 1])));
    }
    return new PrefixIndex(stored.terms === '' ? [] : stored.terms.split('\n'), stored.start, stored.postings, merged);
  }

  toStored(): StoredPrefixIndex {
    const keys = [...this.merged.keys()];
    const wideStart = new Int32Array(keys.length + 1);
    let total = 0;
    keys.forEach((key, i) => {
      wideStart[i] = total;
      total += this.merged.get(key)!.length;
    });
    wideStart[keys.length] = total;
    const wide = new Int32Array(total);
    keys.forEach((key, i) => wide.set(this.merged.get(key)!, wideStart[i]));
    return { terms: this.terms.join('\n'), start: this.start, postings: this.postings, wideKeys: keys.join('\n'), wideStart, wide };
  }

  lookup(prefix: string): Postings {
    const list = this.merged.get(prefix);
    if (list !== undefined) return listPostings(list);
    const lo = this.lowerBound(prefix);
    // U+FFFF sorts after every character a normalised word can hold.
    const hi = this.lowerBound(`${prefix}\uffff`);
    if (lo === hi) return empty;
    if (hi - lo === 1) return listPostings(this.postings.subarray(this.start[lo], this.start[hi]));
    return this.mergedPostings(lo, hi);
  }

  /** The documents holding exactly `term` (a number: « 5 » is not « 50 »). */
  lookupExact(term: string): Postings {
    const at = this.lowerBound(term);
    if (this.terms[at] !== term) return empty;
    return listPostings(this.postings.subarray(this.start[at], this.start[at + 1]));
  }

  private lowerBound(prefix: string): number {
    let lo = 0;
    let hi = this.terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.terms[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A k-way merge of at most MERGE_LIMIT ranked lists, distinct documents, lazily. */
  private mergedPostings(lo: number, hi: number): Postings {
    const { start, postings } = this;
    return {
      size: start[hi]! - start[lo]!,
      forEach(visit) {
        const cursor = start.slice(lo, hi);
        const count = hi - lo;
        let last = -1;
        for (;;) {
          let best = -1;
          let bestDoc = 0x7fffffff;
          for (let i = 0; i < count; i++) {
            const at = cursor[i]!;
            if (at < start[lo + i + 1]! && postings[at]! < bestDoc) {
              bestDoc = postings[at]!;
              best = i;
            }
          }
          if (best === -1) return;
          cursor[best]! += 1;
          if (bestDoc !== last) {
            last = bestDoc;
            if (!visit(bestDoc)) return;
          }
        }
      },
    };
  }
}

/**
 * Every prefix covering more than MERGE_LIMIT words gets its merged, ranked list. Walks the sorted
 * words like a trie: a range sharing a prefix of length `depth` splits by the character at
 * `depth`. Linear in the characters of the words; no substring built but the wide prefixes.
 */
function widePrefixes(terms: readonly string[], start: Int32Array, postings: Int32Array, documents: number): Map<string, Int32Array> {
  const merged = new Map<string, Int32Array>();
  const seen = new Uint32Array(documents);
  let stamp = 0;
  const stack: [number, number, number][] = [[0, terms.length, 0]];
  while (stack.length > 0) {
    const [lo, hi, depth] = stack.pop()!;
    let i = lo;
    while (i < hi && terms[i]!.length <= depth) i++;
    while (i < hi) {
      const code = terms[i]!.charCodeAt(depth);
      let j = i + 1;
      while (j < hi && terms[j]!.charCodeAt(depth) === code) j++;
      if (j - i > MERGE_LIMIT) {
        stamp++;
        const docs: number[] = [];
        for (let p = start[i]!; p < start[j]!; p++) {
          const doc = postings[p]!;
          if (seen[doc] !== stamp) {
            seen[doc] = stamp;
            docs.push(doc);
          }
        }
        merged.set(terms[i]!.slice(0, depth + 1), Int32Array.from(docs).sort());
        stack.push([i, j, depth + 1]);
      }
      i = j;
    }
  }
  return merged;
}

function listPostings(list: Int32Array): Postings {
  return {
    size: list.length,
    forEach(visit) {
      for (let i = 0; i < list.length; i++) if (!visit(list[i]!)) return;
    },
  };
}
