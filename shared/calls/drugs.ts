import { z } from 'zod';
import { drugFlagNames, genericTypes } from '../domain/drugs';
import { releaseDateSources } from '../domain/release-date';
import { referentialParts } from '../domain/bdpm-parts';
import { jobSchemaOf, percentSchema } from '../jobs';
import { cleanCharacters, searchText, TEXT_LIMITS } from '../domain/validation';
import { noInput, type CallSpec } from './spec';

const flagsSchema = z.object(Object.fromEntries(drugFlagNames.map((name) => [name, z.boolean()])) as Record<(typeof drugFlagNames)[number], z.ZodBoolean>);
const genericTypeSchema = z.enum(genericTypes).nullable();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const cisSchema = z.string({ error: 'Le code CIS est obligatoire.' }).regex(/^\d{8}$/, { error: 'Le code CIS comporte 8 chiffres.' });

export const drugSearchItemSchema = z.object({
  cis: z.string(),
  name: z.string(),
  form: z.string(),
  marketed: z.boolean(),
  flags: flagsSchema,
  genericType: genericTypeSchema,
  /** The pack code the query matched (CIP13 or CIP7), when it matched one. */
  matchedCode: z.string().nullable(),
});

export const drugSearchGroupSchema = z.object({
  /** Names the group in a later `drugs.search` with `group`, to list all its specialties. */
  key: z.string(),
  /** "amoxicilline 500 mg, gélule" */
  dciLabel: z.string(),
  substances: z.array(z.string()),
  items: z.array(drugSearchItemSchema),
  /** Matching specialties in the group; more than `items` when the list was cut. */
  total: z.number().int(),
});

export const drugSearchResultSchema = z.object({
  query: z.string(),
  /** The groups asked for: `limit` of them from `offset`, or the one `group`. */
  groups: z.array(drugSearchGroupSchema),
  /** Every group that matches the query, shown or not. */
  totalGroups: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  demo: z.boolean(),
});

export const drugPackSchema = z.object({
  cip13: z.string(),
  cip7: z.string(),
  label: z.string(),
  marketed: z.boolean(),
  reimbursementRate: z.string(),
  priceCents: z.number().int().nullable(),
});

export const drugCompositionSchema = z.object({
  element: z.string(),
  substanceCode: z.string(),
  substanceName: z.string(),
  dci: z.string(),
  strength: z.string(),
  strengthReference: z.string(),
  nature: z.enum(['SA', 'FT']),
});

export const drugDetailSchema = z.object({
  cis: z.string(),
  name: z.string(),
  form: z.string(),
  routes: z.array(z.string()),
  authorizationStatus: z.string(),
  marketingStatus: z.string(),
  holders: z.array(z.string()),
  dciLabel: z.string(),
  substances: z.array(z.string()),
  flags: flagsSchema,
  genericType: genericTypeSchema,
  genericGroups: z.array(z.object({ id: z.string(), label: z.string(), type: genericTypeSchema })),
  conditions: z.array(z.string()),
  prescriptionLimitDays: z.number().int().nullable(),
  packs: z.array(drugPackSchema),
  composition: z.array(drugCompositionSchema),
  /**
   * What the installed referential lacks (a partial release): the card says « non disponible »
   * for these rather than « aucune ».
   */
  missingParts: z.array(z.enum(referentialParts)),
});

const releaseDateSourceSchema = z.enum(releaseDateSources);

const fileReportSchema = z.object({
  file: z.string(),
  present: z.boolean(),
  encoding: z.string().nullable(),
  lines: z.number().int(),
  imported: z.number().int(),
  rejected: z.number().int(),
  /** SHA-256 of the file's bytes as imported (absent from summaries of older imports). */
  sha256: z.string().optional(),
  bytes: z.number().int().nonnegative().optional(),
});

export const importSummarySchema = z.object({
  files: z.array(fileReportSchema),
  missingFiles: z.array(z.string()),
  rejectedCount: z.number().int(),
  /** The first rejected lines, each naming its file and line. */
  rejected: z.array(z.object({ file: z.string(), line: z.number().int(), reason: z.string() })),
  releaseDate: isoDate.nullable(),
  /** Where the release date comes from (see drugStatusSchema). */
  releaseDateSource: releaseDateSourceSchema,
  importedAt: z.string(),
  durationMs: z.number(),
});

export const drugStatusSchema = z.object({
  /** none: no referential at all; demo: the embedded sample; real: an imported BDPM release. */
  state: z.enum(['none', 'demo', 'real']),
  releaseDate: isoDate.nullable(),
  /**
   * Where `releaseDate` comes from. declared: given by whoever imported; server: HTTP
   * Last-Modified of the download; content: the newest date in the files that is not after the
   * import day; unknown: none of these (releaseDate null). Null when nothing is installed.
   */
  releaseDateSource: releaseDateSourceSchema.nullable(),
  importedAt: z.string().nullable(),
  ageDays: z.number().int().nullable(),
  stale: z.boolean(),
  source: z.string().nullable(),
  counts: z.object({ specialties: z.number().int(), packs: z.number().int(), compositions: z.number().int() }),
  missingFiles: z.array(z.string()),
  /** What the referential lacks because its release lacked files: « base partielle : … absentes ». */
  missingParts: z.array(z.enum(referentialParts)),
  rejectedCount: z.number().int(),
  downloadUrl: z.string(),
  interactions: z.object({ version: z.string(), importedAt: z.string(), rules: z.number().int() }).nullable(),
});

