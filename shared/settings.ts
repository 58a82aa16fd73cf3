/**
 * Every practice setting: its key and the zod schema of its stored value. The `settings` table
 * holds any key with a JSON value; this list is what Ordo writes and accepts when it reads. A new
 * setting is one line here, no migration.
 */
import type { z } from 'zod';
import { bdpmBaseUrlSchema } from './calls/drugs';
import { dmpEndpointSchema, dmpTimeoutSchema } from './calls/outbox';

export const settingSchemas = {
  /** Where the BDPM files are downloaded from (normalised, ends with "/"); absent = the ANSM's. */
  'drugs.bdpmBaseUrl': bdpmBaseUrlSchema.refine((value) => value !== '', { error: 'L’adresse de téléchargement est vide.' }),
  /** The DMP web service (ITI-41 endpoint); absent = none, nothing is sent. */
  'dmp.endpointUrl': dmpEndpointSchema.refine((value) => value !== '', { error: 'L’adresse du DMP est vide.' }),
  /** How long one DMP request may take before it is tried again later. */
  'dmp.timeoutMs': dmpTimeoutSchema,
} as const satisfies Record<string, z.ZodType>;

export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.output<(typeof settingSchemas)[K]>;
export const settingKeys = Object.keys(settingSchemas) as SettingKey[];
