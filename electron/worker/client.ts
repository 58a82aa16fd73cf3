/**
 * The adapter's side of the service worker (docs/architecture.md, "The service worker"): starts
 * it, relays contract calls over a MessagePort, fans its events out, and restarts it when it dies
 * or stops answering. A call in flight when that happens gets a typed error, never a hang; a call
 * made while it restarts waits for the new worker.
 */
import { randomBytes } from 'node:crypto';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { PushedEvent } from '../../shared/events';
import { errorMessages, OrdoError, type ErrorCode, type Result } from '../../shared/errors';
import type { OpenOptions } from '../db/types';
import { createLogger } from '../log';
import { eventFanout, type Backend } from './backend';
import { threadEntry } from './entry';
import type { FromService, ServiceWorkerData, ToService } from './protocol';
import { serveShell, type ShellHandlers } from './shell';

const log = createLogger('worker.client');

export interface ServiceWorkerOptions {
  dataDir: string;
  mode: 'electron' | 'host';
  sqlite?: OpenOptions;
  /** A call unanswered for this long gets SERVICE_UNAVAILABLE (default 2 minutes). */
  callTimeoutMs?: number;
  /** How often the worker is pinged, and how long it may stay silent before it is restarted. */
  heartbeatMs?: number;
  hangMs?: number;
  /** Waits before each restart; the last one repeats. */
  restartDelaysMs?: readonly number[];
  /** Tests only: the worker accepts fault-injection messages. */
  faults?: boolean;
  /** Benchmarks only: false runs every job and task on the worker's own thread (the baseline of `npm run bench`). */
  threads?: boolean;
  /** The Electron main process's services to the worker (`safeStorage`, the print dialog), over a private port. */
  shell?: ShellHandlers;
}

export interface ServiceWorkerClient extends Backend {
  /** Times the worker was restarted after a crash or a hang. */
  readonly restarts: number;
  /** Tests only (with `faults`): crash the worker, or make it stop answering for `ms`. */
  injectFault(fault: 'crash' | 'hang', ms?: number): void;
  close(): Promise<void>;
}

const RESTARTED_MESSAGE =
  'Le service interne d’Ordo s’est arrêté de façon inattendue et a redémarré. Vérifiez que votre dernière action a bien été enregistrée.';

interface Pending {
  resolve(result: Result<unknown>): void;
  timer: NodeJS.Timeout;
}

interface Instance {
  worker: Worker;
  port: MessagePort;
  owner: string;
  ready: boolean;
  lastPong: number;
}

const failure = (code: ErrorCode, message?: string): Result<never> => ({ ok: false, error: new OrdoError(code, message ?? errorMessages[code]).toPayload() });

