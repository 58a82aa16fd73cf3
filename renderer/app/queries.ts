import { QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CallInput, CallName, CallOutput } from '../../shared/contract';
import type { OrdoError } from '../../shared/errors';
import { call } from './api';

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

/** A write call; the reads it names are refetched after it succeeds. */
export function useAction<N extends CallName>(name: N, options: { invalidates: readonly CallName[] }) {
  const client = useQueryClient();
  return useMutation<CallOutput<N>, OrdoError, CallInput<N>>({
    mutationFn: (input) => call(name, input),
    onSuccess: async () => {
      await Promise.all(options.invalidates.map((key) => client.invalidateQueries({ queryKey: [key] })));
    },
  });
}
