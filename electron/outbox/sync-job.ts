/**
 * The outbox sync as a durable job (kind `outbox.sync`): the runner's first retrying kind. It runs
 * one at a time (the runner takes one job of a kind at a time, and callers reuse the active one);
 * a pass that ends with rows refused for now fails with a transient error, which the runner
 * retries with capped exponential backoff and full jitter; a process that dies mid-pass leaves the
 * job to be resumed and its rows to be re-checked (sync.ts).
 */
import { dmpEndpointSchema, DMP_TIMEOUT_DEFAULT_MS } from '../../shared/calls/outbox';
import { OrdoError } from '../../shared/errors';
import type { Db } from '../db/types';
import { httpTransport, unsignedSandboxAssertion } from '../dmp/api';
import type { JobHandler } from '../jobs/kind';
import { TransientNetworkError } from '../net';
import { readSetting } from '../settings/repository';
import { syncOutbox } from './sync';

/** The DMP to send to: this sync's own (the command line's `--dmp-url`), else Réglages'. */
export function endpointOf(db: Db, override?: string): { url: string; timeoutMs: number } | null {
  const timeoutMs = readSetting(db, 'dmp.timeoutMs') ?? DMP_TIMEOUT_DEFAULT_MS;
  if (override !== undefined) {
    const checked = dmpEndpointSchema.safeParse(override);
    if (!checked.success || checked.data === '') throw new OrdoError('INVALID_INPUT', checked.success ? 'L’adresse du DMP est vide.' : checked.error.issues[0]!.message);
    return { url: checked.data, timeoutMs };
  }
  const url = readSetting(db, 'dmp.endpointUrl');
  return url === undefined ? null : { url, timeoutMs };
}

export const OUTBOX_RETRY = { baseMs: 2_000, capMs: 5 * 60_000 };

export const outboxSyncHandler: JobHandler<'outbox.sync'> = {
  kind: 'outbox.sync',
  // With the cap, about four hours of retries; then the next launch, signature or « Réessayer » starts another.
  maxAttempts: 50,
  retry: { ...OUTBOX_RETRY, retryable: (error) => error.transient === true },
  recovery: 'resume',
  thread: 'own',

  async run(ctx) {
    const transport = httpTransport();
    const { waiting, ...result } = await syncOutbox({
      db: ctx.db,
      jobId: ctx.jobId,
      now: () => ctx.now(),
      signal: ctx.signal,
      transport,
      endpoint: endpointOf(ctx.db, ctx.input.endpointUrl),
      assertion: unsignedSandboxAssertion,
      progress: (p) => ctx.progress(p),
    });
    // Rows refused for now: the runner tries the job again later (backoff with jitter).
    if (waiting !== null) throw new TransientNetworkError(waiting);
    return result;
  },
};
