/**
 * Imports a BDPM release (a folder holding the five text files) into a new referential file,
 * then installs it atomically. Streaming: lines are read, checked and inserted chunk by chunk,
 * so memory stays flat and the event loop keeps turning (the UI polls progress meanwhile).
 * A line with too few columns or a malformed code is rejected with file, line and reason; the
 * rest of the file still imports. A broken release never replaces a good one: a missing, empty
 * or cut file, more than a handful of lines with the wrong column count, or (for the update job)
 * a release far smaller than the one installed is refused, the new file deleted and the current
 * referential left as it was.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportSummary } from '../../shared/calls/drugs';
import type { ReleaseDateSource } from '../../shared/domain/release-date';
import { missingFilesLine, missingPartsOf, referentialPartLabels } from '../../shared/domain/bdpm-parts';
import { frenchCount, frenchNumber } from '../../shared/domain/numbers';
import { OrdoError } from '../../shared/errors';
import type { Db, OpenOptions } from '../db/types';
import { createLogger } from '../log';
import { bdpmFileNames, fileSpecs, hasWrongColumnCount, isBlank, parseLine, requiredFiles, type BdpmFileName, type RowOf } from './bdpm-files';
import { deriveSpecialties } from './derive';
import { buildAndInstall, currentFile, referentialDir } from './files';
import { openLines } from './lines';
import { openReferential, readMeta } from './referential';
import { REFERENTIAL_VERSION, referentialSchema } from './schema';

const log = createLogger('drugs.import');
const MAX_REPORTED_REJECTIONS = 200;
const KEPT = 'Les données précédentes sont conservées.';

/**
 * Lines of one file with the wrong number of columns beyond which the file is refused: a real
 * release has none (2019: 0 of 90,170 lines), a handful is a typing accident worth skipping,
 * more is a cut, misaligned or foreign file.
 */
export const MAX_WRONG_COLUMN_LINES = 5;
/** Line numbers a refusal names. */
const NAMED_LINES = 10;
/** A new release may have at most this fraction fewer specialties, or packs, than the one installed. */
export const MAX_DROP = 0.1;
/**
 * Fewest specialties and packs of a release when no real one is installed (nothing, or the
 * demonstration data): a real release has about 15,000 and 20,000 (2019: 14,442 and 20,083).
 */
