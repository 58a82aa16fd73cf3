/**
 * What a kind of job is: how to run it, where, how often it may be tried, what a crash of the
 * process does to it. Handlers live with their domain (drugs/update-job.ts,
 * patients/import-job.ts); electron/job-kinds.ts lists them for the runner and the job threads.
 */
import type { JobKind, JobOf } from '../../shared/calls/jobs';
import type { Db, OpenOptions } from '../db/types';
import type { Fetch } from '../net';

export interface JobContext<K extends JobKind> {
  readonly jobId: number;
  readonly input: JobOf<K>['input'];
  /** 1 for the first run; a retry or a resume after a crash counts one more. */
  readonly attempt: number;
  /** The practice database, through the connection of the thread the job runs in. */
  readonly db: Db;
  /** Who holds the job: what saveCheckpoint needs. */
  readonly owner: string;
  readonly dataDir: string;
  readonly sqlite: OpenOptions;
  readonly fetch: Fetch;
  /** Aborted when the GP cancels or Ordo shuts down; the job stops at its next step. */
  readonly signal: AbortSignal;
  /** What the job saved with `saveCheckpoint` before it was interrupted, or null. */
  readonly checkpoint: unknown;
  now(): Date;
  /** Reports progress: shown at once through events, saved a few times a second. */
  progress(progress: NonNullable<JobOf<K>['progress']>): void;
}

export interface RetryPolicy {
  /** First delay; each retry doubles it, up to `capMs`, then full jitter picks in [0, delay). */
  baseMs: number;
  capMs: number;
  retryable(error: { code: string; message: string; transient?: boolean }): boolean;
}

export interface JobHandler<K extends JobKind = JobKind> {
  kind: K;
  /** Runs allowed in all: the first, the retries and the resumes after a crash. */
  maxAttempts: number;
  retry?: RetryPolicy;
  /**
   * A job a dead process left running: `resume` queues it again (the job continues from its
   * checkpoint, or starts over when it has none), `fail` ends it with its reason.
   */
  recovery: 'resume' | 'fail';
  /** `own`: its own thread and database connection (long work); `inline`: the runner's thread. */
  thread: 'own' | 'inline';
  run(ctx: JobContext<K>): Promise<NonNullable<JobOf<K>['result']>>;
}

export type JobHandlers = { [K in JobKind]: JobHandler<K> };

/** A handler as the runner holds it, whatever its kind (each is type-checked where it is written). */
export type AnyJobHandler = Omit<JobHandler, 'run'> & { run(ctx: never): Promise<unknown> };

/** Runs a handler with a context built for its job. */
export const runHandler = (handler: AnyJobHandler, ctx: JobContext<JobKind>): Promise<unknown> =>
  (handler.run as (c: JobContext<JobKind>) => Promise<unknown>)(ctx);

/**
 * Thrown by a job that stops because it was asked to (cancelled, or Ordo shutting down): the
 * French message says what was kept, `partial` is the result so far (a partial import's report).
 */
export class JobStopped extends Error {
  constructor(
    message: string,
    readonly partial?: unknown,
  ) {
    super(message);
    this.name = 'JobStopped';
  }
}
