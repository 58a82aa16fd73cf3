import { z } from 'zod';

/** One contract call: its input and output schemas, and a valid example input (docs, fuzzing). */
export interface CallSpec {
  input: z.ZodType;
  output: z.ZodType;
  example: unknown;
}

export const noInput = z.strictObject({});
