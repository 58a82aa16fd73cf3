/**
 * The context a job runs with, the same whether it runs in the runner's thread or in a thread of
 * its own: its input, its checkpoint, its database connection, and `progress`, which reports at
 * once (the runner turns it into events) and saves to the job's row a few times a second, so a
 * reload of the window shows where it stands.
 */
import type { Job, JobKind } from '../../shared/calls/jobs';
import type { Clock } from '../clock';
import type { Db, OpenOptions } from '../db/types';
import type { Fetch } from '../net';
import type { JobContext } from './kind';
import { saveProgress } from './repository';

const SAVE_PROGRESS_MS = 500;

export interface JobContextArgs {
  job: Job;
  checkpoint: unknown;
  db: Db;
  owner: string;
  dataDir: string;
  sqlite: OpenOptions;
  fetch: Fetch;
  clock: Clock;
  signal: AbortSignal;
  report(progress: unknown): void;
}

/** A context for whichever kind `args.job` is (the handler of that kind is the one that reads it). */
export function createJobContext(args: JobContextArgs): JobContext<JobKind> {
  let savedAt = 0;
  return {
    jobId: args.job.id,
    input: args.job.input,
    attempt: args.job.attempts,
    db: args.db,
    owner: args.owner,
    dataDir: args.dataDir,
    sqlite: args.sqlite,
    fetch: args.fetch,
    signal: args.signal,
    checkpoint: args.checkpoint,
    now: () => args.clock.now(),
    progress(progress) {
      args.report(progress);
      const now = args.clock.now();
      if (now.getTime() - savedAt >= SAVE_PROGRESS_MS) {
        savedAt = now.getTime();
        saveProgress(args.db, args.job.id, args.owner, progress, now);
      }
    },
  };
}
