import { z } from 'zod';
import { patientConfirmations, patientInputSchema, type PatientInput } from '../domain/patient';
import { importReportSchema, patientRecordSchema, patientSummarySchema } from '../domain/patient-record';
import { jobSchemaOf, phasedProgressSchema } from '../jobs';
import { searchText } from '../domain/validation';
import { requestIdSchema, rowId, uploadedFileShape, type CallSpec } from './spec';

/** A CSV file as the renderer (a browser) can send it: its name and its bytes in base64. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

const importFile = z.strictObject(uploadedFileShape(MAX_IMPORT_BYTES));

export const patientImportInputSchema = z.object({ fileName: z.string().max(255), bytes: z.number().int().nonnegative() });

/** reading: decoding the file; checking: each row against the rules and the register; writing: in batches. */
export const patientImportProgressSchema = phasedProgressSchema(['reading', 'checking', 'writing']);

/** An import of patients from another software's CSV: a durable job (shared/jobs.ts). */
export const patientImportJobSchema = jobSchemaOf('patients.import', {
  input: patientImportInputSchema,
  progress: patientImportProgressSchema,
  result: importReportSchema,
});

const patientId = rowId('L’identifiant du patient doit être un nombre.');

/**
 * What the GP confirmed after a NEEDS_CONFIRMATION answer (whose `fields` list the warnings as
 * `confirm.<code>`): another person than a patient with the same names and birth date
 * (`duplicate`) or nearly (`nearDuplicate`), a birth before 1900, a pregnancy outside 10–60 years
 * of age, a NIR that contradicts the sex or the date of birth.
 */
const confirmed = z
  .array(z.enum(patientConfirmations, { error: 'Cette confirmation n’existe pas.' }), { error: 'Les confirmations doivent être une liste.' })
  .max(patientConfirmations.length, { error: 'Trop de confirmations.' })
  .default([]);

const examplePatient: PatientInput = {
  birthName: 'Lefèvre',
  usedName: '',
  firstNames: 'Hélène Marie',
  sex: 'F',
  birthDate: '14/03/1980',
  birthPlaceCode: '75112',
  nir: '2 80 03 75 112 034 18',
  identityStatus: 'verified',
  identityDocument: 'identity_card',
  address: '3 rue des Tanneurs',
  postalCode: '69001',
  city: 'Lyon',
  phone: '06 12 34 56 78',
  email: 'helene.lefevre@exemple.fr',
  weight: { value: '61,5', measuredOn: '02/09/2025' },
  height: { value: 165, measuredOn: '02/09/2025' },
  creatinineClearance: null,
  pregnancy: null,
  breastfeeding: null,
  dmpObjection: null,
  dispensingObjection: null,
  allergies: [{ kind: 'allergy', substance: 'Pénicillines', reaction: 'Urticaire géante' }],
  conditions: [{ label: 'Hypothyroïdie', ald: false }],
};

export const patientCalls = {
  'patients.search': {
    input: z.strictObject({
      query: searchText('La recherche'),
      limit: z.number({ error: 'La limite doit être un nombre.' }).int().min(1).max(100).default(20),
      /** Patients of the earlier pages, skipped (« Afficher les 20 suivants »). */
      offset: z.number({ error: 'Le décalage doit être un nombre.' }).int().min(0).max(100_000).default(0),
    }),
    output: z.object({
      results: z.array(patientSummarySchema),
      more: z.boolean(),
      /** How many patients match, all pages together. */
      total: z.number().int().nonnegative(),
    }),
    example: { query: 'helene lef', limit: 20, offset: 0 },
  },
  'patients.get': {
    input: z.strictObject({ id: patientId }),
    output: patientRecordSchema,
    example: { id: 1 },
  },
  'patients.create': {
    input: z.strictObject({ patient: patientInputSchema, confirmed }),
    output: patientRecordSchema,
    example: { patient: examplePatient, confirmed: [] },
  },
  'patients.update': {
    input: z.strictObject({ id: patientId, patient: patientInputSchema, confirmed }),
    output: patientRecordSchema,
    example: { id: 1, patient: examplePatient, confirmed: [] },
  },
  /**
   * Starts importing a CSV file as a durable job and answers at once with it. The same
   * `requestId` twice (a double click, a retried call) starts one job. Progress and the report
   * arrive as `jobs.changed` events; `jobs.get` reads it after a reload.
   */
  'patients.import': {
    input: importFile.extend({ requestId: requestIdSchema }),
    output: patientImportJobSchema,
    example: {
      fileName: 'patients.csv',
      contentBase64: 'bm9tO3Byw6lub21zO3NleGU7ZGF0ZV9uYWlzc2FuY2UKTW9yZWF1O0NobG/DqTtGOzAyLzExLzE5OTEK',
      requestId: '7d0c8f52-3f0e-4b8e-9a8e-2b7f3c1d9e10',
    },
  },
} as const satisfies Record<string, CallSpec>;
