/**
 * One-shot work the service worker hands to a thread of its own, so that reading a big file or
 * checking the whole database never holds up a call: the task streams messages back (chunks of
 * records, typed arrays transferred without a copy) and ends with a result. The registry of tasks
 * is electron/tasks.ts; without threads (in-process tests) a task runs in the caller's thread
 * through the same function.
 */
import { Worker } from 'node:worker_threads';
import { OrdoError, type OrdoErrorPayload } from '../../shared/errors';
import { toErrorPayload } from '../dispatch';
import { threadEntry } from './entry';

/** Sends one message to whoever started the task; `transfer` moves buffers instead of copying them. */
export type TaskPost = (message: unknown, transfer?: ArrayBuffer[]) => void;
export type TaskFn<A = never, R = unknown> = (args: A, post: TaskPost) => Promise<R> | R;

export interface TaskThreadData {
  role: 'task';
  task: string;
  args: unknown;
}

export type FromTaskThread = { type: 'message'; message: unknown } | { type: 'result'; result: unknown } | { type: 'error'; error: OrdoErrorPayload };

export type RunTask = <R>(task: string, args: unknown, onMessage?: (message: unknown) => void) => Promise<R>;

/** Runs tasks in threads, or inline when `threads` is false. */
export function taskRunner(registry: Record<string, TaskFn>, threads: boolean): RunTask {
  return async <R>(task: string, args: unknown, onMessage?: (message: unknown) => void): Promise<R> => {
    const fn = registry[task] as TaskFn<unknown, R> | undefined;
    if (fn === undefined) throw new Error(`unknown task ${task}`);
    if (!threads) return fn(args, (message) => onMessage?.(message));
    const entry = threadEntry();
    const data: TaskThreadData = { role: 'task', task, args };
    const worker = new Worker(entry.file, { workerData: { ...entry.data, ...data } });
    return new Promise<R>((resolve, reject) => {
      let ended = false;
      worker.on('message', (m: FromTaskThread) => {
        if (m.type === 'message') onMessage?.(m.message);
        else {
          ended = true;
          if (m.type === 'result') resolve(m.result as R);
          else reject(new OrdoError(m.error.code, m.error.message));
          void worker.terminate();
        }
      });
      worker.on('error', (error) => {
        ended = true;
        reject(error);
      });
      worker.on('exit', () => {
        if (!ended) reject(new OrdoError('INTERNAL'));
      });
    });
  };
}

/** The inside of a task thread (electron/worker/thread.ts, role "task"). */
export async function runTaskThread(data: TaskThreadData, post: (message: FromTaskThread, transfer?: ArrayBuffer[]) => void, registry: Record<string, TaskFn>): Promise<void> {
  try {
    const fn = registry[data.task] as TaskFn<unknown>;
    const result = await fn(data.args, (message, transfer) => post({ type: 'message', message }, transfer));
    post({ type: 'result', result });
  } catch (error) {
    post({ type: 'error', error: toErrorPayload(error, `task ${data.task}`) });
  }
}
