/**
 * `ordo outbox drain`: syncs until nothing is left to send, or only rows refused for good or
 * waiting for the DMP to answer again remain. Passes follow each other while they get documents
 * through, with a short capped backoff (full jitter) between them; a pass where nothing got
 * through ends the drain. It refuses while a sync runs elsewhere (the app): one at a time.
 */
import type { OutboxState } from '../../shared/calls/outbox';
import { OrdoError } from '../../shared/errors';
import type { Clock } from '../clock';
import type { Db } from '../db/types';
import { httpTransport, unsignedSandboxAssertion } from '../dmp/api';
import { retryDelayMs } from '../jobs/backoff';
import { countDue, otherSyncRunning, stateCounts } from './repository';
import { endpointOf } from './sync-job';
import { syncOutbox } from './sync';

export interface DrainSummary {
  sent: number;
  refused: number;
  skipped: number;
  remaining: number;
  passes: number;
  durationMs: number;
  counts: Record<OutboxState, number>;
  /** French: why rows still wait, or that no DMP is set. */
  note: string | null;
}

const DRAIN_BACKOFF = { baseMs: 100, capMs: 2_000 };

export async function drainOutbox(
  db: Db,
  clock: Clock,
  options: { endpointUrl?: string; signal?: AbortSignal; random?: () => number; onProgress?: (p: { done: number; total: number }) => void } = {},
): Promise<DrainSummary> {
  if (otherSyncRunning(db, null)) throw new OrdoError('CONFLICT', 'Une synchronisation avec le DMP est déjà en cours dans Ordo : attendez qu’elle se termine.');
  const endpoint = endpointOf(db, options.endpointUrl);
  const transport = httpTransport();
  const started = Date.now();
  const total = { sent: 0, refused: 0, skipped: 0, remaining: 0, passes: 0 };
  let note: string | null;
  const signal = options.signal ?? new AbortController().signal;
  for (;;) {
    total.passes++;
    const pass = await syncOutbox({
      db,
      jobId: null,
      now: () => clock.now(),
      signal,
      transport,
      endpoint,
      assertion: unsignedSandboxAssertion,
      progress: (p) => options.onProgress?.({ done: p.done, total: p.total }),
    });
    total.sent += pass.sent;
    total.refused += pass.refused;
    total.skipped += pass.skipped;
    note = pass.note ?? pass.waiting;
    if (endpoint === null || pass.waiting === null || countDue(db) === 0 || pass.sent + pass.refused === 0 || signal.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs(total.passes, DRAIN_BACKOFF, options.random ?? Math.random)));
  }
  transport.close?.();
  return { ...total, remaining: countDue(db), durationMs: Date.now() - started, counts: stateCounts(db), note };
}
