/**
 * Writing prescriptions: drafts autosaved at every change, their checks, favourites, renewal,
 * and the exchange file other software sends (`ordo draft create --json FILE`). Signing is the
 * next step (its own calls).
 */
import { z } from 'zod';
import { outboxStates } from './outbox';
import { patientRecordSchema } from '../domain/patient-record';
import {
  checkSchema,
  doseQuantitySchema,
  doseUnits,
  frozenDrugSchema,
  lineInputSchema,
  MAX_LINES,
  MAX_RENEWALS,
  moments,
  nonSubstitutionReasons,
  overrideInputSchema,
  ruleSetSchema,
} from '../domain/prescription';
import { dateField, sexes } from '../domain/patient';
import { optionalText, requiredName, requiredText, searchText } from '../domain/validation';
import { rowId, type CallSpec } from './spec';

const prescriptionId = rowId('L’identifiant de l’ordonnance est obligatoire.');
const patientId = rowId('L’identifiant du patient est obligatoire.');

export const prescriptionStates = ['draft', 'signed', 'cancelled'] as const;

/** A line as stored and shown: what the GP wrote, the frozen copy, and its French rendering. */
export const draftLineSchema = z.object({
  line: z.custom<z.output<typeof lineInputSchema>>(),
  /** The frozen copy of the referential (drug lines). */
  drug: frozenDrugSchema.nullable(),
  /** « amoxicilline 500 mg, gélule — 2 gélules matin et soir pendant 7 jours » */
  rendered: z.string(),
});

export const draftSchema = z.object({
  id: z.number().int().positive(),
  patientId: z.number().int().positive(),
  state: z.enum(prescriptionStates),
  /** Increases at every save: a save naming an older one is refused (another window wrote). */
  version: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The prescription it renews, when it does. */
  renewalOf: z.number().int().positive().nullable(),
  lines: z.array(draftLineSchema),
  overrides: z.array(z.object({ checkId: z.string(), reason: z.string(), at: z.string() })),
  /** Every check, most severe first, computed against today's referential, rules and record. */
  checks: z.array(checkSchema),
  ruleSets: z.array(ruleSetSchema),
  /** No blocking check left: signing may start. */
  readyToSign: z.boolean(),
  /** Once signed: the legal identifier and what the QR code carries; null for a draft. */
  signature: z
    .object({
      rxId: z.string(),
      signedAt: z.string(),
      keyId: z.string(),
      contentDigest: z.string(),
      qrPayload: z.string(),
    })
    .nullable(),
  /** Once cancelled: why and when; null otherwise. */
  cancellation: z.object({ reason: z.string(), at: z.string() }).nullable(),
});
export type Draft = z.output<typeof draftSchema>;
export type DraftLine = z.output<typeof draftLineSchema>;

export const prescriptionSummarySchema = z.object({
  id: z.number().int().positive(),
  state: z.enum(prescriptionStates),
  createdAt: z.string(),
  updatedAt: z.string(),
  renewalOf: z.number().int().positive().nullable(),
  /** The lines' labels, in order (DCI labels, free texts). */
  labels: z.array(z.string()),
  /** Once cancelled: why and when; null otherwise. */
  cancellation: z.object({ reason: z.string(), at: z.string() }).nullable(),
  /** Once signed: where it stands with the DMP (its latest outbox row: the submission, or the withdrawal once cancelled); null for a draft. */
  dmp: z.object({ action: z.enum(['submit', 'cancel']), state: z.enum(outboxStates), reason: z.string().nullable() }).nullable(),
});
export type PrescriptionSummary = z.output<typeof prescriptionSummarySchema>;

const linesSchema = z.array(lineInputSchema).max(MAX_LINES, { error: `Au plus ${MAX_LINES} lignes par ordonnance.` });

export const favouriteSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  kind: z.enum(['line', 'prescription']),
  /** The lines as written (keys are replaced when inserted). */
  lines: z.array(z.custom<z.output<typeof lineInputSchema>>()),
  /** The first line's label, for the list. */
  labels: z.array(z.string()),
  createdAt: z.string(),
});
export type Favourite = z.output<typeof favouriteSchema>;

/**
 * The exchange file (FreeDiams' idea): a patient by id or by identity, and lines by CIS or CIP13
 * with a plain posology. README « Mode échange ».
 */
export const exchangeLineSchema = z
  .strictObject({
    cis: z.string().regex(/^\d{8}$/, { error: 'Le code CIS comporte 8 chiffres.' }).optional(),
    cip13: z.string().regex(/^3400\d{9}$/, { error: 'Le code CIP13 comporte 13 chiffres et commence par 3400.' }).optional(),
    dose: doseQuantitySchema,
    unit: z.enum(doseUnits, { error: `L’unité est l’une de : ${doseUnits.join(', ')}.` }),
    timesPerDay: z.number().int().min(1).max(24).optional(),
    moments: z.array(z.enum(moments)).max(4).optional(),
    asNeeded: z.boolean().optional(),
    maxPer24h: z.number().positive().max(10_000).optional(),
    durationDays: z.number().int().min(1).max(366).optional(),
    packs: z.number().int().min(1).max(99).optional(),
    renewals: z.number().int().min(0).max(MAX_RENEWALS).optional(),
    nonSubstitutable: z.enum(nonSubstitutionReasons).optional(),
    ald: z.boolean().optional(),
    instructions: optionalText('Les instructions', 500, { plural: true, lines: true }).optional(),
  })
  .refine((l) => (l.cis === undefined) !== (l.cip13 === undefined), { error: 'Chaque ligne donne un code CIS ou un code CIP13 (l’un des deux).' });

