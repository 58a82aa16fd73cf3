/**
 * The Electron adapter: every contract call goes through one `ipcMain.handle`, which checks that
 * the sender is Ordo's own top frame before relaying the call to the service worker (whose
 * `dispatch` validates it). Pushed events go to Ordo's own windows only. The renderer is treated
 * as untrusted.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { PushedEvent } from '../shared/events';
import { IPC_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/ipc';
import { OrdoError, type Result } from '../shared/errors';
import type { Backend } from './worker/backend';

export function registerIpc(backend: Backend, isTrustedUrl: (url: string) => boolean): () => void {
  ipcMain.handle(IPC_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<Result<unknown>> => {
    const frame = event.senderFrame;
    if (frame === null || frame.parent !== null || !isTrustedUrl(frame.url)) {
      return { ok: false, error: new OrdoError('FORBIDDEN').toPayload() };
    }
    return backend.call(typeof name === 'string' ? name : '', input);
  });
  return () => ipcMain.removeHandler(IPC_CHANNEL);
}

/** Sends an event to a window, if it still shows one of Ordo's own pages. */
export function sendEvent(contents: WebContents, event: PushedEvent, isTrustedUrl: (url: string) => boolean): void {
  if (contents.isDestroyed() || !isTrustedUrl(contents.getURL())) return;
  contents.send(IPC_EVENT_CHANNEL, event.name, event.payload);
}
