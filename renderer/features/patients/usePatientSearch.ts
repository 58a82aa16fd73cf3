import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { CallOutput } from '../../../shared/contract';
import type { OrdoError } from '../../../shared/errors';
import { call } from '../../app/api';

export const PAGE_SIZE = 20;

/**
 * Search as the GP types. Same cache key as useCall('patients.search', …), so saving a patient
 * refreshes it; the previous results stay on screen while the next keystroke's arrive, so the
 * list does not flicker.
 */
export function usePatientSearch(query: string) {
  const input = { query, limit: PAGE_SIZE };
  return useQuery<CallOutput<'patients.search'>, OrdoError>({
    queryKey: ['patients.search', input],
    queryFn: () => call('patients.search', input),
    enabled: query.trim() !== '',
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}
