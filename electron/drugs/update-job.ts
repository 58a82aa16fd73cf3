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
 * an audit entry of the practice database (install-audit.ts): written to a pending file before
 * the swap, appended after it; a failure to append does not fail the job (the release is live),
 * the drug service appends it at its next start.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobHandler } from '../jobs/kind';
import { downloadRelease } from './download';
import { ownerTag, referentialDir } from './files';
import { importRelease, MIN_RELEASE_COUNT, type ImportProgress } from './import';
import { dropPendingAudit, recordInstall, recordSwappedInstall, referentialInstallEntry, writePendingAudit, type InstallAudit, type PendingAudit } from './install-audit';

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
    let pending: { entry: InstallAudit; file: PendingAudit } | undefined;
    const source = input.source === 'folder' ? input.dir : input.baseUrl;
    const common = {
      sqlite: ctx.sqlite,
      now: () => ctx.now(),
      signal: ctx.signal,
      allowPartial: input.allowPartial === true,
      plausibility: { minimumCount: input.allowSmallRelease === true ? 1 : MIN_RELEASE_COUNT },
      // The entry is computed and kept on disk before the swap: a kill right after it still gets it appended.
      beforeInstall: (release: Awaited<ReturnType<typeof importRelease>>) => {
        const entry = referentialInstallEntry(release, { source, job: ctx.jobId });
        pending = { entry, file: writePendingAudit(ctx.dataDir, entry, join(referentialDir(ctx.dataDir), release.fileName)) };
      },
    };
    const imported = async (run: () => Promise<Awaited<ReturnType<typeof importRelease>>>) => {
      let release: Awaited<ReturnType<typeof importRelease>>;
      try {
        release = await run();
      } catch (error) {
        dropPendingAudit(pending?.file);
        throw error;
      }
      if (pending !== undefined) await recordSwappedInstall((entry) => recordInstall(ctx.db, entry, ctx.now()), pending.entry, pending.file);
      return release.summary;
    };
    if (input.source === 'folder') {
      ctx.progress({ phase: 'import', file: null, percent: 0 });
      return imported(() =>
        importRelease(input.dir, ctx.dataDir, {
          ...common,
          source: input.dir,
          releaseDate: input.releaseDate === null ? undefined : { date: input.releaseDate, source: 'declared' },
          onProgress: (p) => ctx.progress({ phase: 'import', file: p.file, percent: importPercent(p, 0) }),
        }),
      );
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
      return await imported(() =>
        importRelease(dir, ctx.dataDir, {
          ...common,
          source: input.baseUrl,
          releaseDate: downloaded.lastModified === null ? undefined : { date: downloaded.lastModified, source: 'server' },
          onProgress: (p) => ctx.progress({ phase: 'import', file: p.file, percent: importPercent(p, 50) }),
        }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  },
};
