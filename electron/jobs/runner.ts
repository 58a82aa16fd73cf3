/**
 * The one job runner of a process (docs/architecture.md, "Jobs"). It takes due jobs from the
 * `jobs` table, one of a kind at a time, runs them inline or in a thread of their own, reports
 * their progress, retries the kinds that retry with capped exponential backoff and full jitter,
 * and ends every job in a state the table records. At start-up, and every few seconds after, it
 * recovers the jobs a dead process left `running`: resumed or failed with their reason, never left
 * running.
 *
 * The service worker runs it with `autoRun`; the CLI runs only the job it submitted (`run`).
 */
import { jobSchema, type Job, type JobKind, type JobListInput, type JobOf } from '../../shared/calls/jobs';
import { isActiveJobState } from '../../shared/jobs';
import { errorMessages, OrdoError } from '../../shared/errors';
import type { Clock } from '../clock';
import { writeTransaction } from '../db/transaction';
import type { Db, OpenOptions } from '../db/types';
import { createLogger } from '../log';
import type { Fetch } from '../net';
import { retryDelayMs } from './backoff';
import { runInline, runInThread, type Execution, type Outcome } from './execution';
import type { AnyJobHandler, JobHandlers } from './kind';
import {
  abandonJob,
  cancelRequested,
  claimJob,
  dueNow,
  dueJobs,
  findActive,
  findByIdempotencyKey,
  finishJob,
  insertJob,
  listJobs,
  nextDueAt,
  pruneFinished,
  readJob,
  renewLeases,
  requestCancel,
  requeueJob,
  runningJobs,
  type PayloadName,
  type StoredJob,
} from './repository';
import { pidAlive } from './liveness';

const log = createLogger('jobs');
const PROGRESS_EVENT_MS = 100;
const MAX_TIMER_MS = 60_000;
const KEEP_FINISHED_PER_KIND = 20;

export interface RunnerOptions {
  db: Db;
  dataDir: string;
  sqlite: OpenOptions;
  clock: Clock;
  handlers: JobHandlers;
  /** This runner: an id unique to it, and its process (for the liveness check of other runners). */
  owner: { id: string; pid: number };
  /** Runners known dead (an earlier service worker of this process): their jobs are recovered at once. */
  deadOwners?: readonly string[];
  /** Take due jobs by itself (the service worker), or only run what `run` is given (the CLI). */
  autoRun: boolean;
  /** Run `thread: 'own'` kinds in a thread of their own; false runs everything inline (tests). */
  threads: boolean;
  fetch: Fetch;
  random?: () => number;
  leaseMs?: number;
  onChange?: (job: Job) => void;
  /** Shared memory of the process's write gate, for the job threads (db/write-gate.ts). */
  writeGate?: SharedArrayBuffer;
}

export interface SubmitOptions {
  /** The same key twice gives the same job (a double click, a retried call). */
  idempotencyKey?: string;
  /** While a job of this kind is not finished, give that one instead of queueing another. */
  reuseActive?: boolean;
  payloads?: Partial<Record<PayloadName, Uint8Array>>;
}

interface Running {
  job: Job;
  handler: AnyJobHandler;
  execution: Execution;
  lastEvent: number;
  pendingEvent: NodeJS.Timeout | undefined;
  /** The `phase` of the progress last pushed, when the kind's progress has phases. */
  lastPhase?: unknown;
}

const phaseOf = (progress: unknown): unknown => (typeof progress === 'object' && progress !== null && 'phase' in progress ? progress.phase : undefined);

const inputSchemaOf = (kind: JobKind) => jobSchema.options.find((o) => o.shape.kind.value === kind)!.shape.input;

export class JobRunner {
  private readonly running = new Map<number, Running>();
  private readonly waiters = new Map<number, ((job: Job) => void)[]>();
  private timer: NodeJS.Timeout | undefined;
  private maintenance: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly leaseMs: number;
  private readonly random: () => number;
  private readonly deadOwners: Set<string>;

