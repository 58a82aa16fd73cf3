/**
 * The `jobs` table (migration 0004) ↔ job snapshots. Plain functions of `(db, args)`; every
 * multi-statement write is one `writeTransaction`. The schema refuses what must never be stored
 * (a running job without an owner, a finished job that changes again); these functions decide
 * before they write, so a refusal changes nothing.
 */
import { jobSchema, type Job, type JobKind, type JobListInput } from '../../shared/calls/jobs';
import type { ErrorCode } from '../../shared/errors';
import { prepared, writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import { createLogger } from '../log';

const log = createLogger('jobs');

interface JobRow {
  id: number;
  kind: string;
  state: Job['state'];
  input: string;
  progress: string | null;
  checkpoint: string | null;
  attempts: number;
  max_attempts: number;
  next_run_at: string | null;
  error_code: string | null;
  error_message: string | null;
  result: string | null;
  idempotency_key: string | null;
  cancel_requested: number;
  owner: string | null;
  owner_pid: number | null;
  lease_until: string | null;
  created_at: string;
  started_at: string | null;
  updated_at: string;
  finished_at: string | null;
}

/** A job as stored, with what only the runner needs (owner, checkpoint). */
export interface StoredJob {
  job: Job;
  owner: string | null;
  ownerPid: number | null;
  leaseUntil: string | null;
  checkpoint: unknown;
}

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

function snapshotOf(r: JobRow): Job | undefined {
  const candidate = {
    id: r.id,
    kind: r.kind,
    state: r.state,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    nextRunAt: r.next_run_at,
    error: r.error_code === null || r.error_message === null ? null : { code: r.error_code, message: r.error_message },
    cancelRequested: r.cancel_requested === 1,
    createdAt: r.created_at,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    input: parse(r.input),
    progress: parse(r.progress),
    result: parse(r.result),
  };
  const parsed = jobSchema.safeParse(candidate);
  if (!parsed.success) {
    // A kind this version does not know, or a row written by another version: not shown.
    log.warn('job row skipped: it does not match its kind', { job: r.id, kind: r.kind });
    return undefined;
  }
  return parsed.data;
}

function storedOf(r: JobRow): StoredJob | undefined {
  const job = snapshotOf(r);
  return job === undefined ? undefined : { job, owner: r.owner, ownerPid: r.owner_pid, leaseUntil: r.lease_until, checkpoint: parse(r.checkpoint) };
}

export function readJob(db: Db, id: number): StoredJob | undefined {
  const row = prepared(db, 'SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  return row === undefined ? undefined : storedOf(row);
}

export function listJobs(db: Db, filter: JobListInput): Job[] {
  const rows = prepared(
    db,
    `SELECT * FROM jobs
     WHERE (@kind IS NULL OR kind = @kind)
       AND (@active = 0 OR state IN ('queued', 'running', 'retrying'))
     ORDER BY id DESC LIMIT @limit`,
  ).all({ kind: filter.kind ?? null, active: filter.active === true ? 1 : 0, limit: filter.limit }) as JobRow[];
  return rows.flatMap((r) => snapshotOf(r) ?? []);
}

/** The job of this kind not finished yet, if any (oldest first). */
export function findActive(db: Db, kind: JobKind): StoredJob | undefined {
  const row = prepared(db, "SELECT * FROM jobs WHERE kind = ? AND state IN ('queued', 'running', 'retrying') ORDER BY id LIMIT 1").get(kind) as JobRow | undefined;
  return row === undefined ? undefined : storedOf(row);
}

export function findByIdempotencyKey(db: Db, key: string): StoredJob | undefined {
  const row = prepared(db, 'SELECT * FROM jobs WHERE idempotency_key = ?').get(key) as JobRow | undefined;
  return row === undefined ? undefined : storedOf(row);
}

export interface NewJob {
  kind: JobKind;
  input: unknown;
  maxAttempts: number;
  idempotencyKey: string | null;
  payloads: Partial<Record<PayloadName, Uint8Array>>;
}

export type PayloadName = 'file' | 'plan';

/** Inserts a queued job and its payloads; returns its id. */
export function insertJob(db: Db, job: NewJob, now: Date): number {
  const at = now.toISOString();
  return writeTransaction(db, () => {
    const id = Number(
      prepared(
        db,
        `INSERT INTO jobs (kind, state, input, attempts, max_attempts, next_run_at, idempotency_key, created_at, updated_at)
         VALUES (@kind, 'queued', @input, 0, @maxAttempts, @at, @key, @at, @at)`,
      ).run({ kind: job.kind, input: JSON.stringify(job.input), maxAttempts: job.maxAttempts, key: job.idempotencyKey, at }).lastInsertRowid,
    );
    for (const [name, bytes] of Object.entries(job.payloads)) putPayload(db, id, name as PayloadName, bytes);
    return id;
  });
}

export function putPayload(db: Db, jobId: number, name: PayloadName, bytes: Uint8Array): void {
  prepared(db, 'INSERT INTO job_payloads (job_id, name, bytes) VALUES (?, ?, ?) ON CONFLICT (job_id, name) DO UPDATE SET bytes = excluded.bytes').run(
    jobId,
    name,
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  );
}

export function readPayload(db: Db, jobId: number, name: PayloadName): Buffer | undefined {
  const row = prepared(db, 'SELECT bytes FROM job_payloads WHERE job_id = ? AND name = ?').get(jobId, name) as { bytes: Buffer } | undefined;
  return row?.bytes;
}

/**
 * Takes a queued or retrying job for `owner`: one more attempt, a lease. False when it is no
 * longer waiting, or when another job of its kind runs (in this process or another one: the
 * unique index on running jobs per kind decides).
 */
export function claimJob(db: Db, id: number, owner: { id: string; pid: number }, now: Date, leaseMs: number): boolean {
  try {
    return writeTransaction(db, () =>
      prepared(
        db,
        `UPDATE jobs SET state = 'running', owner = @owner, owner_pid = @pid, lease_until = @lease, attempts = attempts + 1,
           next_run_at = NULL, started_at = coalesce(started_at, @at), updated_at = @at
         WHERE id = @id AND state IN ('queued', 'retrying') AND cancel_requested = 0 AND attempts < max_attempts`,
      ).run({ id, owner: owner.id, pid: owner.pid, lease: new Date(now.getTime() + leaseMs).toISOString(), at: now.toISOString() }).changes === 1,
    );
  } catch (error) {
    if (error instanceof Error && (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
    throw error;
  }
}

/** Waiting jobs whose time has come, oldest first. */
export function dueJobs(db: Db, now: Date): { id: number; kind: string }[] {
  return prepared(db, "SELECT id, kind FROM jobs WHERE state IN ('queued', 'retrying') AND next_run_at <= ? ORDER BY next_run_at, id").all(now.toISOString()) as {
    id: number;
    kind: string;
  }[];
}

/** When the next waiting job may run, or undefined when none waits. */
export function nextDueAt(db: Db): string | undefined {
  const row = prepared(db, "SELECT min(next_run_at) AS at FROM jobs WHERE state IN ('queued', 'retrying')").get() as { at: string | null };
  return row.at ?? undefined;
}

export function runningJobs(db: Db): StoredJob[] {
  return (prepared(db, "SELECT * FROM jobs WHERE state = 'running' ORDER BY id").all() as JobRow[]).flatMap((r) => storedOf(r) ?? []);
}

/** Saves what the screens show; only while the job is still held by `owner`. */
export function saveProgress(db: Db, id: number, owner: string, progress: unknown, now: Date): void {
  writeTransaction(db, () =>
    prepared(db, "UPDATE jobs SET progress = ?, updated_at = ? WHERE id = ? AND state = 'running' AND owner = ?").run(JSON.stringify(progress), now.toISOString(), id, owner),
  );
}

/** Saves where a resumable job stands; call inside the transaction of the work it records. */
export function saveCheckpoint(db: Db, id: number, owner: string, checkpoint: unknown): void {
  prepared(db, "UPDATE jobs SET checkpoint = ? WHERE id = ? AND state = 'running' AND owner = ?").run(JSON.stringify(checkpoint), id, owner);
}

export function renewLeases(db: Db, owner: string, now: Date, leaseMs: number): void {
  writeTransaction(db, () => prepared(db, "UPDATE jobs SET lease_until = ? WHERE state = 'running' AND owner = ?").run(new Date(now.getTime() + leaseMs).toISOString(), owner));
}

export function cancelRequested(db: Db, id: number): boolean {
  const row = prepared(db, 'SELECT cancel_requested FROM jobs WHERE id = ?').get(id) as { cancel_requested: number } | undefined;
  return row?.cancel_requested === 1;
}

/** How a running job ends; `progress` is its last one (what the screens showed when it ended). */
export type Ending = ({ state: 'done'; result: unknown } | { state: 'failed' | 'cancelled'; code: ErrorCode; message: string; result?: unknown }) & {
  progress?: unknown;
};

/** Ends a running job held by `owner` and drops its payloads; false when it was not held. */
export function finishJob(db: Db, id: number, owner: string, ending: Ending, now: Date): boolean {
  const at = now.toISOString();
  return writeTransaction(db, () => {
    const changed = prepared(
      db,
      `UPDATE jobs SET state = @state, result = @result, error_code = @code, error_message = @message,
         progress = coalesce(@progress, progress),
         owner = NULL, owner_pid = NULL, lease_until = NULL, next_run_at = NULL, finished_at = @at, updated_at = @at
       WHERE id = @id AND state = 'running' AND owner = @owner`,
    ).run({
      id,
      owner,
      at,
      progress: ending.progress === undefined || ending.progress === null ? null : JSON.stringify(ending.progress),
      state: ending.state,
      result: ending.state === 'done' || ending.result !== undefined ? JSON.stringify(ending.result) : null,
      code: ending.state === 'done' ? null : ending.code,
      message: ending.state === 'done' ? null : ending.message,
    }).changes === 1;
    if (changed) prepared(db, 'DELETE FROM job_payloads WHERE job_id = ?').run(id);
    return changed;
  });
}

/** A running job goes back to waiting (a retry later, or at once after a shutdown or a crash). */
export function requeueJob(db: Db, id: number, owner: string | null, state: 'queued' | 'retrying', runAt: Date, error: { code: string; message: string } | null, now: Date): boolean {
  return writeTransaction(db, () =>
    prepared(
      db,
      `UPDATE jobs SET state = @state, next_run_at = @runAt, error_code = @code, error_message = @message,
         owner = NULL, owner_pid = NULL, lease_until = NULL, updated_at = @at
       WHERE id = @id AND state = 'running' AND owner IS @owner`,
    ).run({ id, owner, state, runAt: runAt.toISOString(), code: error?.code ?? null, message: error?.message ?? null, at: now.toISOString() }).changes === 1,
  );
}

/** A job waiting (queued, or to retry later) becomes due now; false when it is not waiting. */
export function dueNow(db: Db, id: number, now: Date): boolean {
  return writeTransaction(db, () =>
    prepared(db, "UPDATE jobs SET next_run_at = @at, updated_at = @at WHERE id = @id AND state IN ('queued', 'retrying') AND next_run_at > @at").run({ id, at: now.toISOString() }).changes === 1,
  );
}

/** Ends a job that is not running (waiting, or left running by a dead process) as failed or cancelled. */
export function abandonJob(db: Db, id: number, owner: string | null, ending: { state: 'failed' | 'cancelled'; code: ErrorCode; message: string }, now: Date): boolean {
  const at = now.toISOString();
  return writeTransaction(db, () => {
    const changed =
      prepared(
        db,
        `UPDATE jobs SET state = @state, error_code = @code, error_message = @message,
           owner = NULL, owner_pid = NULL, lease_until = NULL, next_run_at = NULL, finished_at = @at, updated_at = @at
         WHERE id = @id AND (state IN ('queued', 'retrying') OR (state = 'running' AND owner IS @owner))`,
      ).run({ id, owner, at, ...ending }).changes === 1;
    if (changed) prepared(db, 'DELETE FROM job_payloads WHERE job_id = ?').run(id);
    return changed;
  });
}

export function requestCancel(db: Db, id: number, now: Date): void {
  writeTransaction(db, () => prepared(db, "UPDATE jobs SET cancel_requested = 1, updated_at = ? WHERE id = ? AND state IN ('queued', 'running', 'retrying')").run(now.toISOString(), id));
}

/** Keeps the latest `keep` finished jobs of each kind; older records go. */
export function pruneFinished(db: Db, keep: number): number {
  return writeTransaction(
    db,
    () =>
      prepared(
        db,
        `DELETE FROM jobs WHERE id IN (
           SELECT id FROM (
             SELECT id, row_number() OVER (PARTITION BY kind ORDER BY id DESC) AS n FROM jobs
             WHERE state IN ('done', 'failed', 'cancelled'))
           WHERE n > ?)`,
      ).run(keep).changes,
  );
}
