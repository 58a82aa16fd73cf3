import { QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { contract, type CallInput, type CallName, type CallOutput } from '../../shared/contract';
import { jobSchema, type Job, type JobKind, type JobOf } from '../../shared/calls/jobs';
import type { OrdoError } from '../../shared/errors';
import { isActiveJobState } from '../../shared/jobs';
import { EVERYTHING, invalidates } from '../../shared/invalidates';
import { call, onEvent, onReconnect } from './api';
import { mergeJob, type JobListFilter } from './jobs-cache';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
    mutations: { retry: false },
  },
});

/** A read call, cached by name and input. */
export function useCall<N extends CallName>(name: N, input: CallInput<N>) {
  return useQuery<CallOutput<N>, OrdoError>({ queryKey: [name, input], queryFn: () => call(name, input) });
}

/** Refetches what shared/invalidates.ts says a change makes stale. */
async function invalidate(client: QueryClient, stale: readonly CallName[] | typeof EVERYTHING): Promise<void> {
  if (stale === EVERYTHING) await client.invalidateQueries();
  else await Promise.all(stale.map((name) => client.invalidateQueries({ queryKey: [name] })));
}

/** A write call; what it makes stale (shared/invalidates.ts) is refetched after it succeeds. */
export function useAction<N extends CallName>(name: N) {
  const client = useQueryClient();
  return useMutation<CallOutput<N>, OrdoError, CallInput<N>>({
    mutationFn: (input) => call(name, input),
    onSuccess: async (value) => {
      if (returnsJob(name)) applyJob(client, value as Job);
      await invalidate(client, invalidates.calls[name] ?? []);
    },
  });
}

/** The calls whose answer is a job (they start or cancel one), read off the contract's output schemas. */
const jobOutputs = new Set<unknown>([jobSchema, ...jobSchema.options]);
const returnsJob = (name: CallName) => jobOutputs.has(contract[name].output);

/** A job snapshot goes into every cached list it belongs to, and into its own `jobs.get` entry. */
function applyJob(client: QueryClient, job: Job): void {
  client.setQueryData(['jobs.get', { id: job.id }], job);
  for (const [key, data] of client.getQueriesData<{ jobs: Job[] }>({ queryKey: ['jobs.list'] })) {
    if (data === undefined) continue;
    const filter = ((key)[1] ?? {}) as JobListFilter;
    const merged = mergeJob(data.jobs, job, filter);
    if (merged !== data.jobs) client.setQueryData(key, { jobs: merged });
  }
}

/**
 * The one bridge from pushed events to the cache, mounted once at the root: a job's progress is
 * merged into the cached lists (no refetch, no polling), and every event refetches what the
 * table in shared/invalidates.ts names.
 */
export function useEventBridge(): void {
  const client = useQueryClient();
  useEffect(() => {
    const offEvents = onEvent((name, payload) => {
      if (name === 'jobs.changed') {
        const job = payload as Job;
        applyJob(client, job);
        if (!isActiveJobState(job.state)) void invalidate(client, invalidates.jobEnded[job.kind]);
      }
      void invalidate(client, invalidates.events[name]);
    });
    const offReconnect = onReconnect(() => void client.invalidateQueries());
    return () => {
      offEvents();
      offReconnect();
    };
  }, [client]);
}

/** The latest job of a kind (running or ended), kept current by events: what a screen shows after a reload. */
export function useLatestJob<K extends JobKind>(kind: K): { job: JobOf<K> | undefined; isError: boolean; error: OrdoError | null } {
  const list = useCall('jobs.list', { kind, limit: 1 });
  return { job: list.data?.jobs[0] as JobOf<K> | undefined, isError: list.isError, error: list.error };
}
