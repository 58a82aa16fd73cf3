/**
 * Every install of a drug referential or of an interaction thesaurus is an entry of the audit log
 * of the practice database: where it came from (a URL, a folder, a file), what it holds, and the
 * SHA-256 of each file read, so that the base a prescription was checked against can be traced
 * to the bytes it was built from. The referential is a file of its own swapped in through its
 * pointer (files.ts), outside any transaction of ordo.db: the entry is appended right after the
 * swap, in a transaction of its own.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { InteractionInstallReport } from '../../shared/calls/interactions';
import { appendAudit, type AuditEntry } from '../audit/audit';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import type { ImportedRelease } from './import';

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
    actor: 'prescriber',
    action: 'drugs.referential.installed',
    subject: `referential:${release.fileName}`,
    details: {
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
    details: { from: rebuilt.previous, source: rebuilt.source },
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

/** Appends the entry in a transaction of its own. */
export function recordInstall(db: Db, entry: InstallAudit, now: Date): void {
  writeTransaction(db, () => appendAudit(db, entry, now));
}
