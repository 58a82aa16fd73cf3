import { OrdoError } from '../shared/errors';

/**
 * The one function that reaches the network: global `fetch` in the app, a fake in tests. Redirects
 * are not followed by it: the caller checks each target first (drugs/download.ts).
 */
export type Fetch = (url: string, init: { signal: AbortSignal; redirect: 'manual' }) => Promise<Response>;

export const globalFetch: Fetch = (url, init) => fetch(url, init);

/**
 * A network failure worth trying again later: no connection, a timeout, a 5xx, 408 or 429. A
 * refusal that will not change by waiting (404, 403…) is a plain NETWORK_ERROR instead.
 */
export class TransientNetworkError extends OrdoError {
  readonly transient = true;

  constructor(message: string) {
    super('NETWORK_ERROR', message);
  }
}

export const isTransientStatus = (status: number) => status >= 500 || status === 408 || status === 429;
