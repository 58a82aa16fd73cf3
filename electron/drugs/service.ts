/**
 * The drug referential as the app uses it: the installed file opened read-only, its search index
 * built on first search, the demonstration referential imported on first use when nothing is
 * installed, and a reload whenever the installed file changes (an update here, or
 * `ordo import-bdpm` from another process while the app runs).
 */
import { join } from 'node:path';
import type { DrugDetail, DrugInteraction, DrugSearchResult, DrugStatus, ImportSummary } from '../../shared/calls/drugs';
import { ageInDays, decodeFlags, genericTypeOf, isStale } from '../../shared/domain/drugs';
import { OrdoError } from '../../shared/errors';
import type { Clock } from '../clock';
import type { Db, OpenOptions } from '../db/open';
import { createLogger } from '../log';
import { demoReferentialDir, demoReleaseDate } from './assets';
import { DEFAULT_BDPM_BASE_URL, type Fetch } from './download';
import { currentFile, pointerStamp, referentialDir } from './files';
import { importBdpm, type ImportProgress } from './import';
import { findInteractions } from './interactions';
import { importInteractions, type InteractionImportSummary } from './interactions-import';
import { openInteractions, type InteractionsHandle } from './interactions-store';
import { openReferential, readDetail, readIndexRecords, readMeta, readSubstances, type ReferentialMeta } from './referential';
import { DrugSearchIndex } from './search-index';
import { loadSearchIndex } from './search-store';
import { createUpdateJob, downloadDirName, type UpdateJob } from './update-job';

const log = createLogger('drugs');
/** How often a call looks whether another process installed a new file. */
const POINTER_CHECK_MS = 1000;

export interface DrugServiceOptions {
  dataDir: string;
  clock: Clock;
  sqlite: OpenOptions;
  /** Where releases are downloaded from, asked at each update (default: the ANSM); each file is this plus its name. */
  baseUrl?: (() => string) | undefined;
  /** How they are downloaded (default: global fetch). */
  fetch?: Fetch | undefined;
}

interface Loaded {
  file: string;
  db: Db;
  meta: ReferentialMeta;
  index: DrugSearchIndex | undefined;
}

export type DrugService = ReturnType<typeof createDrugService>;

