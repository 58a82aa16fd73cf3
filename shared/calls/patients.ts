import { z } from 'zod';
import { patientInputSchema, type PatientInput } from '../domain/patient';
import {
  importReportSchema,
  importStatusSchema,
  patientRecordSchema,
  patientSummarySchema,
} from '../domain/patient-record';
import type { CallSpec } from './spec';

/** A CSV file as the renderer (a browser) can send it: its name and its bytes in base64. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

const importFile = z.strictObject({
  fileName: z
    .string({ error: 'Le nom du fichier est obligatoire.' })
    .trim()
    .min(1, { error: 'Le nom du fichier est obligatoire.' })
    .max(255, { error: 'Le nom du fichier ne doit pas dépasser 255 caractères.' }),
  contentBase64: z
    .string({ error: 'Le contenu du fichier est obligatoire.' })
    .max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4, { error: 'Le fichier est trop volumineux (5 Mo au plus).' })
    .pipe(z.base64({ error: "Le contenu du fichier n'est pas lisible (base64 attendu)." })),
});

const patientId = z.number({ error: "L'identifiant du patient doit être un nombre." }).int().positive().max(Number.MAX_SAFE_INTEGER);

/** True once the GP confirmed that a patient with the same names and birth date is another person. */
const confirmDuplicate = z
  .boolean({ error: 'La confirmation doit être oui ou non.' })
  .default(false);

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
      query: z.string({ error: 'La recherche doit être un texte.' }).max(200, { error: 'La recherche ne doit pas dépasser 200 caractères.' }),
      limit: z.number({ error: 'La limite doit être un nombre.' }).int().min(1).max(100).default(20),
    }),
    output: z.object({ results: z.array(patientSummarySchema), more: z.boolean() }),
    example: { query: 'helene lef', limit: 20 },
  },
  'patients.get': {
    input: z.strictObject({ id: patientId }),
    output: patientRecordSchema,
    example: { id: 1 },
  },
  'patients.create': {
    input: z.strictObject({ patient: patientInputSchema, confirmDuplicate }),
    output: patientRecordSchema,
    example: { patient: examplePatient, confirmDuplicate: false },
  },
  'patients.update': {
    input: z.strictObject({ id: patientId, patient: patientInputSchema, confirmDuplicate }),
    output: patientRecordSchema,
    example: { id: 1, patient: examplePatient, confirmDuplicate: false },
  },
  /** Imports a whole CSV file in one go (scripts, CLI) and returns the report. */
  'patients.import': {
    input: importFile,
    output: importReportSchema,
    example: { fileName: 'patients.csv', contentBase64: 'bm9tO3Byw6lub21zO3NleGU7ZGF0ZV9uYWlzc2FuY2UKTW9yZWF1O0NobG/DqTtGOzAyLzExLzE5OTEK' },
  },
  /**
   * The same import in steps, for a progress bar: `importStart` reads the file, each
   * `importStep` checks the next rows and reports progress, the last step writes every valid row
   * in one transaction. Nothing is written until that last step, so an abandoned import leaves
   * the register as it was.
   */
  'patients.importStart': {
    input: importFile,
    output: z.object({ jobId: z.string(), status: importStatusSchema }),
    example: { fileName: 'patients.csv', contentBase64: 'bm9tO3Byw6lub21zO3NleGU7ZGF0ZV9uYWlzc2FuY2UK' },
  },
  'patients.importStep': {
    input: z.strictObject({ jobId: z.uuid({ error: "L'identifiant d'import n'est pas valide." }) }),
    output: importStatusSchema,
    example: { jobId: '00000000-0000-4000-8000-000000000000' },
  },
} as const satisfies Record<string, CallSpec>;
