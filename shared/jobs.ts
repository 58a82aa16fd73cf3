/**
 * Durable background jobs as every adapter and screen sees them. Each kind (a drug update, a
 * patient import, later the DMP outbox) is one zod object built by `jobSchemaOf`: the common
 * fields of the `jobs` table plus the kind's own input, progress and result. The union of every
 * kind is in shared/calls/jobs.ts.
 */
import { z } from 'zod';

export const jobStates = ['queued', 'running', 'retrying', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];
/** Not finished: waiting to run, running, or waiting to retry. */
export const activeJobStates = ['queued', 'running', 'retrying'] as const satisfies readonly JobState[];
export const isActiveJobState = (state: JobState) => (activeJobStates as readonly JobState[]).includes(state);

export const percentSchema = z.number().min(0).max(100);

/** Progress of a job that goes through named phases, each counting items done of a total. */
export const phasedProgressSchema = <const P extends readonly [string, ...string[]]>(phases: P) =>
  z.object({
    phase: z.enum(phases),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    percent: percentSchema,
  });

const jobError = z.object({ code: z.string(), message: z.string() });

const jobCommon = {
  id: z.number().int().positive(),
  state: z.enum(jobStates),
  /** Runs started so far (a retry or a resume after a crash is one more). */
  attempts: z.number().int().nonnegative(),
  maxAttempts: z.number().int().positive(),
  /** When a queued or retrying job may run next (ISO). */
  nextRunAt: z.string().nullable(),
  /** Why it failed or was cancelled, or the last error before a retry: in French. */
  error: jobError.nullable(),
  cancelRequested: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
};

export function jobSchemaOf<K extends string, I extends z.ZodType, P extends z.ZodType, R extends z.ZodType>(kind: K, parts: { input: I; progress: P; result: R }) {
  return z.object({
    ...jobCommon,
    kind: z.literal(kind),
    input: parts.input,
    progress: parts.progress.nullable(),
    result: parts.result.nullable(),
  });
}
