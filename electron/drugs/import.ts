/**
 * Imports a BDPM release (a folder holding the five text files) into a new referential file,
 * then installs it atomically. Streaming: lines are read, checked and inserted chunk by chunk,
 * so memory stays flat and the event loop keeps turning (the UI polls progress meanwhile).
 * A line with too few columns or a malformed code is rejected with file, line and reason; the
 * rest of the file still imports. Anything else that goes wrong deletes the new file and leaves
 * the current referential as it was.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportSummary } from '../../shared/calls/drugs';
import type { ReleaseDateSource } from '../../shared/domain/release-date';
import { OrdoError } from '../../shared/errors';
import type { Db, OpenOptions } from '../db/types';
import { createLogger } from '../log';
import { bdpmFileNames, isBlank, parseLine, requiredFiles, type BdpmFileName, type RowOf } from './bdpm-files';
import { deriveSpecialties } from './derive';
import { buildAndInstall } from './files';
import { openLines } from './lines';
import { REFERENTIAL_VERSION, referentialSchema } from './schema';

const log = createLogger('drugs.import');
const MAX_REPORTED_REJECTIONS = 200;

export interface ImportProgress {
  file: BdpmFileName;
  /** Bytes read over all present files, for one progress bar. */
  bytesDone: number;
  bytesTotal: number;
}

