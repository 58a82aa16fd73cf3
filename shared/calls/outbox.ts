/**
 * The outbox: what each signed (or cancelled) prescription must tell the patient's DMP, and where
 * each stands. Rows are written by the signing and cancelling transactions (electron/prescriptions);
 * the sync job (kind `outbox.sync`, electron/outbox/sync-job.ts) sends them one at a time, retries
 * what the network refused for now and keeps a permanent refusal ("dead") with its reason. The
 * CNAM base is a second destination, disabled until its protocol is public.
 */
import { z } from 'zod';
import { jobSchemaOf, phasedProgressSchema } from '../jobs';
import { noInput, rowId, type CallSpec } from './spec';

export const outboxStates = ['pending', 'sending', 'sent', 'failed', 'dead', 'skipped', 'disabled'] as const;
export type OutboxState = (typeof outboxStates)[number];
export const outboxDestinations = ['dmp', 'cnam'] as const;
export type OutboxDestination = (typeof outboxDestinations)[number];
export const outboxActions = ['submit', 'cancel'] as const;

/** States that still need the DMP (the badge counts them, with the refusals). */
export const outboxWaitingStates = ['pending', 'sending', 'failed'] as const satisfies readonly OutboxState[];

export const outboxItemSchema = z.object({
  id: z.number().int().positive(),
  prescriptionId: z.number().int().positive(),
  /** The prescription's legal id (the one under its QR code). */
  rxId: z.string(),
  patient: z.object({ id: z.number().int().positive(), name: z.string() }),
  destination: z.enum(outboxDestinations),
  /** `submit`: the document; `cancel`: its withdrawal after the prescription was cancelled. */
  action: z.enum(outboxActions),
  state: z.enum(outboxStates),
  /** French: why it failed (last error), was refused, skipped or disabled. */
  reason: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  /** A failed row: when the next try is planned (ISO), or null when none is (« Réessayer »). */
  nextAttemptAt: z.string().nullable(),
  signedAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxItem = z.output<typeof outboxItemSchema>;

export const outboxSummarySchema = z.object({
  /** Rows per state, every state present. */
  counts: z.record(z.enum(outboxStates), z.number().int().nonnegative()),
  /** What the app frame's badge shows: documents not in the DMP yet that should be (waiting or refused). */
  attention: z.number().int().nonnegative(),
  /** The sync now: idle, sending (with its progress), or waiting to retry at `nextRunAt`. */
  sync: z.object({
    state: z.enum(['idle', 'running', 'retrying']),
    jobId: z.number().int().positive().nullable(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    percent: z.number().min(0).max(100),
    nextRunAt: z.string().nullable(),
    /** The last sync's error (French), when it stopped on one. */
    lastError: z.string().nullable(),
  }),
  dmp: z.object({
    /** The DMP web service (ITI-41) address, or null: nothing is sent until one is set. */
    endpointUrl: z.string().nullable(),
    timeoutMs: z.number().int().positive(),
    /** Always true here: the VIHF assertion is not signed by a CPS card (sandbox mode). */
    sandbox: z.boolean(),
  }),
});
export type OutboxSummary = z.output<typeof outboxSummarySchema>;

export const DMP_TIMEOUT_DEFAULT_MS = 30_000;
const LOOPBACK_HTTP = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?(?:\/[^\s?#]*)?$/i;
const HTTPS = /^https:\/\/[a-z0-9.-]+(?::\d{1,5})?(?:\/[^\s?#]*)?$/i;

/** The DMP endpoint: https anywhere, http only on this computer (the sandbox). '' = none. */
export const dmpEndpointSchema = z
  .string({ error: 'L’adresse du DMP doit être un texte.' })
  .trim()
  .max(500, { error: 'L’adresse du DMP ne doit pas dépasser 500 caractères.' })
  .refine((v) => v === '' || HTTPS.test(v) || LOOPBACK_HTTP.test(v), {
    error: 'Saisissez une adresse https://, ou http://127.0.0.1:PORT/… pour le DMP de démonstration sur ce poste.',
  });

export const dmpTimeoutSchema = z
  .number({ error: 'Le délai doit être un nombre de millisecondes.' })
  .int({ error: 'Le délai doit être un nombre entier de millisecondes.' })
  .min(1000, { error: 'Le délai doit être d’au moins 1 seconde (1000 ms).' })
  .max(120_000, { error: 'Le délai ne doit pas dépasser 2 minutes (120000 ms).' });

export const outboxSyncInputSchema = z.strictObject({
  /** Why it runs: at launch, the network back, a new signature, a retry, the command line. */
  trigger: z.enum(['launch', 'online', 'signed', 'retry', 'cli']),
  /** The command line's `--dmp-url`: this sync only, instead of the setting. */
  endpointUrl: z.string().optional(),
});

export const outboxSyncResultSchema = z.object({
  sent: z.number().int().nonnegative(),
  refused: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  /** Left waiting (failed for now, or no endpoint). */
  remaining: z.number().int().nonnegative(),
  /** French, when nothing could be sent at all (no endpoint set). */
  note: z.string().nullable(),
});
export type OutboxSyncResult = z.output<typeof outboxSyncResultSchema>;

/** One sync of the outbox: a durable, retrying job (shared/jobs.ts). */
export const outboxSyncJobSchema = jobSchemaOf('outbox.sync', {
  input: outboxSyncInputSchema,
  progress: phasedProgressSchema(['sending']),
  result: outboxSyncResultSchema,
});

const listFilters = ['all', 'attention', 'sent'] as const;

export const outboxCalls = {
  /** The rows, newest first, with the summary; `attention`: waiting or refused only. */
  'outbox.list': {
    input: z.strictObject({
      filter: z.enum(listFilters, { error: 'Filtre inconnu.' }).default('all'),
      limit: z.number({ error: 'La limite doit être un nombre.' }).int().min(1).max(1000).default(200),
    }),
    output: z.object({ items: z.array(outboxItemSchema), summary: outboxSummarySchema }),
    example: { filter: 'attention', limit: 50 },
  },
  'outbox.summary': {
    input: noInput,
    output: outboxSummarySchema,
    example: {},
  },
  /**
   * « Réessayer maintenant »: row `id` (failed or refused) goes back to waiting, or without `id`
   * every failed one, and a sync starts at once (a sync waiting to retry runs now).
   */
  'outbox.retry': {
    input: z.strictObject({ id: rowId('L’identifiant de l’envoi doit être un nombre.').optional() }),
    output: outboxSummarySchema,
    example: { id: 1 },
  },
  /** Starts a sync now (the window calls it when the network comes back). */
  'outbox.sync': {
    input: z.strictObject({ trigger: z.enum(['launch', 'online', 'retry']) }),
    output: outboxSummarySchema,
    example: { trigger: 'online' },
  },
  /** Réglages → DMP: the endpoint ('' = none) and the timeout of one request. */
  'outbox.configure': {
    input: z.strictObject({ endpointUrl: dmpEndpointSchema, timeoutMs: dmpTimeoutSchema.optional() }),
    output: outboxSummarySchema,
    example: { endpointUrl: 'http://127.0.0.1:8787/dmp', timeoutMs: 30000 },
  },
} as const satisfies Record<string, CallSpec>;
