import { z } from 'zod';
import { referentialParts } from '../domain/bdpm-parts';
import { prescriberProfileSchema } from '../domain/profile';
import { noInput, type CallSpec } from './spec';

export const appInfoSchema = z.object({
  version: z.string(),
  schemaVersion: z.number().int(),
  dataDir: z.string(),
  mode: z.enum(['electron', 'host']),
});

export const diagnosticSchema = z.object({
  /** True when nothing below needs the practice's attention. */
  ok: z.boolean(),
  dataDir: z.string(),
  database: z.string(),
  /** The database's schema version (null when it could not be opened), and this Ordo's. */
  schemaVersion: z.number().int().nullable(),
  appSchemaVersion: z.number().int(),
  /** Migrations this Ordo will apply at its next start (the diagnostic itself changes nothing). */
  pendingMigrations: z.array(z.string()),
  integrity: z.string(),
  audit: z.object({
    ok: z.boolean(),
    entries: z.number().int(),
    brokenAt: z.number().int().optional(),
    /** Rows of the legacy prefix (SHA-256, before the key) and keyed rows (HMAC under the audit key). */
    legacy: z.number().int().optional(),
    keyed: z.number().int().optional(),
    /** The audit key in the data folder's key store (`none`: not made yet, nothing needs it). */
    key: z.enum(['ok', 'missing', 'unreadable', 'none']).optional(),
    /** The chain's head kept outside the database (docs/security.md). */
    anchor: z
      .object({
        state: z.enum(['ok', 'behind', 'ahead', 'mismatch', 'missing', 'invalid', 'none']),
        seq: z.number().int().optional(),
      })
      .optional(),
  }),
  /** The tables, indexes and triggers against those the migrations make (null: not checked, the file could not be read). */
  schema: z.object({ ok: z.boolean(), objects: z.number().int(), differences: z.array(z.string()) }).nullable().optional(),
  /** The file itself is damaged (SQLite could not read part of it, or integrity_check failed). */
  damaged: z.boolean().optional(),
  jobs: z.object({
    /** Queued, running or waiting to retry. */
    active: z.number().int(),
    /** Left running by a process that is gone: recovered at the next start. */
    interrupted: z.number().int(),
  }),
  referential: z.object({
    drugs: z.enum(['real', 'demo', 'none', 'unreadable']),
    interactions: z.enum(['installed', 'none', 'unreadable']),
    /** What a partial drug base (imported on purpose) lacks; absent on a complete one. */
    missingParts: z.array(z.enum(referentialParts)).optional(),
  }),
  /** What is wrong, in French, one sentence each. */
  problems: z.array(z.string()),
  /**
   * Past events worth knowing, in French, one sentence each (an audit anchor or key Ordo had to
   * re-create at a start, with its date and entry). They stay for good and never make `ok` false.
   */
  warnings: z.array(z.string()),
  checkedAt: z.string(),
});

export type Diagnostic = z.infer<typeof diagnosticSchema>;

export const appCalls = {
  'app.info': {
    input: noInput,
    output: appInfoSchema,
    example: {},
  },
  /** Réglages → Diagnostic: the checks of `ordo doctor`, read-only, off the answering thread. */
  'app.diagnose': {
    input: noInput,
    output: diagnosticSchema,
    example: {},
  },
  'profile.get': {
    input: noInput,
    output: prescriberProfileSchema.nullable(),
    example: {},
  },
  'profile.save': {
    input: prescriberProfileSchema,
    output: prescriberProfileSchema,
    example: {
      lastName: 'Martin',
      firstName: 'Claire',
      specialty: 'Médecin généraliste',
      rpps: '10003154589',
      amNumber: '751234568',
      practiceName: 'Cabinet du Parc',
      address: '12 rue des Lilas',
      postalCode: '69003',
      city: 'Lyon',
      phone: '04 78 00 00 00',
      email: 'claire.martin@exemple.fr',
    },
  },
} as const satisfies Record<string, CallSpec>;
