import { z } from 'zod';
import { drugUpdateJobSchema } from './drugs';
import { interactionInstallJobSchema } from './interactions';
import { outboxSyncJobSchema } from './outbox';
import { patientImportJobSchema } from './patients';
import { rowId, type CallSpec } from './spec';

/** Every kind of durable job, as one union on `kind`. */
export const jobSchema = z.discriminatedUnion('kind', [drugUpdateJobSchema, patientImportJobSchema, interactionInstallJobSchema, outboxSyncJobSchema]);
export type Job = z.output<typeof jobSchema>;
export type JobKind = Job['kind'];
export type JobOf<K extends JobKind> = Extract<Job, { kind: K }>;
export const jobKinds = jobSchema.options.map<JobKind>((o) => o.shape.kind.value);

const jobId = rowId('L’identifiant de la tâche doit être un nombre.');

export const jobListInputSchema = z.strictObject({
  kind: z.enum(jobKinds as [JobKind, ...JobKind[]], { error: 'Type de tâche inconnu.' }).optional(),
  /** Only the jobs not finished yet (queued, running, retrying). */
  active: z.boolean({ error: 'Le filtre « en cours » doit être oui ou non.' }).optional(),
  limit: z.number({ error: 'La limite doit être un nombre.' }).int().min(1).max(50).default(10),
});
export type JobListInput = z.output<typeof jobListInputSchema>;

export const jobCalls = {
  /** The latest jobs, newest first: what a screen shows after a reload or a restart. */
  'jobs.list': {
    input: jobListInputSchema,
    output: z.object({ jobs: z.array(jobSchema) }),
    example: { kind: 'patients.import', limit: 1 },
  },
  'jobs.get': {
    input: z.strictObject({ id: jobId }),
    output: jobSchema,
    example: { id: 1 },
  },
  /** Cancels a job not finished yet; a running one stops at its next step. */
  'jobs.cancel': {
    input: z.strictObject({ id: jobId }),
    output: jobSchema,
    example: { id: 1 },
  },
} as const satisfies Record<string, CallSpec>;