export function createDrugService(options: DrugServiceOptions) {
  const dir = referentialDir(options.dataDir);
  const now = () => options.clock.now();
  const baseUrl = options.baseUrl ?? (() => DEFAULT_BDPM_BASE_URL);
  let loaded: Loaded | undefined;
  let stamp = '';
  let checkedAt = 0;
  let preparing: Promise<void> | undefined;
  let interactions: InteractionsHandle | undefined;
  let interactionsStamp = '';
  let closed = false;

  function close(): void {
    closed = true;
    loaded?.db.close();
    loaded = undefined;
    interactions?.db.close();
    interactions = undefined;
  }

  /** Opens the installed file if it changed; false when none is usable. */
  function loadInstalled(): boolean {
    if (closed) return false;
    stamp = pointerStamp(dir, 'drugs');
    checkedAt = Date.now();
    const file = currentFile(dir, 'drugs');
    if (loaded !== undefined && loaded.file === file) return true;
    loaded?.db.close();
    loaded = undefined;
    if (file === undefined) return false;
    try {
      const db = openReferential(file, options.sqlite);
      if (db === undefined) {
        log.warn('referential built by another version: ignored', {});
        return false;
      }
      loaded = { file, db, meta: readMeta(db), index: undefined };
      return true;
    } catch (error) {
      log.error('referential unreadable', { error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  async function installDemo(): Promise<void> {
    const demoDir = demoReferentialDir();
    if (demoDir === undefined) {
      log.warn('demonstration referential not found: no drug data', {});
      return;
    }
    const releaseDate = demoReleaseDate(demoDir);
    await importBdpm(demoDir, options.dataDir, {
      sqlite: options.sqlite,
      now,
      source: 'assets/bdpm-sample',
      demo: true,
      releaseDate: releaseDate === null ? undefined : { date: releaseDate, source: 'declared' },
    });
  }

  /** Makes sure a referential is loaded (the demo one on first use); undefined when none at all. */
  async function ready(): Promise<Loaded | undefined> {
    if (loaded !== undefined && Date.now() - checkedAt < POINTER_CHECK_MS) return loaded;
    if (loaded !== undefined && pointerStamp(dir, 'drugs') === stamp) {
      checkedAt = Date.now();
      return loaded;
    }
    if (loadInstalled()) return loaded;
    preparing ??= installDemo()
      .catch((error: unknown) => log.error('demonstration import failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        preparing = undefined;
      });
    await preparing;
    loadInstalled();
    return loaded;
  }

  function indexOf(current: Loaded): DrugSearchIndex {
    if (current.index === undefined) {
      const started = performance.now();
      const records = readIndexRecords(current.db);
      const stored = loadSearchIndex(current.db);
      current.index = stored === undefined ? DrugSearchIndex.fromRanked(records) : DrugSearchIndex.fromStored(records, stored);
      log.info('search index built', { specialties: current.index.size, ms: Math.round(performance.now() - started) });
    }
    return current.index;
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

  async function importFromDir(
    sourceDir: string,
    importOptions: { releaseDate?: string; onProgress?: (p: ImportProgress) => void; signal?: AbortSignal; source?: string } = {},
  ): Promise<ImportSummary> {
    const summary = await importBdpm(sourceDir, options.dataDir, {
      sqlite: options.sqlite,
      now,
      source: importOptions.source ?? sourceDir,
      releaseDate: importOptions.releaseDate === undefined ? undefined : { date: importOptions.releaseDate, source: 'declared' },
      onProgress: importOptions.onProgress,
      signal: importOptions.signal,
    });
    loadInstalled();
    return summary;
  }

  const job: UpdateJob = createUpdateJob({
    baseUrl,
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    downloadDir: () => join(dir, downloadDirName(now())),
    now,
    runImport: async (downloaded, releaseDate, source, onProgress, signal) => {
      const summary = await importBdpm(downloaded, options.dataDir, {
        sqlite: options.sqlite,
        now,
        source,
        releaseDate: releaseDate === null ? undefined : { date: releaseDate, source: 'server' },
        onProgress,
        signal,
      });
      loadInstalled();
      return summary;
    },
  });

  return {
    ready,
    importFromDir,
    job,

    async search(query: string, limit = 10): Promise<DrugSearchResult> {
      const current = await ready();
      if (current === undefined) return { query, groups: [], demo: false };
      const groups = indexOf(current).search(query, { groups: limit });
      return {
        query,
        demo: current.meta.demo,
        groups: groups.map((g) => ({
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
        })),
      };
    },

    /** The search index as is, for in-process benchmarks. */
    async searchIndex(): Promise<DrugSearchIndex | undefined> {
      const current = await ready();
      return current === undefined ? undefined : indexOf(current);
    },

    async get(cis: string): Promise<DrugDetail> {
      const current = await ready();
      const detail = current === undefined ? undefined : readDetail(current.db, cis);
      if (detail === undefined) throw new OrdoError('NOT_FOUND', `Aucun médicament de code CIS ${cis} dans la base.`);
      return detail;
    },

    async status(): Promise<DrugStatus> {
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
        missingFiles: meta?.summary?.missingFiles ?? [],
        rejectedCount: meta?.summary?.rejectedCount ?? 0,
        downloadUrl: baseUrl(),
        interactions: rules === undefined ? null : { version: rules.version, importedAt: rules.importedAt, rules: rules.rules },
      };
    },

    async importInteractions(sourceDir: string): Promise<InteractionImportSummary> {
      const current = await ready();
      const summary = await importInteractions(sourceDir, options.dataDir, {
        sqlite: options.sqlite,
        now,
        substances: current === undefined ? [] : readSubstances(current.db),
        matchedAgainst: current === undefined ? 'none' : current.meta.demo ? 'demo' : 'real',
      });
      interactionRules();
      return summary;
    },

    /** Thesaurus rules between substances (BDPM substance codes); empty when no thesaurus is installed. */
    async interactions(substanceCodes: readonly string[]): Promise<DrugInteraction[]> {
      const current = await ready();
      const rules = interactionRules();
      if (current === undefined || rules === undefined) return [];
      return findInteractions(rules.db, current.db, substanceCodes, rules.version);
    },

    close(): void {
      job.abort();
      close();
    },
  };
}
