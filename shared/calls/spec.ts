import { z } from 'zod';

/** One contract call: its input and output schemas, and a valid example input (docs, fuzzing). */
export interface CallSpec {
  input: z.ZodType;
  output: z.ZodType;
  example: unknown;
}

export const noInput = z.strictObject({});

/** A row id (a patient, a job): a positive integer, named in the French message. */
export const rowId = (message: string) => z.number({ error: message }).int().positive().max(Number.MAX_SAFE_INTEGER);
