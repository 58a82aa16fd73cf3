/**
 * "Mettre à jour la base des médicaments": one background job in the main process that
 * downloads the release then imports it, and whose progress the UI polls. One job at a time;
 * starting while one runs returns the running one. Errors end in the `failed` state with the
 * French message; they never escape.
 */
import { rm } from 'node:fs/promises';
import type { DrugUpdateJob, ImportSummary } from '../../shared/calls/drugs';
import { OrdoError } from '../../shared/errors';
import { createLogger } from '../log';
import { downloadRelease, type Fetch } from './download';
import type { ImportProgress } from './import';

const log = createLogger('drugs.update');

export interface UpdateDeps {
  /** Asked when each run starts: a change in Réglages applies to the next update. */
  baseUrl: () => string;
  fetch: Fetch;
  /** A fresh folder for the downloaded files (not created yet). */
  downloadDir: () => string;
  runImport(dir: string, releaseDate: string | null, source: string, onProgress: (p: ImportProgress) => void, signal: AbortSignal): Promise<ImportSummary>;
  now: () => Date;
}

export interface UpdateJob {
  start(): DrugUpdateJob;
  snapshot(): DrugUpdateJob;
  /** Resolves when the running job (if any) has ended. */
  settled(): Promise<void>;
  abort(): void;
}

const idle: DrugUpdateJob = { state: 'idle', phase: null, file: null, percent: 0, startedAt: null, finishedAt: null, error: null, summary: null };

export function createUpdateJob(deps: UpdateDeps): UpdateJob {
  let job: DrugUpdateJob = idle;
  let running: Promise<void> | undefined;
  let controller: AbortController | undefined;

  const set = (patch: Partial<DrugUpdateJob>) => {
    job = { ...job, ...patch };
  };

  async function run(signal: AbortSignal): Promise<void> {
    const dir = deps.downloadDir();
    const baseUrl = deps.baseUrl();
    try {
      const downloaded = await downloadRelease(baseUrl, dir, {
        fetch: deps.fetch,
        signal,
        onProgress: (p) => set({ phase: 'download', file: p.file, percent: Math.round(p.fraction * 50) }),
      });
      set({ phase: 'import', file: null, percent: 50 });
      const summary = await deps.runImport(
        dir,
        downloaded.lastModified,
        baseUrl,
        (p) => set({ phase: 'import', file: p.file, percent: 50 + Math.min(49, Math.round((p.bytesDone / Math.max(1, p.bytesTotal)) * 49)) }),
        signal,
      );
      set({ state: 'done', phase: null, file: null, percent: 100, finishedAt: deps.now().toISOString(), summary });
    } catch (error) {
      const failure = error instanceof OrdoError ? error : new OrdoError('IMPORT_FAILED');
      if (!(error instanceof OrdoError)) log.error('update failed', { error: error instanceof Error ? error.message : String(error) });
      set({ state: 'failed', finishedAt: deps.now().toISOString(), error: { code: failure.code, message: failure.message } });
    } finally {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  return {
    start() {
      if (job.state === 'running') return job;
      controller = new AbortController();
      job = { ...idle, state: 'running', phase: 'download', startedAt: deps.now().toISOString() };
      running = run(controller.signal).finally(() => {
        running = undefined;
      });
      return job;
    },
    snapshot: () => job,
    settled: () => running ?? Promise.resolve(),
    abort: () => controller?.abort(),
  };
}

export const downloadDirName = (now: Date) => `download-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