const MAX_BASE_URL = 500;
/** A normalised address may gain its final "/". */
const MAX_BASE_URL_STORED = MAX_BASE_URL + 1;

/**
 * What a drug update's release may be besides complete and plausible. allowPartial: optional
 * files may be absent (« Importer quand même (base partielle) », `--allow-partial`).
 * allowSmallRelease: a release of fewer than 1,000 specialties or packs may replace the
 * demonstration data (test releases only: `ORDO_BDPM_ALLOW_SMALL_RELEASE=1`).
 */
const releaseAllowances = { allowPartial: z.boolean().optional(), allowSmallRelease: z.boolean().optional() };

/** What a drug update works on: the files downloaded from an address, or a folder (`ordo import-bdpm`). */
export const drugUpdateInputSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('download'), baseUrl: z.string().max(MAX_BASE_URL_STORED), ...releaseAllowances }),
  z.object({ source: z.literal('folder'), dir: z.string().min(1).max(4096), releaseDate: isoDate.nullable(), ...releaseAllowances }),
]);

export const drugUpdateProgressSchema = z.object({
  phase: z.enum(['download', 'import']),
  file: z.string().nullable(),
  /** 0–100 over the whole update (download then import). */
  percent: percentSchema,
});

/** "Mettre à jour la base des médicaments": a durable job (shared/jobs.ts). */
export const drugUpdateJobSchema = jobSchemaOf('drugs.update', { input: drugUpdateInputSchema, progress: drugUpdateProgressSchema, result: importSummarySchema });

/**
 * The rule every address the BDPM is downloaded from passes, the setting's and each redirect's
 * target alike: https anywhere, plain http only on this machine (tests), never a user or password.
 */
export function isAllowedDownloadAddress(address: string): boolean {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(address.trim());
  if (match === null) return false;
  const scheme = match[1]!.toLowerCase();
  const authority = match[2]!;
  if (authority.includes('@')) return false;
  const hostPort = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/i.exec(authority);
  if (hostPort === null || Number(hostPort[2] ?? 0) > 65_535) return false;
  const host = hostPort[1]!.toLowerCase();
  if (scheme === 'https') return true;
  return scheme === 'http' && (host === '127.0.0.1' || host === 'localhost');
}

