/**
 * Where the drug search index lives. Loading it (14,000 specialties read and parsed, tens of MB
 * of small objects) and the garbage collections that follow would hold up the thread that answers
 * calls for hundreds of milliseconds, so in the app the index lives in a search thread of its own:
 * the service worker sends it a query and gets the groups back (a few hundred microseconds).
 * Without threads (tests, the CLI, in-process benchmarks) the same code runs inline.
 */
import { Worker } from 'node:worker_threads';
import type { DrugSearchGroup } from '../../shared/calls/drugs';
import { decodeFlags, genericTypeOf } from '../../shared/domain/drugs';
import { OrdoError, type OrdoErrorPayload } from '../../shared/errors';
import type { OpenOptions } from '../db/types';
import { createLogger } from '../log';
import { threadEntry } from '../worker/entry';
import { openReferential, readIndexRecords, readMeta, type ReferentialMeta } from './referential';
import { DrugSearchIndex, type SearchOptions } from './search-index';
import { loadSearchIndex } from './search-store';

const log = createLogger('drugs.search');

/** One page of results, as the contract returns them (the query and `demo` aside). */
export interface SearchPage {
  groups: DrugSearchGroup[];
  totalGroups: number;
}
const noResults: SearchPage = { groups: [], totalGroups: 0 };

export interface Searcher {
  /** Loads the index of `file`, replacing the one it had; resolves with the file's metadata. */
  load(file: string): Promise<ReferentialMeta>;
  search(query: string, options: SearchOptions): Promise<SearchPage>;
  /** Several queries in one go (one trip to the search thread), answers in the same order. */
  searchMany(queries: readonly string[], options: SearchOptions): Promise<SearchPage[]>;
  close(): void;
}

/** Reads a referential file's records and stored prefix indexes (rebuilt when absent). */
export function loadIndex(file: string, sqlite: OpenOptions): { index: DrugSearchIndex; meta: ReferentialMeta } {
  const db = openReferential(file, sqlite);
  if (db === undefined) throw new OrdoError('IMPORT_FAILED', 'La base des médicaments installée a été faite par une autre version d’Ordo.');
  try {
    const meta = readMeta(db);
    const records = readIndexRecords(db);
    const stored = loadSearchIndex(db);
    return { index: stored === undefined ? DrugSearchIndex.fromRanked(records) : DrugSearchIndex.fromStored(records, stored), meta };
  } finally {
    db.close();
  }
}

export function pageOf(index: DrugSearchIndex, query: string, options: SearchOptions): SearchPage {
  const hits = index.search(query, options);
  const groups = hits.groups.map((g) => ({
    key: g.key,
    dciLabel: g.dciLabel,
    substances: [...g.substances],
    total: g.total,
    items: g.records.map(({ record, matchedCode }) => ({
      cis: record.cis,
      name: record.name,
      form: record.form,
      marketed: record.marketed,
      flags: decodeFlags(record.flags),
      genericType: record.genericType === null ? null : genericTypeOf(record.genericType),
      matchedCode,
    })),
  }));
  return { groups, totalGroups: hits.totalGroups };
}

/** In the caller's thread. `index()` gives the index itself (benchmarks). */
export function inlineSearcher(sqlite: OpenOptions): Searcher & { index(): DrugSearchIndex | undefined } {
  let index: DrugSearchIndex | undefined;
  return {
    load(file) {
      try {
        const loaded = loadIndex(file, sqlite);
        index = loaded.index;
        return Promise.resolve(loaded.meta);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    search: (query, options) => Promise.resolve(index === undefined ? noResults : pageOf(index, query, options)),
    searchMany: (queries, options) => Promise.resolve(queries.map((query) => (index === undefined ? noResults : pageOf(index, query, options)))),
    index: () => index,
    close: () => {
      index = undefined;
    },
  };
}

type Request =
  | { type: 'load'; file: string }
  | { type: 'search'; query: string; options: SearchOptions }
  | { type: 'searchMany'; queries: readonly string[]; options: SearchOptions };
export type ToSearchThread = Request & { id: number };
export type FromSearchThread =
  | { type: 'loaded'; id: number; meta: ReferentialMeta }
  | { type: 'result'; id: number; page: SearchPage }
  | { type: 'results'; id: number; pages: SearchPage[] }
  | { type: 'error'; id: number; error: OrdoErrorPayload };

export interface SearchThreadData {
  role: 'search';
  sqlite: OpenOptions;
}

/** In a thread of its own, restarted (and its index reloaded) if it ever dies. */
export function threadSearcher(sqlite: OpenOptions): Searcher {
  let worker: Worker | undefined;
  let file: string | undefined;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, { resolve(message: FromSearchThread): void; reject(error: Error): void }>();

  function spawn(): Worker {
    const entry = threadEntry();
    const data: SearchThreadData = { role: 'search', sqlite };
    const started = new Worker(entry.file, { workerData: { ...entry.data, ...data } });
    started.on('message', (message: FromSearchThread) => {
      const p = pending.get(message.id);
      pending.delete(message.id);
      p?.resolve(message);
    });
    started.on('error', (error) => log.error('search thread failed', { error: error.message }));
    started.on('exit', () => {
      if (worker === started) worker = undefined;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new OrdoError('INTERNAL'));
      }
    });
    started.unref();
    return started;
  }

  async function ask(message: Request): Promise<FromSearchThread> {
    if (closed) throw new OrdoError('SERVICE_UNAVAILABLE');
    if (worker === undefined) {
      worker = spawn();
      // A restarted thread has no index: give it the current one again first.
      if (message.type !== 'load' && file !== undefined) await ask({ type: 'load', file });
    }
    const id = nextId++;
    const reply = new Promise<FromSearchThread>((resolve, reject) => pending.set(id, { resolve, reject }));
    worker.postMessage({ ...message, id });
    const answer = await reply;
    if (answer.type === 'error') throw new OrdoError(answer.error.code, answer.error.message);
    return answer;
  }

  return {
    async load(next) {
      const answer = await ask({ type: 'load', file: next });
      file = next;
      return (answer as Extract<FromSearchThread, { type: 'loaded' }>).meta;
    },
    async search(query, options) {
      if (file === undefined) return noResults;
      return ((await ask({ type: 'search', query, options })) as Extract<FromSearchThread, { type: 'result' }>).page;
    },
    async searchMany(queries, options) {
      if (file === undefined) return queries.map(() => noResults);
      return ((await ask({ type: 'searchMany', queries, options })) as Extract<FromSearchThread, { type: 'results' }>).pages;
    },
    close() {
      closed = true;
      void worker?.terminate();
      worker = undefined;
    },
  };
}
