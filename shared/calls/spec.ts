import { z } from 'zod';
import { requiredText, TEXT_LIMITS } from '../domain/validation';

/** One contract call: its input and output schemas, and a valid example input (docs, fuzzing). */
export interface CallSpec {
  input: z.ZodType;
  output: z.ZodType;
  example: unknown;
}

export const noInput = z.strictObject({});

/** A row id (a patient, a job): a positive integer, named in the French message. */
export const rowId = (message: string) => z.number({ error: message }).int().positive().max(Number.MAX_SAFE_INTEGER);

/** The client's id of a request that starts a job: the same id twice starts one job. */
export const requestIdSchema = z.uuid({ error: 'L’identifiant de la demande n’est pas valide.' }).optional();

/** A file as the renderer (a browser) can send it: its name and its bytes in base64, at most `maxBytes`. */
export const uploadedFileShape = (maxBytes: number) => ({
  fileName: requiredText('Le nom du fichier', TEXT_LIMITS.fileName),
  contentBase64: z
    .string({ error: 'Le contenu du fichier est obligatoire.' })
    .max(Math.ceil(maxBytes / 3) * 4, { error: `Le fichier est trop volumineux (${maxBytes / (1024 * 1024)} Mo au plus).` })
    .pipe(z.base64({ error: 'Le contenu du fichier n’est pas lisible (base64 attendu).' })),
});