  constructor(private readonly options: RunnerOptions) {
    this.leaseMs = options.leaseMs ?? 15_000;
    this.random = options.random ?? Math.random;
    this.deadOwners = new Set(options.deadOwners ?? []);
  }

  private handlerOf(kind: JobKind): AnyJobHandler {
    return this.options.handlers[kind];
  }

  private get db(): Db {
    return this.options.db;
  }

  private now(): Date {
    return this.options.clock.now();
  }

  /** Recovers what dead processes left, then (with autoRun) starts taking due jobs. */
  start(): void {
    pruneFinished(this.db, KEEP_FINISHED_PER_KIND);
    this.recover();
    this.maintenance = setInterval(() => this.maintain(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.maintenance.unref();
    if (this.options.autoRun) this.tick();
  }

  submit<K extends JobKind>(kind: K, input: JobOf<K>['input'], options: SubmitOptions = {}): JobOf<K> {
    const parsed = inputSchemaOf(kind).safeParse(input);
    if (!parsed.success) throw new OrdoError('INVALID_INPUT');
    const handler = this.handlerOf(kind);
    const id = writeTransaction(this.db, () => {
      if (options.idempotencyKey !== undefined) {
        const same = findByIdempotencyKey(this.db, options.idempotencyKey);
        if (same !== undefined) return same.job.id;
      }
      if (options.reuseActive === true) {
        const active = findActive(this.db, kind);
        if (active !== undefined) return active.job.id;
      }
      return insertJob(
        this.db,
        { kind, input: parsed.data, maxAttempts: handler.maxAttempts, idempotencyKey: options.idempotencyKey ?? null, payloads: options.payloads ?? {} },
        this.now(),
      );
    });
    const job = this.get(id);
    this.changed(job);
    if (this.options.autoRun) setImmediate(() => this.tick());
    return job as JobOf<K>;
  }

  /** A job waiting to retry (or queued for later) runs now: « Réessayer maintenant », the network back. */
  wake(id: number): Job {
    if (dueNow(this.db, id, this.now())) {
      const job = this.get(id);
      this.changed(job);
      if (this.options.autoRun) setImmediate(() => this.tick());
    }
    return this.get(id);
  }

  get(id: number): Job {
    const running = this.running.get(id);
    if (running !== undefined) return running.job;
    const stored = readJob(this.db, id);
    if (stored === undefined) throw new OrdoError('NOT_FOUND', 'Cette tâche n’existe pas (ou plus).');
    return stored.job;
  }

  list(filter: JobListInput): Job[] {
    return listJobs(this.db, filter).map((job) => this.running.get(job.id)?.job ?? job);
  }

  /** Cancels a waiting job at once; a running one stops at its next step (here or in another process). */
  cancel(id: number): Job {
    const job = this.get(id);
    if (!isActiveJobState(job.state)) return job;
    const now = this.now();
    const here = this.running.get(id);
    if (job.state === 'running') {
      requestCancel(this.db, id, now);
      if (here !== undefined) {
        here.job = { ...here.job, cancelRequested: true };
        here.execution.abort('cancel');
      }
    } else {
      abandonJob(this.db, id, null, { state: 'cancelled', code: 'CANCELLED', message: errorMessages.CANCELLED }, now);
    }
    const after = here?.job ?? readJob(this.db, id)!.job;
    this.changed(after);
    return after;
  }

  /** Resolves with the job once it has ended (done, failed or cancelled). */
  whenFinished(id: number): Promise<Job> {
    const job = this.get(id);
    if (!isActiveJobState(job.state)) return Promise.resolve(job);
    return new Promise((resolve) => {
      this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]);
    });
  }

  /**
   * Claims this job now and runs it (the CLI): resolves when it has ended. Refused when another
   * job of its kind runs (the app, or another command).
   */
  async run(id: number): Promise<Job> {
    if (!this.claimAndStart(id)) {
      const job = this.get(id);
      if (isActiveJobState(job.state)) {
        throw new OrdoError('CONFLICT', 'Une tâche du même type est déjà en cours dans Ordo (l’application ou une autre commande) : réessayez quand elle sera terminée.');
      }
      return job;
    }
    return this.whenFinished(id);
  }

