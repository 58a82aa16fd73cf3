/**
 * « Installer le thésaurus des interactions » as a durable job (kind `interactions.install`),
 * from Réglages or `ordo import-interactions`: the tables read from a folder or a zip, a new rule
 * set built aside and swapped in (interactions-import.ts), the names matched against the drug
 * referential in use. A file that is not the thesaurus fails the job at once with a French
 * reason; cancelled or killed halfway, the previous thesaurus stays installed (a resumed job
 * starts over: there is nothing to keep of half a build). Each install is an audit entry with
 * its source, counts and the SHA-256 of each table (and of the zip it came in), appended after
 * the swap with retries; a failure leaves it pending for the next start of the drug service
 * (install-audit.ts), never fails the install. The tables are hashed before and after the import
 * reads them: a table that changed meanwhile is refused (the hashes would not be of what was read).
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readPayload } from '../jobs/repository';
import { JobStopped, type JobHandler } from '../jobs/kind';
import type { OpenOptions } from '../db/types';
import { currentFile, referentialDir } from './files';
import { thesaurusSource } from './interactions-archive';
import { importInteractions, interactionFiles } from './interactions-import';
import { OrdoError } from '../../shared/errors';
import { recordInstall, recordSwappedInstall, sha256File, thesaurusInstallEntry, writePendingAudit } from './install-audit';
import { openReferential, readMeta, readSubstances } from './referential';

/** The substances of the drug referential in use, to match the thesaurus' names against. */
function referentialSubstances(dataDir: string, sqlite: OpenOptions): { substances: { code: string; name: string }[]; matchedAgainst: 'demo' | 'real' | 'none' } {
  const file = currentFile(referentialDir(dataDir), 'drugs');
  const db = file === undefined ? undefined : openReferential(file, sqlite);
  if (db === undefined) return { substances: [], matchedAgainst: 'none' };
  try {
    return { substances: readSubstances(db), matchedAgainst: readMeta(db).demo ? 'demo' : 'real' };
  } finally {
    db.close();
  }
}

/** The zip the tables came in (sent by the window, or a path to one), with its SHA-256. */
async function archiveOf(input: { source: 'upload'; fileName: string } | { source: 'path'; path: string }, upload: Uint8Array | undefined): Promise<{ name: string; sha256: string } | undefined> {
  if (input.source === 'upload') return upload === undefined ? undefined : { name: input.fileName, sha256: createHash('sha256').update(upload).digest('hex') };
  const info = await stat(input.path).catch(() => undefined);
  if (info === undefined || !info.isFile() || (Object.values(interactionFiles) as string[]).includes(basename(input.path))) return undefined;
  return { name: basename(input.path), sha256: await sha256File(input.path) };
}

/** SHA-256 of each table of the thesaurus present in `dir`. */
async function hashTables(dir: string): Promise<{ file: string; sha256: string }[]> {
  const files: { file: string; sha256: string }[] = [];
  for (const file of Object.values(interactionFiles)) {
    const sha256 = await sha256File(join(dir, file)).catch(() => undefined);
    if (sha256 !== undefined) files.push({ file, sha256 });
  }
  return files;
}

/** Reading is the first tenth of the bar, the rules up to 95 %, the matching the rest. */
const READ_END = 10;
const RULES_END = 95;

export const interactionInstallHandler: JobHandler<'interactions.install'> = {
  kind: 'interactions.install',
  maxAttempts: 3,
  recovery: 'resume',
  thread: 'own',

  async run(ctx) {
    ctx.progress({ phase: 'reading', done: 0, total: 0, percent: 0 });
    const upload = ctx.input.source === 'upload' ? readPayload(ctx.db, ctx.jobId, 'file') : undefined;
    const source = await thesaurusSource(ctx.input, upload);
    try {
      ctx.progress({ phase: 'reading', done: 0, total: 0, percent: READ_END });
      const { substances, matchedAgainst } = referentialSubstances(ctx.dataDir, ctx.sqlite);
      const archive = await archiveOf(ctx.input, upload);
      // The import reads the tables through a parser of its own: they are hashed before and after it, and must not differ.
      const files = await hashTables(source.dir);
      const report = await importInteractions(source.dir, ctx.dataDir, {
        sqlite: ctx.sqlite,
        now: () => ctx.now(),
        substances,
        matchedAgainst,
        sourceName: source.sourceName,
        signal: ctx.signal,
        beforeInstall: async () => {
          const after = await hashTables(source.dir);
          if (JSON.stringify(after) !== JSON.stringify(files)) {
            throw new OrdoError('IMPORT_FAILED', 'Les fichiers du thésaurus ont changé pendant leur lecture : installation refusée, le thésaurus précédent est conservé. Relancez-la quand la copie des fichiers est terminée.');
          }
        },
        onProgress: (p) => {
          const fraction = p.done / Math.max(1, p.total);
          const percent = p.phase === 'rules' ? READ_END + fraction * (RULES_END - READ_END) : RULES_END + fraction * (100 - RULES_END);
          ctx.progress({ phase: p.phase, done: p.done, total: p.total, percent: Math.min(100, Math.round(percent)) });
        },
      });
      const from = ctx.input.source === 'upload' ? ctx.input.fileName : ctx.input.path;
      const entry = thesaurusInstallEntry(report, { source: from, job: ctx.jobId, files, ...(archive === undefined ? {} : { archive }) });
      const installed = currentFile(referentialDir(ctx.dataDir), 'interactions');
      const pending = writePendingAudit(ctx.dataDir, entry, installed ?? '');
      await recordSwappedInstall((e) => recordInstall(ctx.db, e, ctx.now()), entry, pending);
      return report;
    } catch (error) {
      if (ctx.signal.aborted) throw new JobStopped('Installation annulée : le thésaurus précédent est conservé.');
      throw error;
    } finally {
      await source.cleanup();
    }
  },
};
