/**
 * The inside of a job thread: its own connection to the practice database (never migrated here:
 * the service worker did that before it claimed the job), the job's handler, messages to the
 * runner. Nothing thrown escapes: every end is one message.
 */
import { setPriority } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import { OrdoError } from '../../shared/errors';
import { systemClock } from '../clock';
import { latestVersion, schemaVersion } from '../db/migrate';
import { migrations } from '../db/migrations';
import { openSqlite } from '../db/open';
import { useWriteGate } from '../db/transaction';
import { WriteGate } from '../db/write-gate';
import { globalFetch } from '../net';
import { databasePath } from '../paths';
import { createJobContext } from './context';
import { abortedOutcome, jobErrorOf, type AbortReason, type FromJobThread, type JobThreadData, type ToJobThread } from './execution';
import { runHandler, type AnyJobHandler, type JobHandlers } from './kind';

/** Like `nice 10`: below the threads that answer calls. */
const JOB_THREAD_NICE = 10;

export async function runJobThread(data: JobThreadData, port: MessagePort, handlers: JobHandlers): Promise<void> {
  const send = (message: FromJobThread) => port.postMessage(message);
  const controller = new AbortController();
  port.on('message', (message: ToJobThread) => {
    if (message.type === 'abort') controller.abort(message.reason);
  });
  const handler = handlers[data.job.kind] as AnyJobHandler;
  // Background work: on Linux, where a nice value is per thread, this thread yields the processor
  // to the ones that answer the GP (elsewhere the call would lower the whole process: not made).
  if (process.platform === 'linux') {
    try {
      setPriority(JOB_THREAD_NICE);
    } catch {
      // not permitted here: the job runs at the normal priority
    }
  }
  // This thread's batches let the GP's writes go first (db/write-gate.ts).
  useWriteGate(data.writeGate === undefined ? undefined : new WriteGate(data.writeGate), false);
  let db;
  try {
    db = openSqlite(databasePath(data.dataDir), data.sqlite);
    if (schemaVersion(db) !== latestVersion(migrations)) throw new OrdoError('DATABASE_ERROR');
    const ctx = createJobContext({
      job: data.job,
      checkpoint: data.checkpoint,
      db,
      owner: data.owner,
      dataDir: data.dataDir,
      sqlite: data.sqlite,
      fetch: globalFetch,
      clock: systemClock,
      signal: controller.signal,
      report: (progress) => send({ type: 'progress', progress }),
    });
    const result = await runHandler(handler, ctx);
    send({ type: 'done', result });
  } catch (error) {
    if (controller.signal.aborted) send(abortedOutcome(controller.signal.reason as AbortReason, error));
    else send({ type: 'failed', error: jobErrorOf(error, data.job.kind) });
  } finally {
    db?.close();
    port.close();
  }
}
