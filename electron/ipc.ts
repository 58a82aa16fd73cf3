/**
 * The Electron adapter: every contract call goes through one `ipcMain.handle`, which checks that
 * the sender is Ordo's own top frame before dispatching. The renderer is treated as untrusted.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNEL } from '../shared/ipc';
import { OrdoError, type Result } from '../shared/errors';
import { dispatch, type ServiceTable } from './dispatch';


export function registerIpc(services: ServiceTable, isTrustedUrl: (url: string) => boolean): () => void {
  ipcMain.handle(IPC_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<Result<unknown>> => {
    const frame = event.senderFrame;
    if (frame === null || frame.parent !== null || !isTrustedUrl(frame.url)) {
      return { ok: false, error: new OrdoError('FORBIDDEN').toPayload() };
    }
    return dispatch(services, name, input);
  });
  return () => ipcMain.removeHandler(IPC_CHANNEL);
}
