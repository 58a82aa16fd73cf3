/**
 * The entry of every thread Ordo starts (built as dist/electron/worker.cjs): the service worker,
 * which holds the services and the practice database; a job thread, which runs one long job on a
 * connection of its own; or a task thread, which does one piece of reading off the service worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { JobThreadData } from '../jobs/execution';
import type { ServiceWorkerData } from './protocol';
import type { TaskThreadData } from './tasks';
import type { SearchThreadData } from '../drugs/api';

async function main(): Promise<void> {
  const data = workerData as ServiceWorkerData | JobThreadData | TaskThreadData | SearchThreadData;
  if (data.role === 'service') {
    const { runServiceWorker } = await import('./service-worker');
    runServiceWorker(data);
  } else if (data.role === 'search') {
    const { runSearchThread } = await import('../drugs/api');
    runSearchThread(data, parentPort!);
  } else if (data.role === 'task') {
    const [{ runTaskThread }, { tasks }] = await Promise.all([import('./tasks'), import('../tasks')]);
    await runTaskThread(data, (message, transfer) => parentPort!.postMessage(message, transfer), tasks);
  } else {
    const [{ runJobThread }, { jobHandlers }] = await Promise.all([import('../jobs/job-thread'), import('../job-kinds')]);
    await runJobThread(data, parentPort!, jobHandlers);
  }
}

void main();
