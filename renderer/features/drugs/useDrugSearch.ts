import { keepPreviousData, useInfiniteQuery, useQueries, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import type { DrugSearchResult } from '../../../shared/calls/drugs';
import type { OrdoError } from '../../../shared/errors';
import { call } from '../../app/api';

/** Groups of the first answer, then of each « Afficher … autres groupes ». */
export const FIRST_GROUPS = 10;
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
