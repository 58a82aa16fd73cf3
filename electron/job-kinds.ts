/**
 * Every kind of durable job and its handler, for the runner and for the job threads. A new kind
 * (the DMP outbox) adds its schema to shared/calls/jobs.ts and its handler here.
 */
import { interactionInstallHandler } from './drugs/interactions-job';
import { drugUpdateHandler } from './drugs/update-job';
import type { JobHandlers } from './jobs/kind';
import { outboxSyncHandler } from './outbox/sync-job';
import { patientImportHandler } from './patients/import-job';

export const jobHandlers: JobHandlers = {
  'drugs.update': drugUpdateHandler,
  'patients.import': patientImportHandler,
  'interactions.install': interactionInstallHandler,
  'outbox.sync': outboxSyncHandler,
};
