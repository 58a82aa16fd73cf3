/**
 * The one client for the main process. In Electron it goes through `window.ordo` (the preload);
 * in a browser it goes to the headless host over HTTP with the token: calls as POST /rpc/<name>,
 * pushed events as one Server-Sent Events stream (GET /events, read with fetch so the token
 * travels in a header, never in an address). Same types either way.
 */
import type { CallInput, CallName, CallOutput } from '../../shared/contract';
import { OrdoError, isErrorCode, type Result } from '../../shared/errors';
import { eventNames, isEventName, type EventName, type EventPayload } from '../../shared/events';
import { fr } from '../i18n/fr';
import { parseServerSentEvents } from './sse';

type Transport = (name: CallName, input: unknown) => Promise<Result<unknown>>;
type Listener = (name: EventName, payload: unknown) => void;

declare global {
  interface Window {
    ordo?: {
      call(name: string, input: unknown): Promise<Result<unknown>>;
      on(name: string, callback: (payload: unknown) => void): () => void;
    };
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

function httpTransport(token: string | null): Transport {
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

/**
 * Reads GET /events for as long as the page lives, reconnecting after a drop (the host
 * restarted, the machine slept) with a growing delay. `onReconnect` runs after each reconnection:
 * events may have been missed, so whatever is shown is refetched.
 */
function httpEvents(token: string | null, emit: Listener, onReconnect: () => void): void {
  if (token === null) return;
  let delay = 500;
  let connectedBefore = false;
  const connect = async (): Promise<void> => {
    try {
      const response = await fetch('/events', { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, cache: 'no-store' });
      if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
      if (connectedBefore) onReconnect();
      connectedBefore = true;
      delay = 500;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const parsed = parseServerSentEvents(buffer + value);
        buffer = parsed.rest;
        for (const event of parsed.events) {
          if (!isEventName(event.name)) continue;
          try {
            emit(event.name, JSON.parse(event.data) as unknown);
          } catch {
            // a malformed event is dropped, the stream goes on
          }
        }
      }
    } catch {
      // dropped or refused: try again below
    }
    setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, 10_000);
  };
  void connect();
}

const listeners = new Set<Listener>();
const reconnectListeners = new Set<() => void>();
const emitLocal: Listener = (name, payload) => {
  for (const listener of [...listeners]) listener(name, payload);
};

let transport: Transport;
if (window.ordo) {
  const bridge = window.ordo;
  transport = (name, input) => bridge.call(name, input);
  for (const name of eventNames) bridge.on(name, (payload) => emitLocal(name, payload));
} else {
  const token = hostToken();
  transport = httpTransport(token);
  httpEvents(token, emitLocal, () => {
    for (const listener of [...reconnectListeners]) listener();
  });
}

/** Calls the main process; resolves with the value or throws an OrdoError with a French message. */
export async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await transport(name, input);
  if (result.ok) return result.value as CallOutput<N>;
  const { code, message, fields } = result.error;
  throw new OrdoError(isErrorCode(code) ? code : 'INTERNAL', message, fields);
}

/** Every pushed event, as it arrives; returns an unsubscribe. */
export function onEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** One event by name, with its payload typed; returns an unsubscribe. */
export function on<N extends EventName>(name: N, callback: (payload: EventPayload<N>) => void): () => void {
  return onEvent((n, payload) => {
    if (n === name) callback(payload as EventPayload<N>);
  });
}

/** After the event stream was lost and found again (events may have been missed). */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}
