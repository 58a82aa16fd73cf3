import type { patientCalls } from '../../shared/calls/patients';
import type { AppContext } from '../context';
import type { ServicesFor } from '../dispatch';
import { createPatientService } from './service';

export function patientServices(ctx: AppContext): ServicesFor<typeof patientCalls> {
  const patients = createPatientService(ctx.db, ctx.clock);
  return {
    'patients.search': ({ query, limit, offset }) => patients.search(query, limit, offset),
    'patients.get': ({ id }) => patients.get(id),
    'patients.create': ({ patient, confirmed }) => {
      const record = patients.create(patient, confirmed);
      ctx.emit('patients.changed', { ids: [record.id], count: 1 });
      return record;
    },
    'patients.update': ({ id, patient, confirmed }) => {
      const record = patients.update(id, patient, confirmed);
      ctx.emit('patients.changed', { ids: [record.id], count: 1 });
      return record;
    },
    // The file goes with the job (job_payloads); reading and checking it is the job's work.
    'patients.import': ({ fileName, contentBase64, requestId }) => {
      const bytes = Buffer.from(contentBase64, 'base64');
      return ctx.jobs.submit(
        'patients.import',
        { fileName, bytes: bytes.length },
        { payloads: { file: bytes }, ...(requestId === undefined ? {} : { idempotencyKey: `patients.import:${requestId}` }) },
      );
    },
  };
}
