/**
 * The service worker: the services, the practice database and the job runner, in one Node
 * worker_thread, answering the adapter over its MessagePort. Every call goes through `dispatch`;
 * long work runs in job threads of its own or in slices that yield, so a call is answered within a
 * few milliseconds whatever else runs.
 */
import type { MessagePort } from 'node:worker_threads';
import { useWriteGate } from '../db/transaction';
import { WriteGate } from '../db/write-gate';
import { dispatch, toErrorPayload } from '../dispatch';
import { protectedKeyProvider } from '../keys/signing-key';
import { createLogger } from '../log';
import type { FromService, ServiceWorkerData, ToService } from './protocol';
import { shellPrinter, shellProtector } from './shell';
import { superviseApp, type Supervised } from './supervisor';

const log = createLogger('worker');

export function runServiceWorker(data: ServiceWorkerData): void {
  const port: MessagePort = data.port;
  const send = (message: FromService) => port.postMessage(message);
  // The GP's writes (answered here) go before the job threads' batches.
  const gate = WriteGate.create();
  useWriteGate(gate, true);
  let app: Supervised;
  try {
    // A damaged database starts the degraded mode (only the backup calls answer), not a refusal.
    app = superviseApp({
      dataDir: data.dataDir,
      mode: data.mode,
      sqlite: data.sqlite,
      jobs: { autoRun: true, threads: data.threads, owner: data.owner, deadOwners: data.deadOwners, writeGate: gate.buffer },
      onEvent: (event) => send({ type: 'event', event }),
      dailyBackups: true,
      startupCheck: true,
      // In the app: the key sealed by the OS keychain and the print dialog, both the main process's.
      ...(data.shell !== undefined && data.shellOffers?.keychain === true ? { signingKey: protectedKeyProvider(data.dataDir, shellProtector(data.shell)) } : {}),
      ...(data.shell !== undefined && data.shellOffers?.print === true ? { printer: shellPrinter(data.shell) } : {}),
    });
  } catch (error) {
    // The port stays open until the client has read this and ended the thread: were the thread to
    // exit at once, its exit could reach the client before the reason does.
    send({ type: 'fatal', error: toErrorPayload(error, 'start') });
    port.on('message', () => undefined);
    return;
  }

  let closing = false;
  port.on('message', (message: ToService) => {
    switch (message.type) {
      case 'call':
        if (closing) {
          send({ type: 'result', id: message.id, result: { ok: false, error: { code: 'SERVICE_UNAVAILABLE', message: 'Ordo se ferme.' } } });
          return;
        }
        void dispatch(app.services, message.name, message.input).then((result) => send({ type: 'result', id: message.id, result }));
        return;
      case 'ping':
        send({ type: 'pong', id: message.id });
        return;
      case 'shutdown':
        closing = true;
        void app.shutdown().finally(() => {
          send({ type: 'closed' });
          port.close();
        });
        return;
      case 'fault':
        if (!data.faults) return;
        log.warn('fault injected', { fault: message.fault });
        if (message.fault === 'crash') {
          // Uncaught, as a bug would be: the thread dies before it reads another message.
          throw new Error('fault injected: crash');
        } else {
          const until = Date.now() + (message.ms ?? 1000);
          while (Date.now() < until) {
            // the worker stops answering, as a runaway computation would
          }
        }
        return;
    }
  });
  send({ type: 'ready' });
}
