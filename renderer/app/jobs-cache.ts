/**
 * Keeping cached job lists (`jobs.list` queries) current from `jobs.changed` events, without a
 * refetch: a job the list shows is replaced, a newer job that fits its filter goes on top, a job
 * that no longer fits an "active" list leaves it. Pure, so it is unit-tested.
 */
import type { Job, JobListInput } from '../../shared/calls/jobs';
import { isActiveJobState } from '../../shared/jobs';

export type JobListFilter = Partial<JobListInput>;

function fitsFilter(job: Job, filter: JobListFilter): boolean {
  return (filter.kind === undefined || filter.kind === job.kind) && (filter.active !== true || isActiveJobState(job.state));
}

/** The list after `job` changed; the same array when the list is unaffected. */
export function mergeJob(list: readonly Job[], job: Job, filter: JobListFilter): readonly Job[] {
  const limit = filter.limit ?? 10;
  const at = list.findIndex((j) => j.id === job.id);
  if (!fitsFilter(job, filter)) return at === -1 ? list : list.filter((j) => j.id !== job.id);
  if (at !== -1) {
    // An older snapshot arriving late never replaces a newer one.
    if (list[at]!.updatedAt > job.updatedAt) return list;
    return list.map((j, i) => (i === at ? job : j));
  }
  const newest = list[0];
  if (newest !== undefined && job.id < newest.id && list.length >= limit) return list;
  return [...list, job].sort((a, b) => b.id - a.id).slice(0, limit);
}
