/**
 * One CSV import, in steps so a screen can show progress: the file is read at once (an unreadable
 * file fails there), rows are checked a slice at a time, and the last step writes every valid row
 * in a single transaction. Until that step nothing is written; if it fails, nothing is either.
 */
import { isoDay } from '../../shared/domain/dates';
import { futureDateErrors, patientInputSchema, type PatientData } from '../../shared/domain/patient';
import { describePatient } from '../../shared/domain/patient-names';
import type { ImportError, ImportReport, ImportStatus } from '../../shared/domain/patient-record';
import { OrdoError } from '../../shared/errors';
import { appendAudit } from '../audit/audit';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { createLogger } from '../log';
import { readCsv, type CsvRow, type CsvTable } from './csv';
import { importFieldLabels, inputOfRow, mapColumns, sexOf, type ColumnMap, type ImportField } from './import-columns';
import { findByNir, findSameIdentity, insertPatient } from './repository';
import { searchKeysOf } from './search-keys';

const log = createLogger('patients.import');

/** Rows checked per step: a few tens of milliseconds, so the bar moves smoothly. */
export const ROWS_PER_STEP = 500;
/** The report lists this many errors at most (the count of skipped rows stays exact). */
export const MAX_REPORTED_ERRORS = 1000;

interface Accepted {
  line: number;
  data: PatientData;
  identityKey: string;
}

type Problem = { field: ImportField | ''; message: string };

export class PatientImport {
  private readonly columns: ColumnMap;
  private readonly today: string;
  private cursor = 0;
  private readonly accepted: Accepted[] = [];
  private readonly errors: ImportError[] = [];
  private readonly skippedLines = new Set<number>();
  private errorsTruncated = false;
  private readonly linesByNir = new Map<string, number>();
  private readonly linesByIdentity = new Map<string, number>();
  private state: { kind: 'checking' | 'writing' } | { kind: 'done'; report: ImportReport } | { kind: 'failed'; message: string } = {
    kind: 'checking',
  };