export const exchangePatientSchema = z.union(
  [
    z.strictObject({ id: patientId }),
    z.strictObject({
      birthName: requiredName('Le nom de naissance', 100),
      firstNames: requiredName('Les prénoms', 200, { plural: true }),
      sex: z.enum(['F', 'M'] as const satisfies readonly (typeof sexes)[number][], { error: 'Le sexe est F ou M.' }),
      birthDate: dateField('La date de naissance'),
      weightKg: z.number().positive().max(500).optional(),
      allergies: z.array(z.strictObject({ substance: requiredText('La substance', 200) })).max(50).optional(),
      ald: z.array(z.strictObject({ label: requiredText('L’affection', 200) })).max(50).optional(),
    }),
  ],
  { error: 'Le patient est { "id": … } ou { "birthName", "firstNames", "sex", "birthDate" }.' },
);

export const exchangeDocumentSchema = z.strictObject({
  patient: exchangePatientSchema,
  lines: z.array(exchangeLineSchema).min(1, { error: 'Le fichier ne contient aucune ligne.' }).max(MAX_LINES),
});
export type ExchangeDocument = z.input<typeof exchangeDocumentSchema>;

export const exchangeResultSchema = z.object({
  id: z.number().int().positive(),
  patientId: z.number().int().positive(),
  /** The inline patient was created (not found by names and birth date). */
  patientCreated: z.boolean(),
  checks: z.array(
    z.object({
      kind: checkSchema.shape.kind,
      level: checkSchema.shape.level,
      blocking: z.boolean(),
      message: z.string(),
      lines: z.array(z.number().int().nonnegative()),
    }),
  ),
});

/** What an allergy or a long-term treatment can be matched to. */
export const allergenSchema = z.object({
  kind: z.enum(['substance', 'class']),
  /** As the rules name it (upper case, no accents): what is stored. */
  name: z.string(),
  /** As the GP reads it (« Pénicillines », « amoxicilline »). */
  label: z.string(),
});
export type Allergen = z.output<typeof allergenSchema>;

/** Why a signed prescription is cancelled: 5 to 500 characters (migration 0011's CHECK counts characters, not UTF-16 units). */
export const CANCELLATION_REASON_MIN = 5;
const cancellationReason = requiredText('Le motif d’annulation', 500).pipe(
  z.string().refine((value) => Array.from(value).length >= CANCELLATION_REASON_MIN, { error: `Le motif d’annulation doit faire au moins ${CANCELLATION_REASON_MIN} caractères.` }),
);

const exampleLine = {
  kind: 'drug',
  key: '0b6f3c2e-6d1a-4c5e-9f7a-2b8c4d6e8f10',
  cis: '69999001',
  posology: { dose: 1, unit: 'gélule', frequency: { kind: 'perDay', times: 2 }, moments: ['matin', 'soir'] },
  duration: { value: 7, unit: 'days' },
} as const;

