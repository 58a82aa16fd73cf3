/**
 * Exposes exactly one function to the page: `window.ordo.call(name, input)`, for contract names
 * only. Bundled to CommonJS so that it runs in a sandboxed renderer; the call names are inlined
 * from shared/contract.ts at build time (scripts/esbuild-options.mjs), so no schema code ships here.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { CallName } from '../shared/contract';
import { IPC_CHANNEL } from '../shared/ipc';
import { OrdoError } from '../shared/errors';

declare const __ORDO_CALL_NAMES__: readonly CallName[];
const allowed = new Set<string>(__ORDO_CALL_NAMES__);

contextBridge.exposeInMainWorld('ordo', {
  call: (name: unknown, input: unknown): Promise<unknown> => {
    if (typeof name !== 'string' || !allowed.has(name)) {
      return Promise.resolve({ ok: false, error: new OrdoError('UNKNOWN_CALL').toPayload() });
    }
    return ipcRenderer.invoke(IPC_CHANNEL, name, input);
  },
});
