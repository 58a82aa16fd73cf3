// From source only (tests, `npm run ordo`): load the thread's TypeScript entry through tsx.
// Built code starts dist/electron/worker.cjs directly (electron/worker/entry.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
