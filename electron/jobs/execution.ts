/**
 * Running one claimed job, inline or in a thread of its own, behind one interface: progress as it
 * comes, then one outcome. A job thread has its own connection to the practice database (WAL lets
 * the service worker read beside it) and is terminated if it does not stop when asked.
 */
import { Worker } from 'node:worker_threads';
import type { Job } from '../../shared/calls/jobs';
import { OrdoError, type ErrorCode } from '../../shared/errors';
import type { Clock } from '../clock';
import type { Db, OpenOptions } from '../db/types';
import { createLogger } from '../log';
import type { Fetch } from '../net';
import { threadEntry } from '../worker/entry';
import { createJobContext } from './context';
import { JobStopped, runHandler, type AnyJobHandler } from './kind';

const log = createLogger('jobs');

/** How a job failed: its code, its French message, and whether trying again later may help. */
export type JobError = { code: ErrorCode; message: string; transient?: boolean };
export type Aborted = { type: 'aborted'; reason: AbortReason; message?: string; result?: unknown };
export type Outcome = { type: 'done'; result: unknown } | { type: 'failed'; error: JobError } | Aborted;

/** How a job that stopped on request says what it kept (a partial import's report). */
export function abortedOutcome(reason: AbortReason, error: unknown): Aborted {
  return error instanceof JobStopped ? { type: 'aborted', reason, message: error.message, result: error.partial } : { type: 'aborted', reason };
}
export type AbortReason = 'cancel' | 'shutdown';

export interface Execution {
  outcome: Promise<Outcome>;
  abort(reason: AbortReason): void;
  /** Ends it now (a thread is terminated): for a shutdown that cannot wait. */
  kill(): void;
}

export interface ExecutionArgs {
  job: Job;
  checkpoint: unknown;
  owner: string;
  dataDir: string;
  sqlite: OpenOptions;
  writeGate?: SharedArrayBuffer | undefined;
  onProgress(progress: unknown): void;
}

const UNEXPECTED = 'La tâche s’est arrêtée sur une erreur inattendue. Réessayez ; si cela persiste, ouvrez Réglages → Diagnostic.';

export function jobErrorOf(error: unknown, kind: string): JobError {
  if (error instanceof OrdoError) {
    const transient = (error as OrdoError & { transient?: unknown }).transient === true;
    return transient ? { code: error.code, message: error.message, transient } : { code: error.code, message: error.message };
  }
  log.error('job failed', { kind, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  return { code: 'INTERNAL', message: UNEXPECTED };
}

/** In the caller's thread, on the caller's connection. */
export function runInline(handler: AnyJobHandler, args: ExecutionArgs & { db: Db; fetch: Fetch; clock: Clock }): Execution {
  const controller = new AbortController();
  const ctx = createJobContext({ ...args, signal: controller.signal, report: (progress) => args.onProgress(progress) });
  const outcome = (async (): Promise<Outcome> => {
    try {
      const result = await runHandler(handler, ctx);
      return { type: 'done', result };
    } catch (error) {
      if (controller.signal.aborted) return abortedOutcome(controller.signal.reason as AbortReason, error);
      return { type: 'failed', error: jobErrorOf(error, handler.kind) };
    }
  })();
  return { outcome, abort: (reason) => controller.abort(reason), kill: () => controller.abort('shutdown') };
}

/** Messages between a job thread and the runner that started it. */
export type ToJobThread = { type: 'abort'; reason: AbortReason };
export type FromJobThread = { type: 'progress'; progress: unknown } | Outcome;

export interface JobThreadData {
  role: 'job';
  job: Job;
  checkpoint: unknown;
  owner: string;
  dataDir: string;
  sqlite: OpenOptions;
  writeGate: SharedArrayBuffer | undefined;
}

/** In a thread of its own (electron/worker/thread.ts, role "job"). */
export function runInThread(args: ExecutionArgs): Execution {
  const entry = threadEntry();
  const data: JobThreadData = { role: 'job', job: args.job, checkpoint: args.checkpoint, owner: args.owner, dataDir: args.dataDir, sqlite: args.sqlite, writeGate: args.writeGate };
  const worker = new Worker(entry.file, { workerData: { ...entry.data, ...data } });
  let settled = false;
  let abortReason: AbortReason | undefined;
  /** A thread that stopped without saying how it ended: aborted if it was asked to, else a failure. */
  const silentEnd = (): Outcome => (abortReason !== undefined ? { type: 'aborted', reason: abortReason } : { type: 'failed', error: { code: 'INTERNAL', message: UNEXPECTED } });
  const outcome = new Promise<Outcome>((resolve) => {
    const end = (o: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(o);
      void worker.terminate();
    };
    worker.on('message', (message: FromJobThread) => {
      if (message.type === 'progress') args.onProgress(message.progress);
      else end(message);
    });
    worker.on('error', (error) => {
      log.error('job thread crashed', { kind: args.job.kind, error: error.message });
      end(silentEnd());
    });
    worker.on('exit', (code) => {
      if (!settled && abortReason === undefined) log.error('job thread exited without an outcome', { kind: args.job.kind, code });
      end(silentEnd());
    });
  });
  return {
    outcome,
    abort(reason) {
      abortReason ??= reason;
      worker.postMessage({ type: 'abort', reason } satisfies ToJobThread);
    },
    kill() {
      abortReason ??= 'shutdown';
      void worker.terminate();
    },
  };
}
