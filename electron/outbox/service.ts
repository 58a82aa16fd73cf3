/**
 * The outbox as the Envois screen, the badge and `ordo outbox` see it, and what starts a sync:
 * the launch, the network back, a new signature or cancellation, « Réessayer », a new endpoint.
 * Starting one reuses the sync not finished yet (one at a time); a sync waiting to retry runs now.
 */
import { DMP_TIMEOUT_DEFAULT_MS, type OutboxSummary } from '../../shared/calls/outbox';
import type { Job, JobOf } from '../../shared/calls/jobs';
import { OrdoError } from '../../shared/errors';
import { appendAudit } from '../audit/audit';
import type { AppContext } from '../context';
import { writeTransaction } from '../db/transaction';
import { readSetting, removeSetting, writeSetting } from '../settings/repository';
import { attentionCount, countDue, listItems, retryRows, rowExists, stateCounts } from './repository';

type SyncJob = JobOf<'outbox.sync'>;

export function createOutboxService(ctx: AppContext) {
  const { db } = ctx;

  /** The latest sync, when it is not finished, or the last one. */
  function currentSync(): SyncJob | null {
    const [job] = ctx.jobs.list({ kind: 'outbox.sync', limit: 1 }) as SyncJob[];
    return job ?? null;
  }

  function summary(): OutboxSummary {
    const job = currentSync();
    const active = job !== null && (job.state === 'running' || job.state === 'retrying' || job.state === 'queued');
    const progress = job?.state === 'running' ? job.progress : null;
    const lastError = job !== null && (job.state === 'retrying' || job.state === 'failed') ? (job.error?.message ?? null) : null;
    return {
      counts: stateCounts(db),
      attention: attentionCount(db),
      sync: {
        state: !active ? 'idle' : job.state === 'running' ? 'running' : 'retrying',
        jobId: active ? job.id : null,
        done: progress?.done ?? 0,
        total: progress?.total ?? 0,
        percent: progress?.percent ?? 0,
        nextRunAt: active && job.state !== 'running' ? job.nextRunAt : null,
        lastError,
      },
      dmp: { endpointUrl: readSetting(db, 'dmp.endpointUrl') ?? null, timeoutMs: readSetting(db, 'dmp.timeoutMs') ?? DMP_TIMEOUT_DEFAULT_MS, sandbox: true },
    };
  }

  /** When the waiting sync runs next: a failed row's next try. */
  function retryAt(): string | null {
    const job = currentSync();
    return job !== null && (job.state === 'retrying' || job.state === 'queued') ? job.nextRunAt : null;
  }

  /** Starts a sync, or gives the one not finished (woken when it waits to retry). */
  function startSync(trigger: SyncJob['input']['trigger'], endpointUrl?: string): SyncJob {
    const job = ctx.jobs.submit('outbox.sync', { trigger, ...(endpointUrl === undefined ? {} : { endpointUrl }) }, { reuseActive: true });
    return (job.state === 'retrying' || job.state === 'queued' ? ctx.jobs.wake(job.id) : job) as SyncJob;
  }

  const changed = () => ctx.emit('outbox.changed', { count: attentionCount(db) });
  /** Rows were added while a sync was running: it may have read its rows already, so another follows it. */
  let again = false;

  return {
    summary,
    startSync,
    attention: () => attentionCount(db),
    list: (filter: 'all' | 'attention' | 'sent', limit: number) => ({ items: listItems(db, filter, limit, retryAt()), summary: summary() }),
    retry(id: number | undefined): OutboxSummary {
      if (id !== undefined && !rowExists(db, id)) throw new OrdoError('NOT_FOUND', 'Cet envoi n’existe pas.');
      const moved = retryRows(db, id, ctx.clock.now());
      if (id !== undefined && moved === 0) throw new OrdoError('CONFLICT', 'Cet envoi n’est ni en échec ni refusé : il n’y a rien à réessayer.');
      startSync('retry');
      changed();
      return summary();
    },
    sync(trigger: 'launch' | 'online' | 'retry'): OutboxSummary {
      startSync(trigger);
      return summary();
    },
    /** After a signature or a cancellation: a sync, when rows wait for one and none runs. */
    kick(): void {
      if (countDue(db) === 0) return;
      if (currentSync()?.state === 'running') again = true;
      else startSync('signed');
    },
    /** Every change of a sync job (app.ts): when one ends and rows came meanwhile, the next starts. */
    jobChanged(job: SyncJob): void {
      if (job.state === 'running' || job.state === 'queued') return;
      if (again) {
        again = false;
        startSync('signed');
      }
    },
    configure(input: { endpointUrl: string; timeoutMs?: number | undefined }): OutboxSummary {
      const now = ctx.clock.now();
      const before = { endpointUrl: readSetting(db, 'dmp.endpointUrl') ?? null, timeoutMs: readSetting(db, 'dmp.timeoutMs') ?? null };
      const after = { endpointUrl: input.endpointUrl === '' ? null : input.endpointUrl, timeoutMs: input.timeoutMs ?? before.timeoutMs };
      if (before.endpointUrl === after.endpointUrl && before.timeoutMs === after.timeoutMs) return summary();
      writeTransaction(db, () => {
        if (after.endpointUrl === null) removeSetting(db, 'dmp.endpointUrl');
        else writeSetting(db, 'dmp.endpointUrl', after.endpointUrl, now);
        if (after.timeoutMs !== null) writeSetting(db, 'dmp.timeoutMs', after.timeoutMs, now);
        appendAudit(db, { actor: 'prescriber', action: 'dmp.endpoint.updated', subject: 'settings:dmp', details: { before, after } }, now);
      });
      ctx.emit('settings.changed', { key: 'dmp.endpointUrl' });
      if (after.endpointUrl !== null) startSync('retry');
      return summary();
    },
  };
}

export type OutboxService = ReturnType<typeof createOutboxService>;

/** Whether a job change concerns the outbox (its screen and badge follow it). */
export const isOutboxJob = (job: Job): job is SyncJob => job.kind === 'outbox.sync';