  private constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly fileName: string,
    private readonly table: CsvTable,
  ) {
    this.columns = mapColumns(table.header);
    this.today = isoDay(clock.now());
    if (this.columns.missing.length > 0) {
      const names = this.columns.missing.map((f) => `« ${importFieldLabels[f]} »`).join(', ');
      throw new OrdoError(
        'IMPORT_FAILED',
        `Colonnes obligatoires absentes de la première ligne : ${names}. Voir la correspondance des colonnes dans la documentation de l'import.`,
      );
    }
  }

  /** Reads the file; throws IMPORT_FAILED (French reason) when it cannot be read. */
  static open(db: Db, clock: Clock, fileName: string, bytes: Uint8Array): PatientImport {
    return new PatientImport(db, clock, fileName, readCsv(bytes));
  }

  status(): ImportStatus {
    switch (this.state.kind) {
      case 'checking':
        return { state: 'running', phase: 'checking', done: this.cursor, total: this.table.rows.length };
      case 'writing':
        return { state: 'running', phase: 'writing', done: this.table.rows.length, total: this.table.rows.length };
      case 'done':
        return { state: 'done', report: this.state.report };
      case 'failed':
        return { state: 'failed', message: this.state.message };
    }
  }

  /** Checks the next rows, or writes when all are checked; returns where the import stands. */
  step(rows = ROWS_PER_STEP): ImportStatus {
    if (this.state.kind === 'checking') {
      const end = Math.min(this.table.rows.length, this.cursor + rows);
      for (; this.cursor < end; this.cursor++) this.checkRow(this.table.rows[this.cursor]!);
      if (this.cursor >= this.table.rows.length) this.state = { kind: 'writing' };
    } else if (this.state.kind === 'writing') {
      this.write();
    }
    return this.status();
  }

  /** All steps at once (CLI, scripts). */
  runToEnd(): ImportReport {
    for (;;) {
      const status = this.step(Number.MAX_SAFE_INTEGER);
      if (status.state === 'done') return status.report;
      if (status.state === 'failed') throw new OrdoError('IMPORT_FAILED', status.message);
    }
  }

  private headerOf(field: ImportField | ''): string {
    if (field === '') return '';
    const index = this.columns.columns[field];
    return index === undefined ? importFieldLabels[field] : (this.table.header[index] ?? importFieldLabels[field]);
  }

  private reject(line: number, problems: Problem[]): void {
    this.skippedLines.add(line);
    for (const p of problems) {
      if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push({ line, field: this.headerOf(p.field), message: p.message });
      else this.errorsTruncated = true;
    }
  }

  private problemsOf(row: CsvRow): { problems: Problem[]; data?: PatientData } {
    const cell = (field: ImportField) => {
      const index = this.columns.columns[field];
      return index === undefined ? '' : (row.cells[index] ?? '');
    };
    const problems: Problem[] = [];
    const sex = cell('sex');
    if (sex !== '' && sexOf(sex) === undefined) {
      problems.push({ field: 'sex', message: `Sexe « ${sex} » non reconnu : F, M ou I attendu (ou Femme, Homme, Indéterminé).` });
    }
    const parsed = patientInputSchema.safeParse(inputOfRow(cell));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '') as ImportField | '';
        if (!problems.some((p) => p.field === field)) problems.push({ field, message: issue.message });
      }
      return { problems };
    }
    const data = parsed.data;
    for (const [path, message] of Object.entries(futureDateErrors(data, this.today))) {
      problems.push({ field: path.split('.')[0] as ImportField, message });
    }
    return { problems, data };
  }

  private checkRow(row: CsvRow): void {
    const { problems, data } = this.problemsOf(row);
    if (data === undefined || problems.length > 0) {
      this.reject(row.line, problems);
      return;
    }
    const identityKey = searchKeysOf(data).identityKey;
    if (data.nir !== null) {
      const earlier = this.linesByNir.get(data.nir);
      const holder = earlier === undefined ? findByNir(this.db, data.nir) : null;
      if (earlier !== undefined) problems.push({ field: 'nir', message: `Ce NIR figure déjà à la ligne ${earlier} du fichier.` });
      else if (holder !== null) problems.push({ field: 'nir', message: `Ce NIR est déjà enregistré dans Ordo pour ${describePatient(holder)}.` });
    }
    const twinLine = this.linesByIdentity.get(identityKey);
    if (twinLine !== undefined) {
      problems.push({ field: '', message: `Mêmes nom, prénoms et date de naissance qu'à la ligne ${twinLine} du fichier : ligne ignorée.` });
    } else if (findSameIdentity(this.db, identityKey, null) !== null) {
      problems.push({ field: '', message: 'Ce patient est déjà dans Ordo (mêmes nom, prénoms et date de naissance) : ligne ignorée.' });
    }
    if (problems.length > 0) {
      this.reject(row.line, problems);
      return;
    }
    if (data.nir !== null) this.linesByNir.set(data.nir, row.line);
    this.linesByIdentity.set(identityKey, row.line);
    this.accepted.push({ line: row.line, data, identityKey });
  }

  private write(): void {
    const now = this.clock.now();
    let imported = 0;
    try {
      this.db.transaction(() => {
        for (const a of this.accepted) {
          // The register may have changed between two steps (a patient created meanwhile).
          if ((a.data.nir !== null && findByNir(this.db, a.data.nir) !== null) || findSameIdentity(this.db, a.identityKey, null) !== null) {
            this.reject(a.line, [{ field: '', message: 'Ce patient a été enregistré dans Ordo pendant l’import : ligne ignorée.' }]);
            continue;
          }
          insertPatient(this.db, a.data, now.toISOString());
          imported += 1;
        }
        if (imported > 0) {
          appendAudit(
            this.db,
            { actor: 'prescriber', action: 'patients.imported', subject: 'patients', details: { imported, skipped: this.skippedLines.size } },
            now,
          );
        }
      })();
    } catch (error) {
      log.error('import transaction failed', { error: error instanceof Error ? error.message : String(error) });
      this.state = { kind: 'failed', message: "L'import a échoué pendant l'enregistrement : aucun patient n'a été ajouté." };
      return;
    }
    this.errors.sort((a, b) => a.line - b.line);
    this.state = {
      kind: 'done',
      report: {
        fileName: this.fileName,
        encoding: this.table.encoding,
        separator: this.table.separator,
        rows: this.table.rows.length,
        imported,
        skipped: this.skippedLines.size,
        ignoredColumns: this.columns.ignored,
        errors: this.errors,
        errorsTruncated: this.errorsTruncated,
      },
    };
  }
}
