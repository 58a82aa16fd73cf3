import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { CallOutput } from '../../../shared/contract';
import type { OrdoError } from '../../../shared/errors';
import { call } from '../../app/api';

export const PAGE_SIZE = 20;

type Page = CallOutput<'patients.search'>;

/**
 * Search as the GP types, a page at a time: « Afficher les 20 suivants » fetches the next page
 * (offset = patients already shown). Cached under 'patients.search', so saving a patient refreshes
 * it; the previous results stay on screen while the next keystroke's arrive, so the list does not
 * flicker.
 */
export function usePatientSearch(query: string) {
  return useInfiniteQuery<Page, OrdoError, { pages: Page[] }, [string, { query: string; limit: number; paged: true }], number>({
    queryKey: ['patients.search', { query, limit: PAGE_SIZE, paged: true }],
    queryFn: ({ pageParam }) => call('patients.search', { query, limit: PAGE_SIZE, offset: pageParam }),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => (last.more ? pages.reduce((n, p) => n + p.results.length, 0) : undefined),
    enabled: query.trim() !== '',
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}
