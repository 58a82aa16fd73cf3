/**
 * The drug referential as the app uses it: the installed file opened read-only, its search index
 * loaded off the answering thread (index-loader.ts) and warmed at start, the demonstration
 * referential imported on first use when nothing is installed, and a reload whenever the
 * installed file changes (an update job here, or `ordo import-bdpm` in another process).
 * Updates themselves are durable jobs (update-job.ts). At start, what killed imports and
 * downloads left behind is removed (files.ts, cleanLeftovers).
 */
import type { DrugDetail, DrugInteraction, DrugSearchResult, DrugStatus } from '../../shared/calls/drugs';
import { missingPartsOf } from '../../shared/domain/bdpm-parts';
import { ageInDays, FIRST_PAGE_GROUPS, isStale, SEARCH_AHEAD } from '../../shared/domain/drugs';
import { OrdoError } from '../../shared/errors';
import type { Clock } from '../clock';
import type { Db, OpenOptions } from '../db/types';
import { createLogger } from '../log';
import type { RunTask } from '../worker/tasks';
import { DEFAULT_BDPM_BASE_URL } from './download';
import { cleanLeftovers, currentFile, pointerStamp, referentialDir } from './files';
import { recordPendingAudits, recordSwappedInstall, writePendingAudit, type InstallAudit } from './install-audit';
import { findInteractions } from './interactions';
import { importInteractions, type InteractionImportSummary } from './interactions-import';
import { openInteractions, type InteractionsHandle } from './interactions-store';
import { needsRederive } from './rederive';
import { openReferential, readDetail, readPresence, readSubstances, type ReferentialMeta } from './referential';
import type { DrugSearchIndex, SearchOptions } from './search-index';
import { inlineSearcher, threadSearcher, type Searcher } from './searcher';

const log = createLogger('drugs');
/** How often a call looks whether another process installed a new file. */
const POINTER_CHECK_MS = 1000;
/** How often the service looks by itself (to tell the screens). */
const WATCH_MS = 2000;

export interface DrugServiceOptions {
  dataDir: string;
  clock: Clock;
  sqlite: OpenOptions;
  /** Runs one-shot work off this thread (the demonstration import), or inline. */
  runTask: RunTask;
  /** The search index in a thread of its own (the app), or in this one (tests, the CLI). */
  threads: boolean;
  /** Where releases are downloaded from, asked at each status (default: the ANSM). */
  baseUrl?: (() => string) | undefined;
  /** Told when another referential or rule set is installed. */
  onChange?: ((kind: 'drugs' | 'interactions') => void) | undefined;
  /** Records an install this service made itself (the demonstration data, a rebuild) in the audit log. */
  audit?: ((entry: InstallAudit) => void) | undefined;
}

interface Loaded {
  file: string;
  db: Db;
  meta: ReferentialMeta;
}

export type DrugService = ReturnType<typeof createDrugService>;

