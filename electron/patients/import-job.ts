/**
 * Importing patients from another software's CSV as a durable job (kind `patients.import`), in a
 * thread of its own with its own connection to the practice database:
 *
 * 1. reading: the file (kept in `job_payloads` with the job) is decoded and its columns mapped;
 *    an unreadable file fails here and nothing is written;
 * 2. checking: every row against the rules and the register, nothing written; the outcome (the
 *    rows to write, the errors of the report) is saved as the job's plan;
 * 3. writing: the planned rows in short transactions (a few ms each; 20 ms then a pause from
 *    another process than the app's, see BATCH_BUDGET_MS), so a GP saving a patient meanwhile
 *    waits for one batch at most, each with its audit row and the job's checkpoint.
 *
 * Killed at any point, it resumes: before the plan is saved it starts over (nothing was written),
 * after it the checkpoint says which rows are in, so every row is written exactly once.
 */
import { setImmediate as yieldToEvents, setTimeout as sleep } from 'node:timers/promises';
import { isoDay } from '../../shared/domain/dates';
import { errorsOnDay, patientInputSchema, type PatientData } from '../../shared/domain/patient';
import { describePatient } from '../../shared/domain/patient-names';
import type { ImportError, ImportReport } from '../../shared/domain/patient-record';
import { OrdoError } from '../../shared/errors';
import { appendAudit } from '../audit/audit';
import { LOCK_PAUSE_MS } from '../db/busy';
import { writeGateInUse, writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import { JobStopped, type JobContext, type JobHandler } from '../jobs/kind';
import { putPayload, readPayload, saveCheckpoint } from '../jobs/repository';
import { readCsv, type CsvRow, type CsvTable } from './csv';
import { importFieldLabels, inputOfRow, mapColumns, sexOf, type ColumnMap, type ImportField } from './import-columns';
import { findByNir, findSameIdentity, insertPatient } from './repository';
import { searchKeysOf } from './search-keys';
import { frenchNumber } from '../../shared/domain/numbers';

/** The report lists this many errors at most (the count of skipped rows stays exact). */
export const MAX_REPORTED_ERRORS = 1000;
/**
 * How long a write transaction holds the lock at most (plus one row and the commit), and what it
 * leaves between two. In the app's process (a job thread), the write gate lets the GP's save go
 * before the next batch: short batches back to back, the save waits for the one in progress. From
 * another process (`ordo patients import` while the app runs) there is only SQLite's lock: longer
 * batches, each followed by LOCK_PAUSE_MS with the lock free, in which the app's save, trying every
 * millisecond (db/busy.ts), takes it. Measured on a 200,000-row import from the CLI while the app
 * saved a patient every 50 ms: 4 ms batches back to back held the lock 98 % of the time and the
 * saves waited up to 2.4 s on a loaded machine (failing past busy_timeout, 5 s); 20 ms batches
 * with 4 ms pauses, saves of 10 ms median and 32 ms at most, the writing phase no slower.
 */
export const BATCH_BUDGET_MS = 4;
const CROSS_PROCESS_BATCH_BUDGET_MS = 20;
const BATCH_MAX_ROWS = 2000;

/** Batches and what they leave between them, as said above. */
const pacing = () => (writeGateInUse() ? { budgetMs: BATCH_BUDGET_MS, pauseMs: 0 } : { budgetMs: CROSS_PROCESS_BATCH_BUDGET_MS, pauseMs: LOCK_PAUSE_MS });
const CHECK_PROGRESS_ROWS = 250;

type Problem = { field: ImportField | ''; message: string };

/** The outcome of the checking phase, saved with the job before anything is written. */
interface Plan {
  /** Indexes in the table's rows of the rows to write, in file order. */
  accepted: number[];
  errors: ImportError[];
  skipped: number;
  errorsTruncated: boolean;
}

/** Where the writing stands; saved in the transaction of each batch. */
interface Checkpoint {
  phase: 'writing';
  /** Planned rows handled so far (written, or skipped because the register changed meanwhile). */
  handled: number;
  imported: number;
  /** Rows skipped at writing time: their errors join the report. */
  late: ImportError[];
}

const isCheckpoint = (value: unknown): value is Checkpoint => typeof value === 'object' && value !== null && (value as Checkpoint).phase === 'writing';

class ImportFile {
  readonly columns: ColumnMap;

  constructor(
    readonly fileName: string,
    readonly table: CsvTable,
  ) {
    this.columns = mapColumns(table.header);
    if (this.columns.missing.length > 0) {
      const names = this.columns.missing.map((f) => `« ${importFieldLabels[f]} »`).join(', ');
      throw new OrdoError(
        'IMPORT_FAILED',
        `Colonnes obligatoires absentes de la première ligne : ${names}. Voir la correspondance des colonnes dans la documentation de l’import.`,
      );
    }
  }

  headerOf(field: ImportField | ''): string {
    if (field === '') return '';
    const index = this.columns.columns[field];
    return index === undefined ? importFieldLabels[field] : (this.table.header[index] ?? importFieldLabels[field]);
  }

  /** The row's rule problems, and its record when it has none of the schema's. */
  parse(row: CsvRow, today: string): { problems: Problem[]; data?: PatientData } {
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
    for (const [path, message] of Object.entries(errorsOnDay(data, today))) {
      problems.push({ field: path.split('.')[0] as ImportField, message });
    }
    return { problems, data };
  }
}

/** Phase 2: every row checked, nothing written. */
async function check(ctx: JobContext<'patients.import'>, file: ImportFile, today: string, parsed: Map<number, PatientData>): Promise<Plan> {
  const { db } = ctx;
  const rows = file.table.rows;
  const plan: Plan = { accepted: [], errors: [], skipped: 0, errorsTruncated: false };
  const linesByNir = new Map<string, number>();
  const linesByIdentity = new Map<string, number>();
  const reject = (line: number, problems: Problem[]) => {
    plan.skipped += 1;
    for (const p of problems) {
      if (plan.errors.length < MAX_REPORTED_ERRORS) plan.errors.push({ line, field: file.headerOf(p.field), message: p.message });
      else plan.errorsTruncated = true;
    }
  };
  for (let i = 0; i < rows.length; i++) {
    if (i % CHECK_PROGRESS_ROWS === 0) {
      ctx.progress({ phase: 'checking', done: i, total: rows.length, percent: Math.round((i / Math.max(1, rows.length)) * 40) });
      await yieldToEvents();
      if (ctx.signal.aborted) throw new JobStopped('Import annulé avant tout enregistrement : aucun patient n’a été ajouté.');
    }
    const row = rows[i]!;
    const { problems, data } = file.parse(row, today);
    if (data === undefined || problems.length > 0) {
      reject(row.line, problems);
      continue;
    }
    const identityKey = searchKeysOf(data).identityKey;
    if (data.nir !== null) {
      const earlier = linesByNir.get(data.nir);
      const holder = earlier === undefined ? findByNir(db, data.nir) : null;
      if (earlier !== undefined) problems.push({ field: 'nir', message: `Ce NIR figure déjà à la ligne ${frenchNumber(earlier)} du fichier.` });
      else if (holder !== null) problems.push({ field: 'nir', message: `Ce NIR est déjà enregistré dans Ordo pour ${describePatient(holder)}.` });
    }
    const twinLine = linesByIdentity.get(identityKey);
    if (twinLine !== undefined) {
      problems.push({ field: '', message: `Mêmes nom, prénoms et date de naissance qu’à la ligne ${frenchNumber(twinLine)} du fichier : ligne ignorée.` });
    } else if (findSameIdentity(db, identityKey, null) !== null) {
      problems.push({ field: '', message: 'Ce patient est déjà dans Ordo (mêmes nom, prénoms et date de naissance) : ligne ignorée.' });
    }
    if (problems.length > 0) {
      reject(row.line, problems);
      continue;
    }
    if (data.nir !== null) linesByNir.set(data.nir, row.line);
    linesByIdentity.set(identityKey, row.line);
    plan.accepted.push(i);
    parsed.set(i, data);
  }
  return plan;
}

function reportOf(file: ImportFile, plan: Plan, checkpoint: Checkpoint): ImportReport {
  const errors = [...plan.errors, ...checkpoint.late].sort((a, b) => a.line - b.line);
  return {
    fileName: file.fileName,
    encoding: file.table.encoding,
    separator: file.table.separator,
    rows: file.table.rows.length,
    imported: checkpoint.imported,
    skipped: plan.skipped + checkpoint.late.length,
    ignoredColumns: file.columns.ignored,
    errors: errors.slice(0, MAX_REPORTED_ERRORS),
    errorsTruncated: plan.errorsTruncated || errors.length > MAX_REPORTED_ERRORS,
  };
}

/**
 * One batch: rows until the time budget is spent, their audit row, the checkpoint; one commit.
 * Rows come as the check parsed them, or parsed again when the import resumes after a crash.
 */
function writeBatch(
  ctx: JobContext<'patients.import'>,
  file: ImportFile,
  plan: Plan,
  at: Checkpoint,
  today: string,
  parsed: Map<number, PatientData>,
  budgetMs: number,
): Checkpoint {
  const db: Db = ctx.db;
  const now = ctx.now();
  return writeTransaction(db, () => {
    const next: Checkpoint = { ...at, late: [...at.late] };
    const started = performance.now();
    const lines: number[] = [];
    while (next.handled < plan.accepted.length && lines.length < BATCH_MAX_ROWS && performance.now() - started < budgetMs) {
      const index = plan.accepted[next.handled]!;
      const row = file.table.rows[index]!;
      next.handled += 1;
      const data = parsed.get(index) ?? file.parse(row, today).data;
      parsed.delete(index);
      // The register may have changed since the check (a patient created meanwhile).
      if (data === undefined || (data.nir !== null && findByNir(db, data.nir) !== null) || findSameIdentity(db, searchKeysOf(data).identityKey, null) !== null) {
        next.late.push({ line: row.line, field: '', message: 'Ce patient a été enregistré dans Ordo pendant l’import : ligne ignorée.' });
        continue;
      }
      insertPatient(db, data, now.toISOString());
      lines.push(row.line);
    }
    next.imported += lines.length;
    if (lines.length > 0) {
      appendAudit(
        db,
        { actor: 'prescriber', action: 'patients.imported', subject: 'patients', details: { job: ctx.jobId, imported: lines.length, firstLine: lines[0], lastLine: lines.at(-1) } },
        now,
      );
    }
    saveCheckpoint(db, ctx.jobId, ctx.owner, next);
    return next;
  });
}

export const patientImportHandler: JobHandler<'patients.import'> = {
  kind: 'patients.import',
  maxAttempts: 3,
  recovery: 'resume',
  thread: 'own',

  async run(ctx) {
    ctx.progress({ phase: 'reading', done: 0, total: 0, percent: 0 });
    const bytes = readPayload(ctx.db, ctx.jobId, 'file');
    if (bytes === undefined) throw new OrdoError('IMPORT_FAILED', 'Le fichier de cet import n’est plus disponible : relancez l’import.');
    const file = new ImportFile(ctx.input.fileName, readCsv(new Uint8Array(bytes)));
    const today = isoDay(ctx.now());

    // What the check parsed, so the rows it accepted are not parsed twice.
    const parsed = new Map<number, PatientData>();
    let plan: Plan;
    let at: Checkpoint;
    const savedPlan = readPayload(ctx.db, ctx.jobId, 'plan');
    if (isCheckpoint(ctx.checkpoint) && savedPlan !== undefined) {
      plan = JSON.parse(savedPlan.toString('utf8')) as Plan;
      at = ctx.checkpoint;
    } else {
      plan = await check(ctx, file, today, parsed);
      at = { phase: 'writing', handled: 0, imported: 0, late: [] };
      writeTransaction(ctx.db, () => {
        putPayload(ctx.db, ctx.jobId, 'plan', Buffer.from(JSON.stringify(plan)));
        saveCheckpoint(ctx.db, ctx.jobId, ctx.owner, at);
      });
    }

    const planned = plan.accepted.length;
    const { budgetMs, pauseMs } = pacing();
    while (at.handled < planned) {
      ctx.progress({ phase: 'writing', done: at.handled, total: planned, percent: 40 + Math.round((at.handled / Math.max(1, planned)) * 60) });
      if (ctx.signal.aborted) {
        throw new JobStopped(`Import interrompu : ${frenchNumber(at.imported)} patient(s) déjà ajouté(s) sont conservés, les autres lignes n’ont pas été importées.`, reportOf(file, plan, at));
      }
      try {
        at = writeBatch(ctx, file, plan, at, today, parsed, budgetMs);
      } catch (error) {
        if (error instanceof OrdoError) throw error;
        throw new OrdoError(
          'IMPORT_FAILED',
          `L’import s’est arrêté pendant l’enregistrement : ${frenchNumber(at.imported)} patient(s) ajouté(s) avant l’erreur sont conservés, les lignes suivantes n’ont pas été importées.`,
        );
      }
      // Between two batches: the thread reads its messages (a cancellation) and a GP's write gets the lock.
      if (pauseMs > 0) await sleep(pauseMs);
      else await yieldToEvents();
    }
    ctx.progress({ phase: 'writing', done: planned, total: planned, percent: 100 });
    return reportOf(file, plan, at);
  },
};