export const prescriptionCalls = {
  /** The patient's prescriptions, newest first (drafts included). */
  'prescriptions.list': {
    input: z.strictObject({ patientId }),
    output: z.array(prescriptionSummarySchema),
    example: { patientId: 1 },
  },
  /** A new empty draft for the patient. */
  'prescriptions.create': {
    input: z.strictObject({ patientId }),
    output: draftSchema,
    example: { patientId: 1 },
  },
  /** A prescription with its lines and today's checks. */
  'prescriptions.get': {
    input: z.strictObject({ id: prescriptionId }),
    output: draftSchema,
    example: { id: 1 },
  },
  /**
   * The autosave: the draft's lines and overrides as they stand. Refused (CONFLICT) when `version`
   * is not the stored one; a line whose CIS is unknown is refused with its number. Lines keep
   * their frozen copy while their key and drug stay the same.
   */
  'prescriptions.save': {
    input: z.strictObject({
      id: prescriptionId,
      version: z.number({ error: 'La version est obligatoire.' }).int().nonnegative(),
      lines: linesSchema,
      overrides: z.array(overrideInputSchema).max(200).default([]),
    }),
    output: draftSchema,
    example: { id: 1, version: 0, lines: [exampleLine], overrides: [] },
  },
  /** Deletes a draft (never a signed prescription). */
  'prescriptions.discard': {
    input: z.strictObject({ id: prescriptionId }),
    output: z.object({ id: z.number().int() }),
    example: { id: 1 },
  },
  /** « Renouveler »: a new draft with the lines of a previous prescription, frozen again from today's referential. */
  /**
   * Signs the draft: its checks pass (or are overridden), it gets its unique id, its content is
   * frozen and signed with the prescriber's key, with its audit row and its outbox rows, all in one
   * transaction. `requestId` (a UUID the window makes once per « Signer ») makes a double click or
   * a retried call sign once: the same request answers the same signed prescription.
   */
  'prescriptions.sign': {
    input: z.strictObject({ id: prescriptionId, requestId: z.uuid({ error: 'La demande de signature doit avoir un identifiant (UUID).' }) }),
    output: draftSchema,
    example: { id: 1, requestId: '7d8f7a2e-1c3b-4e5f-9a0b-123456789abc' },
  },
  /**
   * The paper copy of a signed prescription: its PDF (made from what was signed), a copy kept in the
   * data folder, and in the app the OS print dialog; the browser downloads `contentBase64`.
   */
  'prescriptions.print': {
    input: z.strictObject({ id: prescriptionId }),
    output: z.object({
      rxId: z.string(),
      fileName: z.string(),
      contentBase64: z.string(),
      /** Where the copy was kept. */
      savedAs: z.string(),
      /** The print dialog was shown and the GP printed (the app only). */
      printed: z.boolean(),
    }),
    example: { id: 1 },
  },
  /**
   * « Vérifier une ordonnance »: a signed code (« ORDO1:… », read from the paper's QR code or from a
   * PDF) checked offline against the public keys this Ordo knows.
   */
  'prescriptions.verify': {
    input: z.strictObject({
      // The text policy of every field (no control or bidi character), at most what a QR code holds.
      code: requiredText('Le code de l’ordonnance (« ORDO1:… »)', 4296),
    }),
    output: z.object({
      status: z.enum(['valid', 'invalid', 'unreadable']),
      valid: z.boolean(),
      id: z.string().nullable(),
      issuedAt: z.string().nullable(),
      prescriber: z.string().nullable(),
      keyId: z.string().nullable(),
      /** Why it is not valid, in French; null when it is. */
      reason: z.string().nullable(),
      /** The prescription when it was signed here: its state (a cancelled one is no longer to be dispensed). */
      local: z.object({ id: z.number().int(), state: z.enum(prescriptionStates), cancellation: z.object({ reason: z.string(), at: z.string() }).nullable() }).nullable(),
    }),
    example: { code: 'ORDO1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6VF0CL5LUWX0GQF' },
  },
  /**
   * Cancels a signed prescription: a write-once cancellation with its reason, the audit row and
   * what the DMP must be told, in one transaction; the prescription itself stays as signed. A
   * draft is refused (it is discarded instead); the same reason again answers the cancelled
   * prescription as the first time, another reason is refused. A correction is a new prescription
   * (`prescriptions.renew` from the cancelled one).
   */
  'prescriptions.cancel': {
    input: z.strictObject({ id: prescriptionId, reason: cancellationReason }),
    output: draftSchema,
    example: { id: 1, reason: 'Erreur de posologie : ordonnance refaite' },
  },
  'prescriptions.renew': {
    input: z.strictObject({ id: prescriptionId }),
    output: draftSchema,
    example: { id: 1 },
  },
  /** The exchange mode: a draft from another program's file (see exchangeDocumentSchema). */
  'prescriptions.fromExchange': {
    input: z.strictObject({ document: exchangeDocumentSchema }),
    output: exchangeResultSchema,
    example: {
      document: {
        patient: { birthName: 'Martin', firstNames: 'Claire', sex: 'F', birthDate: '1980-04-12' },
        lines: [{ cis: '69999001', dose: 1, unit: 'gélule', timesPerDay: 2, durationDays: 7 }],
      },
    },
  },
  'favourites.list': {
    input: z.strictObject({}),
    output: z.array(favouriteSchema),
    example: {},
  },
  /** Saves lines (one, or a whole prescription's) as a favourite under a name. */
  'favourites.save': {
    input: z.strictObject({
      name: requiredText('Le nom du favori', 100),
      kind: z.enum(['line', 'prescription'], { error: 'Un favori est une ligne ou une ordonnance.' }),
      lines: linesSchema.min(1, { error: 'Un favori contient au moins une ligne.' }),
    }),
    output: favouriteSchema,
    example: { name: 'Angine', kind: 'line', lines: [exampleLine] },
  },
  'favourites.delete': {
    input: z.strictObject({ id: rowId('L’identifiant du favori est obligatoire.') }),
    output: z.object({ id: z.number().int() }),
    example: { id: 1 },
  },
  /** Substances and classes an allergy or a treatment can be matched to, for the patient form. */
  'allergens.search': {
    input: z.strictObject({ query: searchText('La recherche'), limit: z.number().int().min(1).max(50).optional() }),
    output: z.array(allergenSchema),
    example: { query: 'penic' },
  },
} as const satisfies Record<string, CallSpec>;

/** The patient facts the prescription screen's header shows (a subset of the record). */
export type PrescriptionPatient = Pick<
  z.output<typeof patientRecordSchema>,
  'id' | 'birthName' | 'usedName' | 'firstNames' | 'sex' | 'birthDate' | 'weight' | 'creatinineClearance' | 'pregnancy' | 'breastfeeding' | 'allergies' | 'conditions'
>;
