/**
 * What the main process returns about patients: plain shapes (no transforms), checked by the
 * adapters on the way out. The compile-time checks at the bottom keep them in step with
 * patientInputSchema, so a field added there cannot be forgotten here.
 */
import { z } from 'zod';
import { allergyKinds, identityDocuments, identityStatuses, ruleNameKinds, sexes, type PatientData } from './patient';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const measurement = z.object({ value: z.number().positive(), measuredOn: isoDate }).nullable();

export const patientSummarySchema = z.object({
  id: z.number().int().positive(),
  birthName: z.string(),
  usedName: z.string(),
  firstNames: z.string(),
  sex: z.enum(sexes),
  birthDate: isoDate,
  nir: z.string().nullable(),
  city: z.string(),
});
export type PatientSummary = z.output<typeof patientSummarySchema>;

export const patientRecordSchema = patientSummarySchema.extend({
  birthPlaceCode: z.string(),
  identityStatus: z.enum(identityStatuses),
  identityDocument: z.enum(identityDocuments).nullable(),
  address: z.string(),
  postalCode: z.string(),
  phone: z.string(),
  email: z.string(),
  weight: measurement,
  height: measurement,
  creatinineClearance: measurement,
  pregnancy: z.object({ startedOn: isoDate }).nullable(),
  breastfeeding: z.object({ since: isoDate }).nullable(),
  dmpObjection: z.object({ recordedOn: isoDate }).nullable(),
  dispensingObjection: z.object({ recordedOn: isoDate }).nullable(),
  allergies: z.array(
    z.object({
      kind: z.enum(allergyKinds),
      substance: z.string(),
      reaction: z.string(),
      /** The substance or class of the interaction rule set it was matched to; null: free text only. */
      code: z.object({ kind: z.enum(ruleNameKinds), name: z.string() }).nullable(),
    }),
  ),
  conditions: z.array(z.object({ label: z.string(), ald: z.boolean() })),
  /** Long-term treatments; `substanceNames` as the rule set names them (empty when only labelled). */
  treatments: z.array(z.object({ label: z.string(), substanceNames: z.array(z.string()) })),
  /** What the NIR says that the record contradicts (French), shown, never blocking. */
  warnings: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PatientRecord = z.output<typeof patientRecordSchema>;

type StoredFields = Omit<PatientRecord, 'id' | 'warnings' | 'createdAt' | 'updatedAt'>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Fails to compile when the input schema and the record drift apart.
export const recordMatchesInput: Same<StoredFields, PatientData> = true;

export const importErrorSchema = z.object({
  /** Line of the file (1 = the header row). */
  line: z.number().int().nonnegative(),
  /** Column header as written in the file, or '' for the whole row. */
  field: z.string(),
  message: z.string(),
});
export type ImportError = z.output<typeof importErrorSchema>;

export const importReportSchema = z.object({
  fileName: z.string(),
  encoding: z.enum(['utf-8', 'windows-1252', 'utf-16le', 'utf-16be', 'iso-8859-15', 'macintosh', 'cp850']),
  separator: z.enum([';', ',', '\t']),
  rows: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  /** Header names Ordo does not know: their values were not imported. */
  ignoredColumns: z.array(z.string()),
  errors: z.array(importErrorSchema),
  /** True when more errors existed than the report lists. */
  errorsTruncated: z.boolean(),
});
export type ImportReport = z.output<typeof importReportSchema>;