/** scheme, host (with its port), path: https anywhere, plain http only on this machine (tests). */
const baseUrlPattern = /^(https):\/\/([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?)(\/[^\s?#]*)?$|^(http):\/\/((?:127\.0\.0\.1|localhost)(?::\d{1,5})?)(\/[^\s?#]*)?$/i;

/**
 * The address the BDPM files are downloaded from, as typed in Réglages: trimmed, scheme and host
 * in lower case, ending with "/" (each file name is appended to it). '' stays '': back to the
 * official address.
 */
export const bdpmBaseUrlSchema = z
  .string({ error: 'L’adresse de téléchargement doit être un texte.' })
  .refine(...cleanCharacters('L’adresse de téléchargement'))
  .trim()
  .max(MAX_BASE_URL, { error: `L’adresse de téléchargement ne doit pas dépasser ${MAX_BASE_URL} caractères.` })
  .superRefine((value, ctx) => {
    if (value === '') return;
    if (/[?#]/.test(value)) ctx.addIssue({ code: 'custom', message: 'L’adresse de téléchargement ne doit contenir ni « ? » ni « # ».' });
    else if (value.includes('@')) ctx.addIssue({ code: 'custom', message: 'L’adresse de téléchargement ne doit contenir ni identifiant ni mot de passe.' });
    else if (/^http:\/\//i.test(value) && !baseUrlPattern.test(value))
      ctx.addIssue({ code: 'custom', message: 'Seule une adresse sécurisée (https://) est acceptée ; http:// est réservé à ce poste (127.0.0.1, localhost).' });
    // The setting's form (a base a file name is appended to), and the rule each redirect passes too.
    else if (!baseUrlPattern.test(value) || !isAllowedDownloadAddress(value))
      ctx.addIssue({ code: 'custom', message: 'Saisissez une adresse complète commençant par https://, par exemple https://miroir.exemple.fr/bdpm/.' });
  })
  .transform((value) => {
    const match = baseUrlPattern.exec(value);
    if (match === null) return '';
    const [scheme, host, path] = match[1] !== undefined ? [match[1], match[2], match[3]] : [match[4], match[5], match[6]];
    const normalised = `${(scheme ?? '').toLowerCase()}://${(host ?? '').toLowerCase()}${path ?? '/'}`;
    return normalised.endsWith('/') ? normalised : `${normalised}/`;
  });

export const drugSourceSchema = z.object({
  /** Where the next update downloads from. */
  baseUrl: z.string(),
  /** The ANSM's official address. */
  default: z.string(),
  /** The address stored in Réglages, or null when none is (the official one is used). */
  stored: z.string().nullable(),
  /** `ORDO_BDPM_BASE_URL` is set: it wins over Réglages (tests, scripts). */
  overriddenByEnvironment: z.boolean(),
});

export const interactionLevels = ['CI', 'AD', 'PE', 'PC'] as const;

export const drugInteractionSchema = z.object({
  /** The two substance codes of the query that interact. */
  substanceCodes: z.tuple([z.string(), z.string()]),
  protagonists: z.tuple([z.string(), z.string()]),
  levels: z.array(z.enum(interactionLevels)),
  /** The most severe level: CI > AD > PE > PC. */
  severity: z.enum(interactionLevels),
  description: z.string(),
  mechanism: z.string(),
  ruleSetVersion: z.string(),
});

export type DrugSearchItem = z.infer<typeof drugSearchItemSchema>;
export type DrugSearchGroup = z.infer<typeof drugSearchGroupSchema>;
export type DrugSearchResult = z.infer<typeof drugSearchResultSchema>;
export type DrugDetail = z.infer<typeof drugDetailSchema>;
export type DrugPack = z.infer<typeof drugPackSchema>;
export type ImportSummary = z.infer<typeof importSummarySchema>;
export type DrugStatus = z.infer<typeof drugStatusSchema>;
export type DrugUpdateJob = z.infer<typeof drugUpdateJobSchema>;
export type DrugInteraction = z.infer<typeof drugInteractionSchema>;
export type DrugSource = z.infer<typeof drugSourceSchema>;
export type InteractionLevel = (typeof interactionLevels)[number];

export const drugCalls = {
  'drugs.search': {
    input: z.strictObject({
      query: searchText('La recherche'),
      /** Groups to return (default 10). */
      limit: z.number({ error: 'Le nombre de groupes doit être un nombre.' }).int().min(1).max(50, { error: 'Au plus 50 groupes à la fois.' }).optional(),
      /** Groups to skip: the next page starts where the previous one ended (same order). */
      offset: z.number({ error: 'Le décalage doit être un nombre.' }).int().min(0).max(100_000).optional(),
      /** One group's `key`: that group alone, with all its matching specialties. */
      group: z
        .string({ error: 'Le groupe doit être un texte.' })
        .min(1, { error: 'Groupe inconnu.' })
        .max(500, { error: 'Groupe inconnu.' })
        .refine(...cleanCharacters('Le groupe'))
        .optional(),
    }),
    output: drugSearchResultSchema,
    example: { query: 'amox 500', limit: 10, offset: 0 },
  },
  /**
   * The first page of `drugs.search` (FIRST_PAGE_GROUPS groups) for the query followed by each
   * character a GP may type next (SEARCH_AHEAD): the picker keeps them, so the next keystroke's
   * results are on screen in that keystroke's own frame instead of a round trip later.
   */
  'drugs.searchAhead': {
    input: z.strictObject({ query: searchText('La recherche', TEXT_LIMITS.query - 1) }),
    output: z.object({ query: z.string(), answers: z.array(drugSearchResultSchema) }),
    example: { query: 'amox' },
  },
  'drugs.get': {
    input: z.strictObject({ cis: cisSchema }),
    output: drugDetailSchema,
    example: { cis: '69999001' },
  },
  'drugs.status': {
    input: noInput,
    output: drugStatusSchema,
    example: {},
  },
  /**
   * Starts downloading and importing the BDPM as a durable job and answers at once with it; while
   * one is queued or running, answers with that one. Progress arrives as `jobs.changed` events.
   */
  'drugs.update': {
    input: z.strictObject({
      /**
       * The GP confirmed « Importer quand même (base partielle) » after an update refused because
       * the server lacks optional files (the job failed with NEEDS_CONFIRMATION).
       */
      allowPartial: z.boolean({ error: 'La confirmation doit être vrai ou faux.' }).optional(),
    }),
    output: drugUpdateJobSchema,
    example: {},
  },
  /** Where updates download from: Réglages, unless the environment overrides it. */
  'drugs.getSource': {
    input: noInput,
    output: drugSourceSchema,
    example: {},
  },
  /** Stores the download address ('' = back to the official one). */
  'drugs.setSource': {
    input: z.strictObject({ baseUrl: bdpmBaseUrlSchema }),
    output: drugSourceSchema,
    example: { baseUrl: 'https://miroir.exemple.fr/bdpm/' },
  },
  'drugs.interactions': {
    input: z.strictObject({
      substanceCodes: z
        .array(z.string().regex(/^\d{1,10}$/, { error: 'Un code substance ne contient que des chiffres.' }))
        .min(2, { error: 'Donnez au moins deux substances.' })
        .max(50, { error: 'Au plus 50 substances.' }),
    }),
    output: z.array(drugInteractionSchema),
    example: { substanceCodes: ['05248', '04440'] },
  },
} as const satisfies Record<string, CallSpec>;