export const MIN_RELEASE_COUNT = 1000;

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
  /**
   * Import a release that lacks optional files (COMPO, GENER, CPD): only on purpose (the GP
   * confirmed, `--allow-partial`); otherwise such a release is refused with NEEDS_CONFIRMATION.
   */
  allowPartial?: boolean | undefined;
  /**
   * Compare the release with the referential it replaces (the update job does, for every
   * import a GP makes): refused when it has more than MAX_DROP fewer specialties or packs than
   * the real referential installed, or, when none is, fewer than `minimumCount` of either.
   */
  plausibility?: { minimumCount: number } | undefined;
  onProgress?: ((progress: ImportProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Runs once the release is built and checked, right before it is swapped in (the pending audit entry). */
  beforeInstall?: ((release: ImportedRelease) => void) | undefined;
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

/** « lignes 3, 4 et 9 », « lignes 3, 4, … et 12 autres » */
function linesText(lines: readonly number[], total: number): string {
  const more = total - lines.length;
  if (more > 0) return `lignes ${lines.join(', ')} et ${frenchCount(more, 'autre', 'autres')}`;
  return lines.length === 1 ? `ligne ${lines[0]}` : `lignes ${lines.slice(0, -1).join(', ')} et ${lines.at(-1)}`;
}

/** The counts of the real referential installed, or undefined when there is none (or only the demonstration one). */
function installedCounts(dataDir: string, options: OpenOptions): { specialties: number; packs: number } | undefined {
  const file = currentFile(referentialDir(dataDir), 'drugs');
  if (file === undefined) return undefined;
  let db: Db | undefined;
  try {
    db = openReferential(file, options);
    if (db === undefined) return undefined;
    const meta = readMeta(db);
    return meta.demo ? undefined : { specialties: meta.counts.specialties, packs: meta.counts.packs };
  } catch {
    // Unreadable: nothing to protect, the service already ignores it.
    return undefined;
  } finally {
    db?.close();
  }
}

/** Refuses a release far smaller than the referential it would replace (or implausibly small when none is installed). */
function checkPlausible(counts: { specialties: number; packs: number }, installed: { specialties: number; packs: number } | undefined, minimumCount: number): void {
  const words = { specialties: ['spécialité', 'spécialités'], packs: ['présentation', 'présentations'] } as const;
  for (const what of ['specialties', 'packs'] as const) {
    const [one, many] = words[what];
    const now = counts[what];
    if (installed === undefined) {
      if (now < minimumCount) {
        throw new OrdoError(
          'IMPORT_FAILED',
          `Cette version ne compte que ${frenchCount(now, one, many)} (une version complète en compte environ ${frenchNumber(15_000)} ; au moins ${frenchNumber(minimumCount)} sont attendues) : elle est sans doute incomplète et n’est pas installée. ${KEPT}`,
        );
      }
      continue;
    }
    const before = installed[what];
    if (before > 0 && now < before * (1 - MAX_DROP)) {
      const drop = Math.round(((before - now) / before) * 100);
      throw new OrdoError(
        'IMPORT_FAILED',
        `Cette version compte ${frenchCount(now, one, many)} contre ${frenchNumber(before)} dans la base installée (${drop} % de moins) : une version qui en perd plus de ${Math.round(MAX_DROP * 100)} % est sans doute incomplète et n’est pas installée. ${KEPT}`,
      );
    }
  }
}

/** Refuses a file that was cut, emptied or is not of the BDPM format, before anything of it is installed. */
function checkFileWhole(file: BdpmFileName, report: { lines: number; imported: number; rejected: number }, read: { endedMidLine: boolean; lastLine: number; wrongColumns: number[]; wrongColumnCount: number; firstRejected: number | undefined }): void {
  if (report.lines === 0) {
    throw new OrdoError('IMPORT_FAILED', `Le fichier ${file} est vide : la version est incomplète (téléchargement ou copie interrompus ?). ${KEPT}`);
  }
  if (read.endedMidLine) {
    throw new OrdoError('IMPORT_FAILED', `Le fichier ${file} se termine au milieu d’une ligne (ligne ${read.lastLine}) : il a été tronqué (téléchargement ou copie interrompus ?). ${KEPT}`);
  }
  if (read.wrongColumnCount > MAX_WRONG_COLUMN_LINES) {
    throw new OrdoError(
      'IMPORT_FAILED',
      `Le fichier ${file} a ${frenchCount(read.wrongColumnCount, 'ligne', 'lignes')} sans les ${fileSpecs[file].documentedColumns} colonnes attendues (${linesText(read.wrongColumns, read.wrongColumnCount)}) ; au-delà de ${MAX_WRONG_COLUMN_LINES}, le fichier est tenu pour tronqué ou d’un autre format. ${KEPT}`,
    );
  }
  if (report.rejected > report.imported) {
    throw new OrdoError(
      'IMPORT_FAILED',
      `Le fichier ${file} n’a pas le format BDPM attendu (${report.rejected} lignes rejetées sur ${report.lines} ; première : ligne ${read.firstRejected ?? '?'}). ${KEPT}`,
    );
  }
}

/** What the referential installed was made of, for the audit entry of the install. */
export interface ImportedRelease {
  summary: ImportSummary;
  /** The referential file installed (in `<data dir>/referential/`). */
  fileName: string;
}

export async function importBdpm(sourceDir: string, dataDir: string, options: ImportOptions): Promise<ImportSummary> {
  return (await importRelease(sourceDir, dataDir, options)).summary;
}

export async function importRelease(sourceDir: string, dataDir: string, options: ImportOptions): Promise<ImportedRelease> {
  const started = performance.now();
  const files = locateFiles(sourceDir);
  const missingRequired = bdpmFileNames.filter((f) => requiredFiles.has(f) && !files.has(f));
  if (missingRequired.length > 0) {
    throw new OrdoError('IMPORT_FAILED', `Fichier obligatoire absent de « ${sourceDir} » : ${missingRequired.join(', ')}. ${KEPT}`);
  }
  const missingParts = missingPartsOf(bdpmFileNames.filter((f) => !files.has(f)));
  if (missingParts.length > 0 && options.allowPartial !== true) {
    throw new OrdoError(
      'NEEDS_CONFIRMATION',
      `Version incomplète, ${missingParts.length === 1 ? 'fichier absent' : 'fichiers absents'} : ${missingFilesLine(missingParts)}. Une telle version n’est importée que sur confirmation, et la base serait alors partielle (${missingParts.map((p) => referentialPartLabels[p].absent).join(', ')}). ${KEPT}`,
    );
  }
  const installed = options.plausibility === undefined ? undefined : installedCounts(dataDir, options.sqlite);
  let installedAs = '';
  const bytesTotal = [...files.values()].reduce((sum, path) => sum + statSync(path).size, 0);
  let bytesBefore = 0;
  const build = { kind: 'drugs', dataDir, sqlite: options.sqlite, now: options.now, schema: referentialSchema, version: REFERENTIAL_VERSION, log } as const;
  let builtSummary: ImportSummary | undefined;
  const beforeInstall = () => {
    checkAborted(options.signal);
    if (builtSummary !== undefined) options.beforeInstall?.({ summary: builtSummary, fileName: installedAs });
  };
  const summary = await buildAndInstall({ ...build, beforeInstall }, async (db, built) => {
    installedAs = built.fileName;
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
      const report: ImportSummary['files'][number] = { file, present: true, encoding: reader.encoding, lines: 0, imported: 0, rejected: 0 };
      const read = { endedMidLine: false, lastLine: 0, wrongColumns: [] as number[], wrongColumnCount: 0, firstRejected: undefined as number | undefined };
      const rejectLine = (line: number, reason: string) => {
        report.rejected += 1;
        summary.rejectedCount += 1;
        read.firstRejected ??= line;
        if (summary.rejected.length < MAX_REPORTED_REJECTIONS) summary.rejected.push({ file, line, reason });
      };
      let sinceProgress = 0;
      for await (const line of reader.lines()) {
        read.lastLine = line.number;
        if (isBlank(line.text)) continue;
        report.lines += 1;
        const parsed = parseLine(file, line.text);
        if (!parsed.ok) {
          rejectLine(line.number, parsed.reason);
          if (hasWrongColumnCount(file, line.text)) {
            read.wrongColumnCount += 1;
            if (read.wrongColumns.length < NAMED_LINES) read.wrongColumns.push(line.number);
          }
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
      read.endedMidLine = reader.endedMidLine();
      report.sha256 = reader.sha256();
      report.bytes = reader.totalBytes;
      summary.files.push(report);
      checkFileWhole(file, report, read);
    }
    const imported = (file: BdpmFileName) => summary.files.find((f) => f.file === file)?.imported ?? 0;
    if (imported('CIS_bdpm.txt') === 0) {
      throw new OrdoError('IMPORT_FAILED', `Aucune spécialité importée : CIS_bdpm.txt est vide. ${KEPT}`);
    }
    if (options.plausibility !== undefined) {
      checkPlausible({ specialties: imported('CIS_bdpm.txt'), packs: imported('CIS_CIP_bdpm.txt') }, installed, options.plausibility.minimumCount);
    }
    checkAborted(options.signal);
    deriveSpecialties(db);
    const release = chooseReleaseDate(options.releaseDate, newestDate, importDay);
    summary.releaseDate = release.date;
    summary.releaseDateSource = release.source;
    summary.durationMs = Math.round(performance.now() - started);
    builtSummary = summary;
    return {
      result: summary,
      meta: {
        release_date: summary.releaseDate ?? '',
        release_date_source: summary.releaseDateSource,
        imported_at: summary.importedAt,
        source: options.source,
        demo: options.demo === true ? '1' : '0',
        // The parts the release lacked, said wherever they would read as « aucune ».
        missing_files: JSON.stringify(summary.missingFiles),
        summary: JSON.stringify(summary),
      },
    };
  });
  log.info('BDPM imported', { source: options.source, rejected: summary.rejectedCount, missing: summary.missingFiles.length, ms: summary.durationMs });
  return { summary, fileName: installedAs };
}
