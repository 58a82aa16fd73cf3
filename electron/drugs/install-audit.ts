/**
 * Every install of a drug referential or of an interaction thesaurus is an entry of the audit log
 * of the practice database: where it came from (a URL, a folder, a file), what it holds, and the
 * SHA-256 of each file read, so that the base a prescription was checked against can be traced
 * to the bytes it was built from. The referential is a file of its own swapped in through its
 * pointer (files.ts), outside any transaction of ordo.db, so the entry cannot be appended in the
 * swap's transaction. The policy, the same for every install (an update job, a thesaurus, the
 * demonstration data, a rebuild): the entry is computed and written to a pending-audit file
 * (`referential/pending-audit-*.json`) before the swap where the code allows it (BDPM releases), right
 * after it otherwise; after the swap it is appended with a few retries. An install is never
 * reported failed because of its audit entry (the new referential is live): a failure is logged
 * and the pending file kept, and the drug service appends it at its next start. Each entry
 * carries an `install` id, and an entry whose id is already in the log is not appended twice.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, fsyncSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InteractionInstallReport } from '../../shared/calls/interactions';
import { appendAudit, type AuditEntry } from '../audit/audit';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import { createLogger } from '../log';
import { referentialDir } from './files';
import type { ImportedRelease } from './import';

const log = createLogger('drugs');

export type InstallAudit = AuditEntry;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The entry of a BDPM release installed (an update, `ordo import-bdpm`, the demonstration data). */
export function referentialInstallEntry(release: ImportedRelease, context: { source: string; job?: number; demo?: boolean }): InstallAudit {
  const { summary } = release;
  const imported = (file: string) => summary.files.find((f) => f.file === file)?.imported ?? 0;
  return {
    // The demonstration data is installed by Ordo itself on first use; a release by the GP.
    actor: context.demo === true ? 'ordo' : 'prescriber',
    action: 'drugs.referential.installed',
    subject: `referential:${release.fileName}`,
    details: {
      install: randomUUID(),
      source: context.source,
      ...(context.job === undefined ? {} : { job: context.job }),
      demo: context.demo === true,
      releaseDate: summary.releaseDate,
      releaseDateSource: summary.releaseDateSource,
      partial: summary.missingFiles.length > 0,
      missingFiles: summary.missingFiles,
      counts: {
        specialties: imported('CIS_bdpm.txt'),
        packs: imported('CIS_CIP_bdpm.txt'),
        compositions: imported('CIS_COMPO_bdpm.txt'),
        genericGroups: imported('CIS_GENER_bdpm.txt'),
        conditions: imported('CIS_CPD_bdpm.txt'),
        rejectedLines: summary.rejectedCount,
      },
      files: summary.files.filter((f) => f.present).map((f) => ({ file: f.file, sha256: f.sha256 ?? null, bytes: f.bytes ?? null, lines: f.lines })),
    },
  };
}

/** The entry of a referential an older Ordo installed, rebuilt from its own rows with today's rules. */
export function referentialRebuildEntry(rebuilt: { fileName: string; previous: string; source: string }): InstallAudit {
  return {
    actor: 'ordo',
    action: 'drugs.referential.rebuilt',
    subject: `referential:${rebuilt.fileName}`,
    details: { install: randomUUID(), from: rebuilt.previous, source: rebuilt.source },
  };
}

/** The entry of an interaction thesaurus installed. */
export function thesaurusInstallEntry(
  report: InteractionInstallReport,
  context: { source: string; job: number; files: { file: string; sha256: string }[]; archive?: { name: string; sha256: string } },
): InstallAudit {
  return {
    actor: 'prescriber',
    action: 'interactions.thesaurus.installed',
    subject: `thesaurus:${report.version}`,
    details: {
      install: randomUUID(),
      source: context.source,
      job: context.job,
      edition: report.edition,
      counts: { interactions: report.rules, molecules: report.molecules, classes: report.classes, rejectedLines: report.rejected.length },
      matchedAgainst: report.matchedAgainst,
      unmatchedMolecules: report.unmatchedMolecules.length,
      files: context.files,
      ...(context.archive === undefined ? {} : { archive: context.archive }),
    },
  };
}

const installIdOf = (entry: InstallAudit): string | undefined => (typeof entry.details.install === 'string' ? entry.details.install : undefined);

/** Appends the entry in a transaction of its own, unless an entry of the same install is already in the log. */
export function recordInstall(db: Db, entry: InstallAudit, now: Date): void {
  const id = installIdOf(entry);
  writeTransaction(db, () => {
    if (id !== undefined && db.prepare("SELECT 1 FROM audit_log WHERE action = ? AND json_extract(details, '$.install') = ?").get(entry.action, id) !== undefined) return;
    appendAudit(db, entry, now);
  });
}

/** `pending-audit-<install id>.json` beside the referential files. */
const PENDING_PREFIX = 'pending-audit-';
const pendingDir = (dataDir: string) => referentialDir(dataDir);

export interface PendingAudit {
  path: string;
}

/**
 * Writes the entry of an install to a pending-audit file (flushed to disk), to be appended even if
 * this process dies before it is: `file` is the referential it records, appended only if it exists.
 */
export function writePendingAudit(dataDir: string, entry: InstallAudit, file: string): PendingAudit {
  const dir = pendingDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${PENDING_PREFIX}${installIdOf(entry) ?? randomUUID()}.json`);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ file, entry })}\n`);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return { path };
}

export function dropPendingAudit(pending: PendingAudit | undefined): void {
  if (pending !== undefined) rmSync(pending.path, { force: true });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const AUDIT_ATTEMPTS = 3;

/**
 * Appends the entry of an install already swapped in, retrying a few times (the database busy),
 * then drops its pending file. A failure is logged and leaves the pending file for the next start
 * of the drug service: the install itself stands. Returns whether the entry is in the log.
 */
export async function recordSwappedInstall(append: (entry: InstallAudit) => void, entry: InstallAudit, pending: PendingAudit, retryMs = 200): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      append(entry);
      dropPendingAudit(pending);
      return true;
    } catch (error) {
      if (attempt >= AUDIT_ATTEMPTS) {
        log.error('install not recorded in the audit log yet: kept pending for the next start', { action: entry.action, error: error instanceof Error ? error.message : String(error) });
        return false;
      }
      await sleep(retryMs * attempt);
    }
  }
}

/**
 * Appends the pending entries left by installs whose audit failed or was cut short (the drug
 * service at its start). An entry whose referential file is gone is dropped: that install never
 * got swapped in (killed before), or was replaced since. Returns how many were appended.
 */
export function recordPendingAudits(dataDir: string, append: (entry: InstallAudit) => void): number {
  const dir = pendingDir(dataDir);
  if (!existsSync(dir)) return 0;
  let appended = 0;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(PENDING_PREFIX)) continue;
    const path = join(dir, name);
    if (name.endsWith('.tmp')) {
      rmSync(path, { force: true });
      continue;
    }
    if (!name.endsWith('.json')) continue;
    try {
      const { file, entry } = JSON.parse(readFileSync(path, 'utf8')) as { file: string; entry: InstallAudit };
      if (existsSync(file)) {
        append(entry);
        appended += 1;
      }
      rmSync(path, { force: true });
    } catch (error) {
      log.error('pending install audit not recorded', { file: name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return appended;
}
