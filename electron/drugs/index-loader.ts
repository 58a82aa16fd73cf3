/**
 * Loading the drug search index without stalling the thread that answers calls. Reading 14,000
 * specialties out of the referential file takes a few hundred milliseconds of SQLite and parsing;
 * that runs in a task thread (`readIndexTask`), which sends the records in chunks and the stored
 * prefix indexes as transferred typed arrays. The service worker only assembles them, a chunk per
 * message (`loadSearchIndexOffThread`), answering other calls in between.
 */
import type { OpenOptions } from '../db/types';
import { demoReferentialDir, demoReleaseDate } from './assets';
import { importBdpm } from './import';
import type { RunTask, TaskPost } from '../worker/tasks';
import { openReferential, readIndexRecords, readMeta, type ReferentialMeta } from './referential';
import { DrugIndexBuilder, DrugSearchIndex, type IndexRecord, type StoredSearchIndex } from './search-index';
import { loadSearchIndex } from './search-store';

const CHUNK = 500;

type IndexMessage = { records: IndexRecord[] } | { stored: StoredSearchIndex };

function buffersOf(stored: StoredSearchIndex): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const p of [stored.full, stored.primary]) for (const a of [p.start, p.postings, p.wideStart, p.wide]) buffers.add(a.buffer as ArrayBuffer);
  return [...buffers];
}

/**
 * In the task thread: the records in rank order, in chunks, then the prefix indexes; returns the
 * file's metadata. Reading the whole file here also brings it into the system's cache, so the
 * service worker then opens it without waiting on the disk.
 */
export function readIndexTask(args: { file: string; sqlite: OpenOptions }, post: TaskPost): ReferentialMeta {
  const db = openReferential(args.file, args.sqlite);
  if (db === undefined) throw new Error('referential of another format version');
  try {
    const meta = readMeta(db);
    const records = readIndexRecords(db);
    for (let i = 0; i < records.length; i += CHUNK) post({ records: records.slice(i, i + CHUNK) } satisfies IndexMessage);
    // A file without stored indexes (a big-endian machine) is indexed here, off the answering thread.
    const stored = loadSearchIndex(db) ?? DrugSearchIndex.fromRanked(records).toStored();
    post({ stored } satisfies IndexMessage, buffersOf(stored));
    return meta;
  } finally {
    db.close();
  }
}

export async function loadSearchIndexOffThread(runTask: RunTask, file: string, sqlite: OpenOptions): Promise<{ index: DrugSearchIndex; meta: ReferentialMeta }> {
  const builder = new DrugIndexBuilder();
  let stored: StoredSearchIndex | undefined;
  const meta = await runTask<ReferentialMeta>('drugs.readIndex', { file, sqlite }, (message) => {
    const m = message as IndexMessage;
    if ('records' in m) builder.add(m.records);
    else stored = m.stored;
  });
  if (stored === undefined) throw new Error('search index missing');
  return { index: builder.finish(stored), meta };
}

/** In a task thread: imports the embedded demonstration referential (first start, nothing installed). */
export async function installDemoTask(args: { dataDir: string; sqlite: OpenOptions; now: string }): Promise<boolean> {
  const demoDir = demoReferentialDir();
  if (demoDir === undefined) return false;
  const releaseDate = demoReleaseDate(demoDir);
  await importBdpm(demoDir, args.dataDir, {
    sqlite: args.sqlite,
    now: () => new Date(args.now),
    source: 'assets/bdpm-sample',
    demo: true,
    releaseDate: releaseDate === null ? undefined : { date: releaseDate, source: 'declared' },
  });
  return true;
}
