/**
 * "Mettre à jour la base des médicaments" as a durable job (kind `drugs.update`): download the
 * five BDPM files from an address, or take them from a folder (`ordo import-bdpm`), then build the
 * new referential aside and swap it in (import.ts). It runs in a thread of its own: the import's
 * last seconds (deriving every specialty, storing the search index) are long synchronous work.
 * A network failure retries with backoff; a broken release fails at once and keeps the previous
 * referential, and so does a release lacking optional files unless the GP confirmed it
 * (`allowPartial`: the job fails with NEEDS_CONFIRMATION, which Réglages offers to confirm).
 * Every release goes through the same checks against the referential it replaces. Killed
 * halfway, it leaves the old referential in use and starts over when resumed. Each install is
 * an audit entry of the practice database (install-audit.ts).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobHandler } from '../jobs/kind';
import { downloadRelease } from './download';
import { ownerTag, referentialDir } from './files';
import { importRelease, MIN_RELEASE_COUNT, type ImportProgress } from './import';
import { recordInstall, referentialInstallEntry } from './install-audit';

const downloadDirName = (now: Date) => `download-${ownerTag()}-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Download is the first half of the bar, the import the second. */
const importPercent = (p: ImportProgress, from: number) => from + Math.min(99 - from, Math.round((p.bytesDone / Math.max(1, p.bytesTotal)) * (99 - from)));

export const drugUpdateHandler: JobHandler<'drugs.update'> = {
  kind: 'drugs.update',
  maxAttempts: 5,
  recovery: 'resume',
  thread: 'own',
  retry: { baseMs: 30_000, capMs: 30 * 60_000, retryable: (error) => error.transient === true },

  async run(ctx) {
    const { input } = ctx;
    const common = {
      sqlite: ctx.sqlite,
      now: () => ctx.now(),
      signal: ctx.signal,
      allowPartial: input.allowPartial === true,
      plausibility: { minimumCount: input.allowSmallRelease === true ? 1 : MIN_RELEASE_COUNT },
    };
    const installed = (release: Awaited<ReturnType<typeof importRelease>>, source: string) => {
      recordInstall(ctx.db, referentialInstallEntry(release, { source, job: ctx.jobId }), ctx.now());
      return release.summary;
    };
    if (input.source === 'folder') {
      ctx.progress({ phase: 'import', file: null, percent: 0 });
      const release = await importRelease(input.dir, ctx.dataDir, {
        ...common,
        source: input.dir,
        releaseDate: input.releaseDate === null ? undefined : { date: input.releaseDate, source: 'declared' },
        onProgress: (p) => ctx.progress({ phase: 'import', file: p.file, percent: importPercent(p, 0) }),
      });
      return installed(release, input.dir);
    }
    const dir = join(referentialDir(ctx.dataDir), downloadDirName(ctx.now()));
    try {
      ctx.progress({ phase: 'download', file: null, percent: 0 });
      const downloaded = await downloadRelease(input.baseUrl, dir, {
        fetch: ctx.fetch,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress({ phase: 'download', file: p.file, percent: Math.round(p.fraction * 50) }),
      });
      ctx.progress({ phase: 'import', file: null, percent: 50 });
      const release = await importRelease(dir, ctx.dataDir, {
        ...common,
        source: input.baseUrl,
        releaseDate: downloaded.lastModified === null ? undefined : { date: downloaded.lastModified, source: 'server' },
        onProgress: (p) => ctx.progress({ phase: 'import', file: p.file, percent: importPercent(p, 50) }),
      });
      return installed(release, input.baseUrl);
    } finally {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  },
};