  /** A clean shutdown: running jobs are asked to stop and go back to the queue (resumed at the next start). */
  async shutdown(graceMs = 3000): Promise<void> {
    this.closed = true;
    this.stopTimers();
    const outcomes = [...this.running.values()].map((r) => {
      r.execution.abort('shutdown');
      return r.execution.outcome;
    });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all(outcomes), timeout]);
    this.killAll();
  }

  /** Stops at once: running jobs are terminated and released (resumed at the next start). */
  close(): void {
    this.closed = true;
    this.stopTimers();
    this.killAll();
  }

  private stopTimers(): void {
    clearTimeout(this.timer);
    clearInterval(this.maintenance);
  }

  private killAll(): void {
    for (const [id, r] of this.running) {
      r.execution.kill();
      clearTimeout(r.pendingEvent);
      this.release(id, r.handler);
    }
    this.running.clear();
  }

  /** A job this runner held goes back to the queue, or fails when its kind does not resume. */
  private release(id: number, handler: AnyJobHandler): void {
    try {
      const now = this.now();
      if (handler.recovery === 'resume') requeueJob(this.db, id, this.options.owner.id, 'queued', now, null, now);
      else abandonJob(this.db, id, this.options.owner.id, { state: 'failed', code: 'INTERRUPTED', message: 'Interrompu par la fermeture d’Ordo. Relancez-le.' }, now);
    } catch (error) {
      log.error('could not release a job', { job: id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private maintain(): void {
    if (this.closed) return;
    try {
      const now = this.now();
      if (this.running.size > 0) renewLeases(this.db, this.options.owner.id, now, this.leaseMs);
      for (const [id, r] of this.running) if (!r.job.cancelRequested && cancelRequested(this.db, id)) r.execution.abort('cancel');
      this.recover();
      if (this.options.autoRun) this.tick();
    } catch (error) {
      // Busy database (another process writing for longer than busy_timeout): next round.
      log.warn('job maintenance skipped', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Jobs left running by a runner that is gone: queued again to resume, or failed with the reason. */
  private recover(): void {
    const now = this.now();
    for (const stored of runningJobs(this.db)) {
      if (stored.owner === this.options.owner.id || !this.isDead(stored, now)) continue;
      const handler = this.handlerOf(stored.job.kind);
      const { job } = stored;
      const resumed = handler.recovery === 'resume' && job.attempts < job.maxAttempts && requeueJob(this.db, job.id, stored.owner, 'queued', now, null, now);
      if (!resumed) {
        const again = job.attempts >= job.maxAttempts ? ' à plusieurs reprises' : '';
        abandonJob(this.db, job.id, stored.owner, { state: 'failed', code: 'INTERRUPTED', message: `Interrompu par l’arrêt inattendu d’Ordo${again}. Relancez-le.` }, now);
      }
      log.warn('job recovered after its process stopped', { job: job.id, kind: job.kind, resumed });
      this.changed(this.get(job.id));
    }
  }

  private isDead(stored: StoredJob, now: Date): boolean {
    if (stored.owner !== null && this.deadOwners.has(stored.owner)) return true;
    if (stored.ownerPid !== null && stored.ownerPid !== process.pid && !pidAlive(stored.ownerPid)) return true;
    return stored.leaseUntil !== null && stored.leaseUntil < now.toISOString();
  }

  private tick(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    const busyKinds = new Set([...this.running.values()].map((r) => r.job.kind));
    for (const { id, kind } of dueJobs(this.db, this.now())) {
      if (busyKinds.has(kind as JobKind) || !Object.hasOwn(this.options.handlers, kind)) continue;
      if (this.claimAndStart(id)) busyKinds.add(kind as JobKind);
    }
    const next = nextDueAt(this.db);
    if (next !== undefined) {
      const delay = Math.min(MAX_TIMER_MS, Math.max(10, Date.parse(next) - this.now().getTime()));
      this.timer = setTimeout(() => this.tick(), delay);
      this.timer.unref();
    }
  }

  private claimAndStart(id: number): boolean {
    if (this.closed || this.running.has(id)) return false;
    if (!claimJob(this.db, id, this.options.owner, this.now(), this.leaseMs)) return false;
    const stored = readJob(this.db, id)!;
    const handler = this.handlerOf(stored.job.kind);
    const args = {
      job: stored.job,
      checkpoint: stored.checkpoint,
      owner: this.options.owner.id,
      dataDir: this.options.dataDir,
      sqlite: this.options.sqlite,
      writeGate: this.options.writeGate,
      onProgress: (progress: unknown) => this.progressed(id, progress),
    };
    const execution =
      handler.thread === 'own' && this.options.threads
        ? runInThread(args)
        : runInline(handler, { ...args, db: this.db, fetch: this.options.fetch, clock: this.options.clock });
    this.running.set(id, { job: stored.job, handler, execution, lastEvent: 0, pendingEvent: undefined });
    this.changed(stored.job);
    void execution.outcome.then((outcome) => this.ended(id, outcome));
    return true;
  }

  private progressed(id: number, progress: unknown): void {
    const r = this.running.get(id);
    if (r === undefined) return;
    r.job = { ...r.job, progress, updatedAt: this.now().toISOString() } as Job;
    const wait = r.lastEvent + PROGRESS_EVENT_MS - Date.now();
    // A new phase is pushed at once (the screens name it); within a phase, at most one event per
    // PROGRESS_EVENT_MS, the latest progress.
    if (wait <= 0 || phaseOf(progress) !== r.lastPhase) {
      clearTimeout(r.pendingEvent);
      r.pendingEvent = undefined;
      r.lastEvent = Date.now();
      r.lastPhase = phaseOf(progress);
      this.changed(r.job);
    } else {
      r.pendingEvent ??= setTimeout(() => {
        r.pendingEvent = undefined;
        r.lastEvent = Date.now();
        r.lastPhase = phaseOf(r.job.progress);
        if (this.running.get(id) === r) this.changed(r.job);
      }, wait);
    }
  }

  private ended(id: number, outcome: Outcome): void {
    const r = this.running.get(id);
    if (r === undefined) return; // released by a shutdown
    this.running.delete(id);
    clearTimeout(r.pendingEvent);
    const owner = this.options.owner.id;
    const now = this.now();
    try {
      if (outcome.type === 'done') {
        finishJob(this.db, id, owner, { state: 'done', result: outcome.result, progress: r.job.progress }, now);
      } else if (outcome.type === 'aborted') {
        if (outcome.reason === 'shutdown') this.release(id, r.handler);
        else {
          const ending = { state: 'cancelled', code: 'CANCELLED', message: outcome.message ?? errorMessages.CANCELLED, progress: r.job.progress } as const;
          finishJob(this.db, id, owner, outcome.result === undefined ? ending : { ...ending, result: outcome.result }, now);
        }
      } else {
        const retry = r.handler.retry;
        const { code, message } = outcome.error;
        if (retry !== undefined && retry.retryable(outcome.error) && r.job.attempts < r.job.maxAttempts) {
          const delay = retryDelayMs(r.job.attempts, retry, this.random);
          requeueJob(this.db, id, owner, 'retrying', new Date(now.getTime() + delay), { code, message }, now);
        } else {
          finishJob(this.db, id, owner, { state: 'failed', code, message, progress: r.job.progress }, now);
        }
      }
    } catch (error) {
      log.error('could not record the end of a job', { job: id, error: error instanceof Error ? error.message : String(error) });
    }
    const job = readJob(this.db, id)?.job;
    if (job !== undefined) this.changed(job);
    if (this.options.autoRun) this.tick();
  }

  private changed(job: Job): void {
    this.options.onChange?.(job);
    if (!isActiveJobState(job.state)) {
      for (const resolve of this.waiters.get(job.id) ?? []) resolve(job);
      this.waiters.delete(job.id);
    }
  }
}
