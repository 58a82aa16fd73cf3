/**
 * The one client for the main process. In Electron it goes through `window.ordo` (the preload);
 * in a browser it goes to the headless host over HTTP with the token. Same types either way.
 */
import type { CallInput, CallName, CallOutput } from '../../shared/contract';
import { OrdoError, isErrorCode, type Result } from '../../shared/errors';
import { fr } from '../i18n/fr';

type Transport = (name: CallName, input: unknown) => Promise<Result<unknown>>;

declare global {
  interface Window {
    ordo?: { call(name: string, input: unknown): Promise<Result<unknown>> };
  }
}

const TOKEN_KEY = 'ordo.token';

/** Takes the token from `#token=…` once, keeps it for reloads, and cleans the address bar. */
function hostToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match?.[1] !== undefined) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function httpTransport(): Transport {
  const token = hostToken();
  return async (name, input) => {
    if (token === null) return { ok: false, error: new OrdoError('UNAUTHORIZED', fr.errors.noToken).toPayload() };
    let response: Response;
    try {
      response = await fetch(`/rpc/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      return { ok: false, error: new OrdoError('NETWORK_ERROR', fr.errors.unreachable).toPayload() };
    }
    const body = (await response.json().catch(() => null)) as Result<unknown> | null;
    if (body === null || typeof body !== 'object' || !('ok' in body)) {
      return { ok: false, error: new OrdoError('INTERNAL').toPayload() };
    }
    return body;
  };
}

function ipcTransport(bridge: NonNullable<Window['ordo']>): Transport {
  return (name, input) => bridge.call(name, input);
}

const transport: Transport = window.ordo ? ipcTransport(window.ordo) : httpTransport();

/** Calls the main process; resolves with the value or throws an OrdoError with a French message. */
export async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await transport(name, input);
  if (result.ok) return result.value as CallOutput<N>;
  const { code, message, fields } = result.error;
  throw new OrdoError(isErrorCode(code) ? code : 'INTERNAL', message, fields);
}
