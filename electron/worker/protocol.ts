/**
 * Messages between an adapter (the Electron main process, the HTTP host) and the service worker,
 * over the MessagePort handed to the worker at start. Calls carry a contract name and an input
 * that the worker's `dispatch` validates; nothing here carries a secret.
 */
import type { MessagePort } from 'node:worker_threads';
import type { PushedEvent } from '../../shared/events';
import type { OrdoErrorPayload, Result } from '../../shared/errors';
import type { OpenOptions } from '../db/types';

export type ToService =
  | { type: 'call'; id: number; name: string; input: unknown }
  | { type: 'ping'; id: number }
  | { type: 'shutdown' }
  /** Tests only (workerData.faults): make the worker crash, or stop answering for a while. */
  | { type: 'fault'; fault: 'crash' | 'hang'; ms?: number };

export type FromService =
  | { type: 'ready' }
  | { type: 'fatal'; error: OrdoErrorPayload }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: PushedEvent }
  | { type: 'pong'; id: number }
  | { type: 'closed' };

export interface ServiceWorkerData {
  role: 'service';
  port: MessagePort;
  dataDir: string;
  mode: 'electron' | 'host';
  sqlite: OpenOptions;
  /** This worker's job-runner id, and those of earlier workers of this process that died. */
  owner: string;
  deadOwners: string[];
  faults: boolean;
  /** Long jobs and tasks in threads of their own (always, but in benchmarks of the single-thread baseline). */
  threads: boolean;
  /**
   * The private line to the Electron main process (worker/shell.ts): `safeStorage` for the signing
   * key and the print dialog. Absent in the host: the key is sealed by the passphrase.
   */
  shell?: MessagePort;
  /** What the main process offers on `shell`. */
  shellOffers?: { keychain: boolean; print: boolean };
}
