/**
 * The ANSM interaction thesaurus as the GP installs and reads it: its installation from
 * Réglages as a durable job (a folder or a zip on this computer, or a zip sent by the window),
 * what is installed, and the interactions of one drug for its card.
 */
import { z } from 'zod';
import { jobSchemaOf, phasedProgressSchema } from '../jobs';
import { cleanCharacters, TEXT_LIMITS } from '../domain/validation';
import { interactionLevels } from './drugs';
import { noInput, requestIdSchema, uploadedFileShape, type CallSpec } from './spec';

/** The zip a window sends (base64 in a JSON body of the host, 8 MiB at most). */
export const MAX_THESAURUS_UPLOAD_BYTES = 5 * 1024 * 1024;

const levelSchema = z.enum(interactionLevels);

/** What one installation read and matched: the report shown when the job ends. */
export const interactionInstallReportSchema = z.object({
  /** Identifies the rule set (source name and content hash): never shown as such. */
  version: z.string(),
  /** The thesaurus edition (a year) when the source's name tells it, else null. */
  edition: z.string().nullable(),
  /** The folder or file it was installed from, as the GP named it. */
  sourceName: z.string(),
  rules: z.number().int().nonnegative(),
  molecules: z.number().int().nonnegative(),
  classes: z.number().int().nonnegative(),
  rejected: z.array(z.object({ file: z.string(), line: z.number().int(), reason: z.string() })),
  /** Against which drug referential the names were matched ("demo" matches few). */
  matchedAgainst: z.enum(['demo', 'real', 'none']),
  matchedMolecules: z.number().int().nonnegative(),
  /** Molecules used by the rules that no BDPM substance of the referential matches. */
  unmatchedMolecules: z.array(z.string()),
  /** Protagonists neither a known molecule nor a class (food, alcohol, routes…). */
  otherProtagonists: z.array(z.string()),
});

const pathSchema = z
  .string({ error: 'Le chemin du dossier ou du fichier est obligatoire.' })
  .max(TEXT_LIMITS.path + 64, { error: 'Le chemin ne doit pas dépasser 4 096 caractères.', abort: true })
  .refine(...cleanCharacters('Le chemin'))
  // Never normalised: a file system may hold the same name in NFD (macOS), and the path must find it.
  .trim()
  .min(1, { error: 'Indiquez le chemin du dossier du thésaurus ou de son fichier .zip.' })
  .max(TEXT_LIMITS.path, { error: 'Le chemin ne doit pas dépasser 4 096 caractères.' })
  .refine((p) => p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p) || p.startsWith('\\\\'), {
    error: 'Indiquez un chemin complet, par exemple /home/medecin/Téléchargements/thesaurus ou C:\\Thesaurus.',
  });

/** What an installation works on (the uploaded bytes are the job's `file` payload). */
export const interactionInstallInputSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.object({ source: z.literal('upload'), fileName: z.string().max(255), bytes: z.number().int().nonnegative() }),
]);

/** reading: the folder or the zip; rules: the thesaurus rows; matching: names against the BDPM. */
export const interactionInstallProgressSchema = phasedProgressSchema(['reading', 'rules', 'matching']);

/** « Installer le thésaurus des interactions »: a durable job (shared/jobs.ts). */
export const interactionInstallJobSchema = jobSchemaOf('interactions.install', {
  input: interactionInstallInputSchema,
  progress: interactionInstallProgressSchema,
  result: interactionInstallReportSchema,
});

/** The installed thesaurus, as Réglages and the drug card name it. */
export const thesaurusInfoSchema = z.object({
  version: z.string(),
  edition: z.string().nullable(),
  importedAt: z.string(),
  rules: z.number().int().nonnegative(),
  molecules: z.number().int().nonnegative(),
  classes: z.number().int().nonnegative(),
});

export const protagonistSchema = z.object({
  /** As the thesaurus writes it: upper case, no accents. */
  name: z.string(),
  /** A substance (molecule), a class of substances, or something else (food, alcohol…). */
  kind: z.enum(['substance', 'class', 'other']),
});

export const drugInteractionItemSchema = z.object({
  /** The rule's row in the installed thesaurus. */
  ruleId: z.number().int(),
  /** The most severe level: CI > AD > PE > PC. */
  severity: levelSchema,
  /** Every level of the rule (a conditional rule has several, depending on the dose or the case). */
  levels: z.array(levelSchema).min(1),
  /** Which substance of this drug (or its class) the rule names. */
  via: protagonistSchema,
  /** The other substance or class. */
  with: protagonistSchema,
  /** The risk (the thesaurus' mechanism). */
  risk: z.string(),
  /** What to do, as the thesaurus says it ('' when the level says it all). */
  advice: z.string(),
});

export const drugInteractionsSchema = z.object({
  cis: z.string(),
  /** null: no thesaurus installed. */
  thesaurus: thesaurusInfoSchema.nullable(),
  /** Most severe first. */
  interactions: z.array(drugInteractionItemSchema),
});

export const interactionInstallCallInputSchema = z.discriminatedUnion(
  'source',
  [
    z.strictObject({ source: z.literal('path'), path: pathSchema, requestId: requestIdSchema }),
    z.strictObject({ source: z.literal('upload'), ...uploadedFileShape(MAX_THESAURUS_UPLOAD_BYTES), requestId: requestIdSchema }),
  ],
  { error: 'Choisissez un dossier, un fichier .zip sur ce poste ou un fichier à envoyer.' },
);

export type InteractionInstallReport = z.infer<typeof interactionInstallReportSchema>;
export type InteractionInstallJob = z.infer<typeof interactionInstallJobSchema>;
export type ThesaurusInfo = z.infer<typeof thesaurusInfoSchema>;
export type DrugInteractionItem = z.infer<typeof drugInteractionItemSchema>;
export type DrugInteractions = z.infer<typeof drugInteractionsSchema>;

export const interactionCalls = {
  /** The installed thesaurus, or null. */
  'interactions.status': {
    input: noInput,
    output: z.object({ thesaurus: thesaurusInfoSchema.nullable() }),
    example: {},
  },
  /**
   * Starts installing the thesaurus (tables format: thesaurus.tsv, molecule-classes.tsv,
   * molecules.txt) as a durable job and answers at once with it: from a folder or a .zip on this
   * computer, or from a .zip the window sends. The same `requestId` twice starts one job. A file
   * that is not the thesaurus fails the job with a French reason; the previous one stays in use.
   */
  'interactions.install': {
    input: interactionInstallCallInputSchema,
    output: interactionInstallJobSchema,
    example: { source: 'path', path: '/home/medecin/Téléchargements/ansm-interactions-2016.zip', requestId: '3b1f6c0e-8a54-4c2e-9d7b-5e0a1f2c3d4e' },
  },
  /** The thesaurus' interactions of one drug (through its substances and their classes), most severe first. */
  'interactions.ofDrug': {
    input: z.strictObject({ cis: z.string({ error: 'Le code CIS est obligatoire.' }).regex(/^\d{8}$/, { error: 'Le code CIS comporte 8 chiffres.' }) }),
    output: drugInteractionsSchema,
    example: { cis: '69999038' },
  },
} as const satisfies Record<string, CallSpec>;
