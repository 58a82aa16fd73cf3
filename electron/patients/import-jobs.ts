/**
 * Imports started from the settings screen, by id. Only the latest few are kept: an import
 * abandoned halfway wrote nothing, so forgetting it is harmless.
 */
import { randomUUID } from 'node:crypto';
import type { ImportReport, ImportStatus } from '../../shared/domain/patient-record';
import { OrdoError } from '../../shared/errors';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { PatientImport } from './import-job';

const KEPT_JOBS = 4;

export function createImportJobs(db: Db, clock: Clock) {
  const jobs = new Map<string, PatientImport>();
  const decode = (contentBase64: string) => new Uint8Array(Buffer.from(contentBase64, 'base64'));
  return {
    /** Reads the file (IMPORT_FAILED if it cannot be) and keeps the job for `step`. */
    start(fileName: string, contentBase64: string): { jobId: string; status: ImportStatus } {
      const job = PatientImport.open(db, clock, fileName, decode(contentBase64));
      const jobId = randomUUID();
      jobs.set(jobId, job);
      for (const old of jobs.keys()) if (jobs.size > KEPT_JOBS) jobs.delete(old);
      return { jobId, status: job.status() };
    },
    step(jobId: string): ImportStatus {
      const job = jobs.get(jobId);
      if (job === undefined) throw new OrdoError('NOT_FOUND', "Cet import n'existe plus : relancez-le.");
      return job.step();
    },
    /** Reads, checks and writes in one call. */
    runNow(fileName: string, contentBase64: string): ImportReport {
      return PatientImport.open(db, clock, fileName, decode(contentBase64)).runToEnd();
    },
  };
}
