import type { patientCalls } from '../../shared/calls/patients';
import type { AppContext } from '../context';
import type { ServicesFor } from '../dispatch';
import { createImportJobs } from './import-jobs';
import { createPatientService } from './service';

export function patientServices(ctx: AppContext): ServicesFor<typeof patientCalls> {
  const patients = createPatientService(ctx.db, ctx.clock);
  const imports = createImportJobs(ctx.db, ctx.clock);
  return {
    'patients.search': ({ query, limit }) => patients.search(query, limit),
    'patients.get': ({ id }) => patients.get(id),
    'patients.create': ({ patient, confirmDuplicate }) => patients.create(patient, confirmDuplicate),
    'patients.update': ({ id, patient, confirmDuplicate }) => patients.update(id, patient, confirmDuplicate),
    'patients.import': ({ fileName, contentBase64 }) => imports.runNow(fileName, contentBase64),
    'patients.importStart': ({ fileName, contentBase64 }) => imports.start(fileName, contentBase64),
    'patients.importStep': ({ jobId }) => imports.step(jobId),
  };
}