export interface ImportOptions {
  sqlite: OpenOptions;
  now: () => Date;
  /** Where the files came from (a folder or a URL), shown in the status. */
  source: string;
  demo?: boolean;
  /** When known better than "the newest date in the files" (a declared date, HTTP Last-Modified). */
  releaseDate?: { date: string; source: 'declared' | 'server' } | undefined;
  onProgress?: ((progress: ImportProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** Finds the five files in `dir`, ignoring case (a release unzipped on Windows may differ). */
function locateFiles(dir: string): Map<BdpmFileName, string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new OrdoError('IMPORT_FAILED', `Le dossier « ${dir} » est introuvable ou illisible.`);
  }
  const found = new Map<BdpmFileName, string>();
  for (const wanted of bdpmFileNames) {
    const name = names.find((n) => n.toLowerCase() === wanted.toLowerCase());
    if (name !== undefined && statSync(join(dir, name)).isFile()) found.set(wanted, join(dir, name));
  }
  return found;
}

type Inserter = { [F in BdpmFileName]: (row: RowOf<F>) => boolean };

/** Returns false when the row duplicates a key already imported. */
function inserters(db: Db): Inserter {
  const specialty = db.prepare(
    `INSERT OR IGNORE INTO specialty (cis, name, form, routes, authorization_status, procedure, marketing_status, marketed,
       authorization_date, bdm_status, eu_number, holders, enhanced_monitoring)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const pack = db.prepare(
    `INSERT OR IGNORE INTO pack (cip13, cip7, cis, label, administrative_status, marketing_status, declaration_date, collectivities,
       reimbursement_rate, price_cents, price_with_fee_cents, fee_cents, indications)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const composition = db.prepare(
    `INSERT INTO composition (cis, element, substance_code, substance_name, strength, strength_reference, nature, link_number)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const generic = db.prepare('INSERT INTO generic_group (group_id, label, cis, type, sort_order) VALUES (?, ?, ?, ?, ?)');
  const condition = db.prepare('INSERT INTO prescribing_condition (cis, condition) VALUES (?, ?)');
  const bool = (value: boolean | null) => (value === null ? null : value ? 1 : 0);
  return {
    'CIS_bdpm.txt': (r) =>
      specialty.run(r.cis, r.name, r.form, JSON.stringify(r.routes), r.authorizationStatus, r.procedure, r.marketingStatus, bool(r.marketed),
        r.authorizationDate, r.bdmStatus, r.euNumber, JSON.stringify(r.holders), bool(r.enhancedMonitoring)).changes === 1,
    'CIS_CIP_bdpm.txt': (r) =>
      pack.run(r.cip13, r.cip7, r.cis, r.label, r.administrativeStatus, r.marketingStatus, r.declarationDate, bool(r.collectivities),
        r.reimbursementRate, r.priceCents, r.priceWithFeeCents, r.feeCents, r.indications).changes === 1,
    'CIS_COMPO_bdpm.txt': (r) =>
      composition.run(r.cis, r.element, r.substanceCode, r.substanceName, r.strength, r.strengthReference, r.nature, r.linkNumber).changes === 1,
    'CIS_GENER_bdpm.txt': (r) => generic.run(r.groupId, r.label, r.cis, r.type, r.sortOrder).changes === 1,
    'CIS_CPD_bdpm.txt': (r) => condition.run(r.cis, r.condition).changes === 1,
  };
}

const duplicateReason: Record<BdpmFileName, string> = {
  'CIS_bdpm.txt': 'code CIS en double',
  'CIS_CIP_bdpm.txt': 'code CIP13 en double',
  'CIS_COMPO_bdpm.txt': 'ligne en double',
  'CIS_GENER_bdpm.txt': 'ligne en double',
  'CIS_CPD_bdpm.txt': 'ligne en double',
};

/**
 * The release's date: the one declared or sent by the server (the day it was published), else the
 * newest date the files carry. A date after the import day is no release date: real files hold
 * typing errors (a marketing date in 2924), and trusting one would make the base look new for
 * ever and silence the warning of an old base. So is a declared or server date in the future.
 */
export function chooseReleaseDate(
  given: { date: string; source: 'declared' | 'server' } | undefined,
  newestInFiles: string | null,
  importDay: string,
): { date: string | null; source: ReleaseDateSource } {
  if (given !== undefined && given.date <= importDay) return given;
  if (newestInFiles !== null) return { date: newestInFiles, source: 'content' };
  return { date: null, source: 'unknown' };
}

/** Dates a release carries: the newest plausible one is the best guess of its date when nobody declared it. */
function datesOf(file: BdpmFileName, row: RowOf<BdpmFileName>): string | null {
  if (file === 'CIS_bdpm.txt') return (row as RowOf<'CIS_bdpm.txt'>).authorizationDate;
  if (file === 'CIS_CIP_bdpm.txt') return (row as RowOf<'CIS_CIP_bdpm.txt'>).declarationDate;
  return null;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new OrdoError('IMPORT_FAILED', 'Import interrompu. Les données précédentes sont conservées.');
}

export async function importBdpm(sourceDir: string, dataDir: string, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const files = locateFiles(sourceDir);
  const missingRequired = bdpmFileNames.filter((f) => requiredFiles.has(f) && !files.has(f));
  if (missingRequired.length > 0) {
    throw new OrdoError('IMPORT_FAILED', `Fichier obligatoire absent de « ${sourceDir} » : ${missingRequired.join(', ')}. Les données précédentes sont conservées.`);
  }
  const bytesTotal = [...files.values()].reduce((sum, path) => sum + statSync(path).size, 0);
  let bytesBefore = 0;
  const build = { kind: 'drugs', dataDir, sqlite: options.sqlite, now: options.now, schema: referentialSchema, version: REFERENTIAL_VERSION, log } as const;
  const summary = await buildAndInstall({ ...build, beforeInstall: () => checkAborted(options.signal) }, async (db) => {
    const insert = inserters(db);
    const summary: ImportSummary = {
      files: [],
      missingFiles: bdpmFileNames.filter((f) => !files.has(f)),
      rejectedCount: 0,
      rejected: [],
      releaseDate: null,
      releaseDateSource: 'unknown',
      importedAt: options.now().toISOString(),
      durationMs: 0,
    };
    let newestDate: string | null = null;
    const importDay = summary.importedAt.slice(0, 10);
    for (const file of bdpmFileNames) {
      const path = files.get(file);
      if (path === undefined) {
        summary.files.push({ file, present: false, encoding: null, lines: 0, imported: 0, rejected: 0 });
        continue;
      }
      const reader = await openLines(path);
      const report = { file, present: true, encoding: reader.encoding, lines: 0, imported: 0, rejected: 0 };
      const rejectLine = (line: number, reason: string) => {
        report.rejected += 1;
        summary.rejectedCount += 1;
        if (summary.rejected.length < MAX_REPORTED_REJECTIONS) summary.rejected.push({ file, line, reason });
      };
      let sinceProgress = 0;
      for await (const line of reader.lines()) {
        if (isBlank(line.text)) continue;
        report.lines += 1;
        const parsed = parseLine(file, line.text);
        if (!parsed.ok) {
          rejectLine(line.number, parsed.reason);
        } else if (!insert[file](parsed.row as never)) {
          rejectLine(line.number, duplicateReason[file]);
        } else {
          report.imported += 1;
          const date = datesOf(file, parsed.row);
          if (date !== null && date <= importDay && (newestDate === null || date > newestDate)) newestDate = date;
        }
        if (++sinceProgress === 2000) {
          sinceProgress = 0;
          checkAborted(options.signal);
          options.onProgress?.({ file, bytesDone: bytesBefore + reader.bytesRead(), bytesTotal });
        }
      }
      bytesBefore += reader.totalBytes;
      options.onProgress?.({ file, bytesDone: bytesBefore, bytesTotal });
      summary.files.push(report);
      if (report.lines > 0 && report.rejected > report.imported) {
        throw new OrdoError(
          'IMPORT_FAILED',
          `Le fichier ${file} n’a pas le format BDPM attendu (${report.rejected} lignes rejetées sur ${report.lines} ; première : ligne ${summary.rejected.find((r) => r.file === file)?.line ?? '?'}). Les données précédentes sont conservées.`,
        );
      }
    }
    if ((summary.files.find((f) => f.file === 'CIS_bdpm.txt')?.imported ?? 0) === 0) {
      throw new OrdoError('IMPORT_FAILED', 'Aucune spécialité importée : CIS_bdpm.txt est vide. Les données précédentes sont conservées.');
    }
    checkAborted(options.signal);
    deriveSpecialties(db);
    const release = chooseReleaseDate(options.releaseDate, newestDate, importDay);
    summary.releaseDate = release.date;
    summary.releaseDateSource = release.source;
    summary.durationMs = Math.round(performance.now() - started);
    return {
      result: summary,
      meta: {
        release_date: summary.releaseDate ?? '',
        release_date_source: summary.releaseDateSource,
        imported_at: summary.importedAt,
        source: options.source,
        demo: options.demo === true ? '1' : '0',
        summary: JSON.stringify(summary),
      },
    };
  });
  log.info('BDPM imported', { source: options.source, rejected: summary.rejectedCount, missing: summary.missingFiles.length, ms: summary.durationMs });
  return summary;
}