export async function startServiceWorker(options: ServiceWorkerOptions): Promise<ServiceWorkerClient> {
  const callTimeoutMs = options.callTimeoutMs ?? 120_000;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const hangMs = options.hangMs ?? 20_000;
  const delays = options.restartDelaysMs ?? [100, 500, 2_000, 5_000];
  const fanout = eventFanout();
  const pending = new Map<number, Pending>();
  const deadOwners: string[] = [];
  const readyWaiters: (() => void)[] = [];
  let nextId = 1;
  let instance: Instance | undefined;
  let fatal: OrdoError | undefined;
  let closing = false;
  let restarts = 0;
  let onClosed: (() => void) | undefined;

  const failPending = (code: ErrorCode) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.resolve(failure(code));
      pending.delete(id);
    }
  };

  function spawn(): Promise<void> {
    const entry = threadEntry();
    const { port1, port2 } = new MessageChannel();
    const shell = options.shell === undefined ? undefined : new MessageChannel();
    if (shell !== undefined) serveShell(shell.port1, options.shell!);
    const owner = `${process.pid}-${restarts}-${randomBytes(4).toString('hex')}`;
    const data: ServiceWorkerData = {
      role: 'service',
      port: port2,
      dataDir: options.dataDir,
      mode: options.mode,
      sqlite: options.sqlite ?? {},
      owner,
      deadOwners: [...deadOwners],
      faults: options.faults === true,
      threads: options.threads ?? true,
      ...(shell === undefined
        ? {}
        : { shell: shell.port2, shellOffers: { keychain: options.shell!.seal !== undefined && options.shell!.open !== undefined, print: options.shell!.print !== undefined } }),
    };
    const worker = new Worker(entry.file, { workerData: { ...entry.data, ...data }, transferList: shell === undefined ? [port2] : [port2, shell.port2] });
    const current: Instance = { worker, port: port1, owner, ready: false, lastPong: Date.now() };
    instance = current;
    return new Promise<void>((resolve, reject) => {
      port1.on('message', (message: FromService) => {
        switch (message.type) {
          case 'ready':
            current.ready = true;
            current.lastPong = Date.now();
            resolve();
            for (const wake of readyWaiters.splice(0)) wake();
            return;
          case 'fatal':
            fatal = new OrdoError(message.error.code, message.error.message);
            reject(fatal);
            for (const wake of readyWaiters.splice(0)) wake();
            void worker.terminate();
            return;
          case 'result': {
            const p = pending.get(message.id);
            if (p === undefined) return;
            pending.delete(message.id);
            clearTimeout(p.timer);
            p.resolve(message.result);
            return;
          }
          case 'event':
            fanout.emit(message.event);
            return;
          case 'pong':
            current.lastPong = Date.now();
            return;
          case 'closed':
            onClosed?.();
            return;
        }
      });
      worker.on('error', (error) => log.error('service worker failed', { error: error.message }));
      worker.on('exit', (code) => {
        port1.close();
        shell?.port1.close();
        if (instance !== current) return;
        instance = undefined;
        if (closing || fatal !== undefined) {
          failPending('SERVICE_UNAVAILABLE');
          onClosed?.();
          reject(fatal ?? new OrdoError('SERVICE_UNAVAILABLE'));
          return;
        }
        log.error('service worker stopped: restarting it', { code, restarts: restarts + 1 });
        deadOwners.push(owner);
        failPending('SERVICE_RESTARTED');
        const delay = delays[Math.min(restarts, delays.length - 1)] ?? 1000;
        restarts += 1;
        const restarted: PushedEvent = { name: 'service.restarted', payload: { message: RESTARTED_MESSAGE, restarts } };
        setTimeout(() => {
          if (closing) return;
          spawn().then(
            () => fanout.emit(restarted),
            (error: unknown) => log.error('service worker could not restart', { error: error instanceof Error ? error.message : String(error) }),
          );
        }, delay).unref();
        reject(new OrdoError('SERVICE_UNAVAILABLE'));
      });
    });
  }

  /** Resolves once a worker is ready (or will not be: fatal, closing). */
  function whenReady(timeoutMs: number): Promise<boolean> {
    if (instance?.ready === true) return Promise.resolve(true);
    if (fatal !== undefined || closing) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      readyWaiters.push(() => {
        clearTimeout(timer);
        resolve(instance?.ready === true);
      });
    });
  }

  await spawn();

  const heartbeat = setInterval(() => {
    const current = instance;
    if (current === undefined || !current.ready || closing) return;
    if (Date.now() - current.lastPong > hangMs) {
      log.error('service worker does not answer: restarting it', { silentMs: Date.now() - current.lastPong });
      void current.worker.terminate();
      return;
    }
    current.port.postMessage({ type: 'ping', id: 0 } satisfies ToService);
  }, heartbeatMs);
  heartbeat.unref();

  return {
    get restarts() {
      return restarts;
    },
    async call(name, input) {
      if (!(await whenReady(15_000)) || instance === undefined) {
        return fatal !== undefined ? failure(fatal.code, fatal.message) : failure('SERVICE_UNAVAILABLE');
      }
      const current = instance;
      const id = nextId++;
      return new Promise<Result<unknown>>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(failure('SERVICE_UNAVAILABLE'));
        }, callTimeoutMs);
        pending.set(id, { resolve, timer });
        try {
          current.port.postMessage({ type: 'call', id, name, input } satisfies ToService);
        } catch {
          // not cloneable (a function, a symbol): the contract would have refused it anyway
          clearTimeout(timer);
          pending.delete(id);
          resolve(failure('INVALID_INPUT'));
        }
      });
    },
    subscribe: (listener) => fanout.subscribe(listener),
    injectFault(fault, ms) {
      instance?.port.postMessage({ type: 'fault', fault, ...(ms === undefined ? {} : { ms }) } satisfies ToService);
    },
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(heartbeat);
      const current = instance;
      if (current === undefined) return;
      const closed = new Promise<void>((resolve) => {
        onClosed = resolve;
        setTimeout(resolve, 5_000).unref();
      });
      current.port.postMessage({ type: 'shutdown' } satisfies ToService);
      await closed;
      failPending('SERVICE_UNAVAILABLE');
      await current.worker.terminate();
    },
  };
}
