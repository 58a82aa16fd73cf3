/**
 * The service worker's private line to the Electron main process (docs/architecture.md, « How the
 * signing key reaches the worker »): a second MessagePort, created at start beside the contract's
 * port, never reachable through `dispatch`, for what only the main process can do:
 * - seal and open the signing key with Electron `safeStorage` (the OS keychain);
 * - show the OS print dialog on a PDF file.
 *
 * The key store's protectors are synchronous (keys/store.ts), and so is `safeStorage`: the worker
 * asks and waits on a SharedArrayBuffer (Atomics.wait, a thread may block; the main process never
 * does) that the main process fills with the answer, then copies it out and zeroes the buffer. A
 * print is asked and answered as plain messages.
 */
import type { MessagePort } from 'node:worker_threads';
import { ProtectorError, type KeyProtector } from '../keys/store';
import type { Printer } from '../prescriptions/api';

/** What the main process does for the worker; each absent where the app cannot. */
export interface ShellHandlers {
  /** `safeStorage.encryptString` and `decryptString`, over bytes. */
  seal?: (secret: Buffer) => Buffer;
  open?: (sealed: Buffer) => Buffer;
  print?: Printer;
}

type ToShell = { type: 'seal' | 'open'; bytes: Uint8Array; reply: SharedArrayBuffer } | { type: 'print'; id: number; file: string };
type FromShell = { type: 'printed'; id: number; printed: boolean; error: string | null };

/** The reply buffer: [state, length] as Int32, then the bytes. */
const HEADER = 8;
const CAPACITY = 4096;
const WAITING = 0;
const ANSWERED = 1;
const REFUSED = 2;
const TIMEOUT_MS = 15_000;

/** The main process's side: answers the worker's requests with `handlers`. */
export function serveShell(port: MessagePort, handlers: ShellHandlers): void {
  port.on('message', (message: ToShell) => {
    if (message.type === 'print') {
      const answer = (printed: boolean, error: string | null) => port.postMessage({ type: 'printed', id: message.id, printed, error } satisfies FromShell);
      if (handlers.print === undefined) return answer(false, null);
      handlers.print(message.file).then(
        (printed) => answer(printed, null),
        (error: unknown) => answer(false, error instanceof Error ? error.message : String(error)),
      );
      return;
    }
    const state = new Int32Array(message.reply, 0, 2);
    const out = new Uint8Array(message.reply, HEADER);
    try {
      const handler = message.type === 'seal' ? handlers.seal : handlers.open;
      if (handler === undefined) throw new Error('unavailable');
      const result = handler(Buffer.from(message.bytes));
      if (result.length > out.length) throw new Error('too long');
      out.set(result);
      result.fill(0);
      state[1] = result.length;
      Atomics.store(state, 0, ANSWERED);
    } catch {
      Atomics.store(state, 0, REFUSED);
    }
    Atomics.notify(state, 0);
  });
}

/** The worker's side of a seal or an open: blocks this thread until the main process answers. */
function ask(port: MessagePort, type: 'seal' | 'open', bytes: Buffer): Buffer {
  const reply = new SharedArrayBuffer(HEADER + CAPACITY);
  const state = new Int32Array(reply, 0, 2);
  port.postMessage({ type, bytes: new Uint8Array(bytes), reply } satisfies ToShell);
  const waited = Atomics.wait(state, 0, WAITING, TIMEOUT_MS);
  const answered = Atomics.load(state, 0);
  if (waited === 'timed-out' || answered !== ANSWERED) {
    throw new ProtectorError(type === 'open' ? 'le trousseau du système (safeStorage) n’a pas pu ouvrir la clé (autre session ou autre ordinateur ?)' : 'le trousseau du système (safeStorage) n’a pas pu protéger la clé', false);
  }
  const view = new Uint8Array(reply, HEADER, state[1]);
  const copy = Buffer.from(view);
  view.fill(0);
  return copy;
}

/** The signing key sealed by the OS keychain through the main process (the app's protector). */
export function shellProtector(port: MessagePort): KeyProtector {
  return {
    name: 'safeStorage',
    seal: (secret) => ask(port, 'seal', secret),
    open: (sealed) => ask(port, 'open', sealed),
  };
}

/** The OS print dialog, shown by the main process. */
export function shellPrinter(port: MessagePort): Printer {
  let next = 1;
  const waiting = new Map<number, { resolve: (printed: boolean) => void; reject: (error: Error) => void }>();
  port.on('message', (message: FromShell) => {
    if (message.type !== 'printed') return;
    const w = waiting.get(message.id);
    if (w === undefined) return;
    waiting.delete(message.id);
    if (message.error === null) w.resolve(message.printed);
    else w.reject(new Error(message.error));
  });
  // The port must not keep the worker alive by itself.
  port.unref();
  return (file) =>
    new Promise<boolean>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      port.postMessage({ type: 'print', id, file } satisfies ToShell);
    });
}