export function createDrugService(options: DrugServiceOptions) {
  const dir = referentialDir(options.dataDir);
  const now = () => options.clock.now();
  const baseUrl = options.baseUrl ?? (() => DEFAULT_BDPM_BASE_URL);
  let loaded: Loaded | undefined;
  /** The pointer file as last seen: '' before the first look. */
  let stamp = '';
  let checkedAt = 0;
  let switching: { file: string | undefined; done: Promise<void> } | undefined;
  let demo: Promise<void> | undefined;
  let interactions: InteractionsHandle | undefined;
  let interactionsStamp = '';
  let watcher: NodeJS.Timeout | undefined;
  let closed = false;
  const inline = options.threads ? undefined : inlineSearcher(options.sqlite);
  const searcher: Searcher = inline ?? threadSearcher(options.sqlite);

  // Nothing of this service builds yet: every leftover of a killed process goes now, not hours later.
  try {
    const removed = cleanLeftovers(dir, now(), { atStart: true });
    if (removed.length > 0) log.info('leftovers of an interrupted import removed', { files: removed.length });
  } catch (error) {
    log.warn('leftovers not removed', { error: error instanceof Error ? error.message : String(error) });
  }

  // Installs whose audit entry failed or was cut short by a kill (install-audit.ts): appended now.
  if (options.audit !== undefined) {
    try {
      const appended = recordPendingAudits(options.dataDir, options.audit);
      if (appended > 0) log.info('pending install audit entries recorded', { entries: appended });
    } catch (error) {
      log.error('pending install audit entries not recorded', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * Records an install made here (install-audit.ts): retried, and on failure kept pending for the
   * next start; the install stays either way.
   */
  async function audited(entry: InstallAudit | false): Promise<boolean> {
    if (entry === false) return false;
    const append = options.audit;
    if (append === undefined) return true;
    try {
      const pending = writePendingAudit(options.dataDir, entry, currentFile(dir, 'drugs') ?? '');
      await recordSwappedInstall(append, entry, pending);
    } catch (error) {
      log.error('install not recorded in the audit log', { action: entry.action, error: error instanceof Error ? error.message : String(error) });
    }
    return true;
  }

  /**
   * Makes `loaded` the installed file: its index and metadata read off this thread first, then
   * the file opened here and swapped in. Calls meanwhile keep the previous one, or wait when there
   * is none.
   */
  async function switchTo(file: string | undefined, seen: string): Promise<void> {
    const previous = loaded;
    try {
      if (file === undefined) {
        loaded = undefined;
      } else {
        const started = performance.now();
        // The search thread reads the whole file first: opened here after it, it is in the system's cache.
        const meta = await searcher.load(file);
        if (closed) return;
        const db = openReferential(file, options.sqlite);
        if (db === undefined) throw new Error('referential of another format version');
        loaded = { file, db, meta };
        log.info('referential loaded', { specialties: meta.counts.specialties, ms: Math.round(performance.now() - started) });
      }
      stamp = seen;
      if (previous !== undefined && previous !== loaded) {
        previous.db.close();
        options.onChange?.('drugs');
      }
    } catch (error) {
      // Unusable (another format version, a damaged file): keep what was loaded.
      stamp = seen;
      log.error('referential unreadable: ignored', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  let upgrading: Promise<void> | undefined;
  /**
   * An installed file an older Ordo built is rebuilt from its rows with today's rules, once, off
   * this thread; a failure is logged and the file then reads as unusable (the demo replaces it).
   */
  function upgrade(file: string): Promise<void> {
    upgrading ??= options
      .runTask<InstallAudit | false>('drugs.rederive', { file, dataDir: options.dataDir, sqlite: options.sqlite, now: now().toISOString() })
      .then(
        async (entry) => {
          await audited(entry);
        },
        (error: unknown) => log.error('referential rebuild failed', { error: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        upgrading = undefined;
      });
    return upgrading;
  }

  /** Brings `loaded` in line with the pointer file. */
  async function refresh(): Promise<void> {
    if (closed) return;
    checkedAt = Date.now();
    let seen = pointerStamp(dir, 'drugs');
    if (seen === stamp && switching === undefined) return;
    let file = currentFile(dir, 'drugs');
    if (file !== undefined && file !== loaded?.file && needsRederive(file, options.sqlite)) {
      await upgrade(file);
      seen = pointerStamp(dir, 'drugs');
      file = currentFile(dir, 'drugs');
    }
    if (file !== undefined && file === loaded?.file) {
      stamp = seen;
      return;
    }
    if (switching === undefined || switching.file !== file) {
      const next = { file, done: switchTo(file, seen).finally(() => {
        if (switching === next) switching = undefined;
      }) };
      switching = next;
    }
    await switching.done;
  }

  /** Makes sure a referential is loaded (the demo one on first use); undefined when none at all. */
  async function ready(): Promise<Loaded | undefined> {
    if (loaded !== undefined && switching === undefined && Date.now() - checkedAt < POINTER_CHECK_MS) return loaded;
    await refresh();
    if (loaded !== undefined || closed) return loaded;
    demo ??= options
      .runTask<InstallAudit | false>('drugs.installDemo', { dataDir: options.dataDir, sqlite: options.sqlite, now: now().toISOString() })
      .then(async (entry) => {
        if (!(await audited(entry))) log.warn('demonstration referential not found: no drug data', {});
      })
      .catch((error: unknown) => log.error('demonstration import failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        demo = undefined;
      });
    await demo;
    await refresh();
    return loaded;
  }

  function interactionRules(): InteractionsHandle | undefined {
    if (closed) return undefined;
    const current = pointerStamp(dir, 'interactions');
    if (current !== interactionsStamp) {
      interactionsStamp = current;
      interactions?.db.close();
      interactions = openInteractions(dir, options.sqlite);
    }
    return interactions;
  }

  /** Looks whether the installed files changed (here or in another process); tells `onChange`. */
  function look(): void {
    if (closed || stamp === '') return;
    if (pointerStamp(dir, 'drugs') !== stamp) void refresh();
    if (pointerStamp(dir, 'interactions') !== interactionsStamp) {
      interactionRules();
      options.onChange?.('interactions');
    }
  }

  /** A page of groups (`limit` from `offset`), or one group whole (`group`): search-index.ts. */
  async function search(query: string, options: SearchOptions = {}): Promise<DrugSearchResult> {
    const offset = options.group === undefined ? (options.offset ?? 0) : 0;
    const current = await ready();
    if (current === undefined) return { query, groups: [], totalGroups: 0, offset, demo: false };
    return { query, offset, demo: current.meta.demo, ...(await searcher.search(query, options)) };
  }

  /** The first page for `query` + each character of SEARCH_AHEAD, in one trip to the search thread. */
  async function searchAhead(query: string): Promise<{ query: string; answers: DrugSearchResult[] }> {
    const queries = SEARCH_AHEAD.map((c) => `${query}${c}`);
    const current = await ready();
    if (current === undefined) return { query, answers: queries.map((q) => ({ query: q, groups: [], totalGroups: 0, offset: 0, demo: false })) };
    const pages = await searcher.searchMany(queries, { limit: FIRST_PAGE_GROUPS });
    return { query, answers: pages.map((page, i) => ({ query: queries[i]!, offset: 0, demo: current.meta.demo, ...page })) };
  }

  async function get(cis: string): Promise<DrugDetail> {
    const current = await ready();
    const detail = current === undefined ? undefined : readDetail(current.db, cis, missingPartsOf(current.meta.missingFiles));
    if (detail === undefined) throw new OrdoError('NOT_FOUND', `Aucun médicament de code CIS ${cis} dans la base.`);
    return detail;
  }

  /** What today's referential says of each CIS (a renewal, an old draft reopened): one indexed read each. */
  async function presence(cis: readonly string[]): Promise<{ present: boolean; marketed: boolean }[]> {
    const current = await ready();
    return cis.map((c) => (current === undefined ? { present: false, marketed: false } : readPresence(current.db, c)));
  }

  async function status(): Promise<DrugStatus> {
    const current = await ready();
    const rules = interactionRules();
    const meta = current?.meta;
    const releaseDate = meta?.releaseDate ?? null;
    const dateForAge = releaseDate ?? meta?.importedAt.slice(0, 10) ?? null;
    return {
      state: meta === undefined ? 'none' : meta.demo ? 'demo' : 'real',
      releaseDate,
      releaseDateSource: meta?.releaseDateSource ?? null,
      importedAt: meta?.importedAt ?? null,
      ageDays: ageInDays(dateForAge, now()),
      stale: meta === undefined || isStale(dateForAge, now()),
      source: meta?.source ?? null,
      counts: meta?.counts ?? { specialties: 0, packs: 0, compositions: 0 },
      missingFiles: meta?.missingFiles ?? [],
      missingParts: missingPartsOf(meta?.missingFiles ?? []),
      rejectedCount: meta?.summary?.rejectedCount ?? 0,
      downloadUrl: baseUrl(),
      interactions: rules === undefined ? null : { version: rules.version, importedAt: rules.importedAt, rules: rules.rules },
    };
  }

  return {
    ready,
    search,
    searchAhead,
    get,
    presence,
    status,

    /** The search index as is, for in-process benchmarks (without threads only). */
    async searchIndex(): Promise<DrugSearchIndex | undefined> {
      await ready();
      return inline?.index();
    },

    /** Loads the referential and its index now rather than at the first search; then watches for new files. */
    warmUp(): void {
      void ready().catch(() => undefined);
      interactionRules();
      watcher ??= setInterval(look, WATCH_MS);
      watcher.unref();
    },

    /** An update job installed a new file: switch to it now rather than at the next look. */
    installed(): Promise<void> {
      return refresh();
    },

    async importInteractions(sourceDir: string): Promise<InteractionImportSummary> {
      const current = await ready();
      const summary = await importInteractions(sourceDir, options.dataDir, {
        sqlite: options.sqlite,
        now,
        substances: current === undefined ? [] : readSubstances(current.db),
        matchedAgainst: current === undefined ? 'none' : current.meta.demo ? 'demo' : 'real',
      });
      look();
      return summary;
    },

    /** The installed interaction thesaurus, or undefined. */
    rules: interactionRules,

    /** Thesaurus rules between substances (BDPM substance codes); empty when no thesaurus is installed. */
    async interactions(substanceCodes: readonly string[]): Promise<DrugInteraction[]> {
      const current = await ready();
      const rules = interactionRules();
      if (current === undefined || rules === undefined) return [];
      return findInteractions(rules.db, current.db, substanceCodes, rules.version);
    },

    close(): void {
      closed = true;
      clearInterval(watcher);
      searcher.close();
      loaded?.db.close();
      loaded = undefined;
      interactions?.db.close();
      interactions = undefined;
    },
  };
}
