/**
 * Every practice setting: its key and the zod schema of its stored value. The `settings` table
 * holds any key with a JSON value; this list is what Ordo writes and accepts when it reads. A new
 * setting is one line here, no migration.
 */
import type { z } from 'zod';
import { bdpmBaseUrlSchema } from './calls/drugs';

export const settingSchemas = {
  /** Where the BDPM files are downloaded from (normalised, ends with "/"); absent = the ANSM's. */
  'drugs.bdpmBaseUrl': bdpmBaseUrlSchema.refine((value) => value !== '', { error: 'L’adresse de téléchargement est vide.' }),
} as const satisfies Record<string, z.ZodType>;

export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.output<(typeof settingSchemas)[K]>;
export const settingKeys = Object.keys(settingSchemas) as SettingKey[];
