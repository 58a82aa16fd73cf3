import { keepPreviousData, useInfiniteQuery, useQueries, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import type { DrugSearchResult } from '../../../shared/calls/drugs';
import type { OrdoError } from '../../../shared/errors';
import { call } from '../../app/api';
import { FIRST_PAGE_GROUPS } from '../../../shared/domain/drugs';
import { TEXT_LIMITS } from '../../../shared/domain/validation';

/** Groups of the first answer, then of each « Afficher … autres groupes ». */
export const FIRST_GROUPS = FIRST_PAGE_GROUPS;
export const MORE_GROUPS = 20;

/**
 * The search as the GP types: one call per keystroke (the main process answers in well under a
 * millisecond), the previous results kept on screen until the next ones arrive so the list does
 * not flicker. Later pages continue the first (`offset`); every `drugs.search` key is refreshed
 * when the base changes (shared/invalidates.ts).
 */
const searchPages = (query: string) => ({
  queryKey: ['drugs.search', { query, pages: true }] as readonly unknown[],
  queryFn: ({ pageParam }: { pageParam: number }) => call('drugs.search', { query, offset: pageParam, limit: pageParam === 0 ? FIRST_GROUPS : MORE_GROUPS }),
  initialPageParam: 0,
  getNextPageParam: (last: DrugSearchResult) => (last.offset + last.groups.length < last.totalGroups ? last.offset + last.groups.length : undefined),
});

export function useDrugSearch(query: string) {
  return useInfiniteQuery<DrugSearchResult, OrdoError, InfiniteData<DrugSearchResult, number>, readonly unknown[], number>({
    ...searchPages(query),
    enabled: query.trim() !== '',
    placeholderData: keepPreviousData,
  });
}

/**
 * Sends the search from the keystroke's own handler, so the request is on its way before React
 * renders and runs the query's effect (a frame later): the picker's results come a frame sooner.
 */
export function prefetchDrugSearch(client: QueryClient, query: string): void {
  if (query.trim() === '') return;
  // Errors are the hook's to show, when it reads the same query.
  client.infiniteQuery<DrugSearchResult, OrdoError, InfiniteData<DrugSearchResult, number>, readonly unknown[], number>(searchPages(query)).catch(() => undefined);
}

/** Queries whose « ahead » answers were asked for (the latest ones), so each is asked once. */
const askedAhead = new Set<string>();
const ASKED_MAX = 500;
/** Per client, how many times its drug searches were made stale (a new referential): answers asked before are dropped. */
const staleCounts = new WeakMap<QueryClient, { count: number }>();

function staleCountOf(client: QueryClient): { count: number } {
  let counter = staleCounts.get(client);
  if (counter === undefined) {
    const created = { count: 0 };
    client.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'invalidate' && (event.query.queryKey as readonly unknown[])[0] === 'drugs.search') {
        created.count++;
        askedAhead.clear();
      }
    });
    staleCounts.set(client, created);
    counter = created;
  }
  return counter;
}

/**
 * Asks, once per query, for the first page of every query one character longer (`drugs.searchAhead`)
 * and keeps each answer as that query's cached first page: when the GP types the next letter, its
 * results are already here and show in that keystroke's own frame. What a search already holds
 * is left alone; answers that come back after the referential changed are dropped.
 */
export function searchAhead(client: QueryClient, query: string): void {
  if (query.length >= TEXT_LIMITS.query || askedAhead.has(query)) return;
  askedAhead.add(query);
  if (askedAhead.size > ASKED_MAX) askedAhead.delete(askedAhead.values().next().value!);
  const stale = staleCountOf(client);
  const asked = stale.count;
  call('drugs.searchAhead', { query })
    .then(({ answers }) => {
      if (stale.count !== asked) return;
      for (const answer of answers) {
        const key = searchPages(answer.query).queryKey;
        if (client.getQueryData(key) !== undefined) continue;
        client.setQueryData<InfiniteData<DrugSearchResult, number>>(key, { pages: [answer], pageParams: [0] });
      }
    })
    // Only a head start: the query's own search still runs when the GP types it.
    .catch(() => askedAhead.delete(query));
}

/** Every matching specialty of the groups the GP opened (« Afficher les N autres spécialités »). */
export function useWholeGroups(query: string, keys: readonly string[]): Map<string, DrugSearchResult> {
  const results = useQueries({
    queries: keys.map((group) => ({
      queryKey: ['drugs.search', { query, group }],
      queryFn: () => call('drugs.search', { query, group }),
    })),
  });
  const whole = new Map<string, DrugSearchResult>();
  results.forEach((r, i) => {
    if (r.data !== undefined && r.data.query === query) whole.set(keys[i]!, r.data);
  });
  return whole;
}
