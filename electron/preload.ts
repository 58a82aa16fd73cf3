/**
 * Exposes exactly two functions to the page: `window.ordo.call(name, input)` for contract names,
 * and `window.ordo.on(name, callback)` for pushed event names (it returns an unsubscribe).
 * Bundled to CommonJS so that it runs in a sandboxed renderer; the names are inlined from
 * shared/contract.ts and shared/events.ts at build time (scripts/esbuild-options.mjs), so no
 * schema code ships here.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CallName } from '../shared/contract';
import type { EventName } from '../shared/events';
import { IPC_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/ipc';
import { OrdoError } from '../shared/errors';

declare const __ORDO_CALL_NAMES__: readonly CallName[];
declare const __ORDO_EVENT_NAMES__: readonly EventName[];
const allowedCalls = new Set<string>(__ORDO_CALL_NAMES__);
const allowedEvents = new Set<string>(__ORDO_EVENT_NAMES__);

type Callback = (payload: unknown) => void;
const subscribers = new Map<string, Set<Callback>>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
    if (typeof name !== 'string') return;
    for (const callback of subscribers.get(name) ?? []) {
      try {
        callback(payload);
      } catch {
        // a page's callback that throws does not stop the others
      }
    }
  });
}

contextBridge.exposeInMainWorld('ordo', {
  call: (name: unknown, input: unknown): Promise<unknown> => {
    if (typeof name !== 'string' || !allowedCalls.has(name)) {
      return Promise.resolve({ ok: false, error: new OrdoError('UNKNOWN_CALL').toPayload() });
    }
    return ipcRenderer.invoke(IPC_CHANNEL, name, input);
  },
  on: (name: unknown, callback: unknown): (() => void) => {
    if (typeof name !== 'string' || !allowedEvents.has(name) || typeof callback !== 'function') return () => undefined;
    listen();
    const set = subscribers.get(name) ?? new Set<Callback>();
    subscribers.set(name, set);
    const wrapped: Callback = (payload) => (callback as Callback)(payload);
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
});
