import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { CallOutput } from '../../../shared/contract';
import type { OrdoError } from '../../../shared/errors';
import { call } from '../../app/api';

/**
 * The search as the GP types: one call per keystroke (the main process answers in well under a
 * millisecond), the previous results kept on screen until the next ones arrive so the list does
 * not flicker. Same cache key as useCall('drugs.search', …), so an update of the base refreshes it.
 */
export function useDrugSearch(query: string) {
  const input = { query };
  return useQuery<CallOutput<'drugs.search'>, OrdoError>({
    queryKey: ['drugs.search', input],
    queryFn: () => call('drugs.search', input),
    enabled: query.trim() !== '',
    placeholderData: keepPreviousData,
  });
}
