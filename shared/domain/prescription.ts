/**
 * The prescription as written, before it is signed: its lines (a drug of the referential with a
 * frozen copy of what it printed, or a free-text line), the structured posology of each line, and
 * the checks the screen shows beside them. One set of schemas serves the contract input (the
 * screen's autosave, the exchange file of `ordo draft create`), the stored rows and the output.
 *
 * Rules: DOMAIN.md §2 (what a prescription must say) and §7 (safety checks).
 */
import { z } from 'zod';
import { drugFlagNames } from './drugs';
import { optionalText, requiredText } from './validation';

/** Units a dose is counted in; the form of the drug proposes one (dose-units.ts). */
export const doseUnits = [
  'comprimé',
  'gélule',
  'capsule',
  'sachet',
  'ml',
  'mg',
  'g',
  'goutte',
  'bouffée',
  'pulvérisation',
  'application',
  'UI',
  'suppositoire',
  'ovule',
  'patch',
  'ampoule',
  'flacon',
  'dose',
  'cuillère-mesure',
  'pipette',
  'stylo',
  'injection',
  'unité',
] as const;
export type DoseUnit = (typeof doseUnits)[number];

export const moments = ['matin', 'midi', 'soir', 'coucher'] as const;
export type Moment = (typeof moments)[number];

/** How often: N intakes a day, N a week, or one every N hours. */
export const frequencySchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('perDay'), times: z.number({ error: 'Le nombre de prises par jour doit être un nombre.' }).int().min(1, { error: 'Au moins une prise par jour.' }).max(24, { error: 'Au plus 24 prises par jour.' }) }),
    z.strictObject({ kind: z.literal('perWeek'), times: z.number({ error: 'Le nombre de prises par semaine doit être un nombre.' }).int().min(1, { error: 'Au moins une prise par semaine.' }).max(7, { error: 'Au plus 7 prises par semaine (sinon, par jour).' }) }),
    z.strictObject({ kind: z.literal('everyHours'), hours: z.number({ error: 'L’intervalle doit être un nombre d’heures.' }).int().min(1, { error: 'Au moins une heure entre deux prises.' }).max(72, { error: 'Au plus 72 heures entre deux prises.' }) }),
  ],
  { error: 'Indiquez la fréquence : par jour, par semaine ou toutes les N heures.' },
);
export type Frequency = z.output<typeof frequencySchema>;

/** A dose per intake: positive, at most 3 decimals (½ = 0.5, ¼ = 0.25, ¾ = 0.75, ⅓ ≈ 0.333). */
export const doseQuantitySchema = z
  .number({ error: 'La quantité par prise doit être un nombre.' })
  .positive({ error: 'La quantité par prise doit être supérieure à zéro.' })
  .max(10_000, { error: 'La quantité par prise ne doit pas dépasser 10 000.' })
  .refine((v) => Math.abs(Math.round(v * 1000) - v * 1000) < 1e-6, { error: 'La quantité par prise a au plus trois décimales (½ = 0,5 ; ¼ = 0,25).' });

export const posologySchema = z.strictObject({
  dose: doseQuantitySchema,
  unit: z.enum(doseUnits, { error: 'Choisissez l’unité de la prise (comprimé, gélule, ml…).' }),
  frequency: frequencySchema,
  /** When the intakes are (a day's): as many moments as intakes when given. */
  moments: z.array(z.enum(moments, { error: 'Moment inconnu (matin, midi, soir, coucher).' })).max(4).default([]),
  /** « si besoin »: taken only when needed, at most `maxPer24h` units a day when given. */
  asNeeded: z.boolean({ error: '« Si besoin » doit être vrai ou faux.' }).default(false),
  maxPer24h: z.number({ error: 'Le maximum par 24 heures doit être un nombre.' }).positive().max(10_000).nullable().default(null),
  /** The route as the BDPM names it (« orale », « cutanée »…), or null to leave it implicit. */
  route: optionalText('La voie d’administration', 60).nullable().default(null),
});
export type Posology = z.output<typeof posologySchema>;
export type PosologyInput = z.input<typeof posologySchema>;

export const durationUnits = ['days', 'weeks', 'months'] as const;
export type DurationUnit = (typeof durationUnits)[number];

export const durationSchema = z.strictObject({
  value: z.number({ error: 'La durée doit être un nombre.' }).int({ error: 'La durée est un nombre entier.' }).min(1, { error: 'La durée est d’au moins 1.' }).max(366, { error: 'La durée ne doit pas dépasser 366.' }),
  unit: z.enum(durationUnits, { error: 'Choisissez l’unité de la durée (jours, semaines, mois).' }),
});
export type Duration = z.output<typeof durationSchema>;

export const nonSubstitutionReasons = ['MTE', 'EFG', 'CIF'] as const;
export type NonSubstitutionReason = (typeof nonSubstitutionReasons)[number];

/** The per-line flags besides ALD (DOMAIN §2), as the e-prescription carries them. */
export const lineFlagNames = ['workAccident', 'prevention', 'nonReimbursable', 'offLabel'] as const;
export type LineFlagName = (typeof lineFlagNames)[number];
export const lineFlagLabels: Readonly<Record<LineFlagName, string>> = {
  workAccident: 'Accident du travail / maladie professionnelle',
  prevention: 'Prévention',
  nonReimbursable: 'Non remboursable',
  offLabel: 'Hors AMM',
};

export const MAX_RENEWALS = 11;
export const MAX_LINES = 30;

/** What the GP writes on every line, a drug's or a free one. */
const commonLineShape = {
  /** The client's stable key of the line (a UUID): the frozen copy and the overrides follow it. */
  key: z.uuid({ error: 'L’identifiant de la ligne n’est pas valide.' }),
  duration: durationSchema.nullable().default(null),
  packs: z.number({ error: 'Le nombre de boîtes doit être un nombre.' }).int().min(1, { error: 'Au moins une boîte.' }).max(99, { error: 'Au plus 99 boîtes.' }).nullable().default(null),
  renewals: z.number({ error: 'Le nombre de renouvellements doit être un nombre.' }).int().min(0).max(MAX_RENEWALS, { error: `Au plus ${MAX_RENEWALS} renouvellements (12 mois).` }).default(0),
  nonSubstitution: z.enum(nonSubstitutionReasons, { error: 'Le motif de non-substitution est MTE, EFG ou CIF.' }).nullable().default(null),
  ald: z.boolean({ error: 'ALD doit être vrai ou faux.' }).default(false),
  flags: z
    .strictObject(Object.fromEntries(lineFlagNames.map((n) => [n, z.boolean().default(false)])) as Record<LineFlagName, z.ZodDefault<z.ZodBoolean>>)
    .default({ workAccident: false, prevention: false, nonReimbursable: false, offLabel: false }),
  instructions: optionalText('Les instructions pour le patient', 500, { plural: true, lines: true }).default(''),
};

const cisSchema = z.string({ error: 'Le code CIS est obligatoire.' }).regex(/^\d{8}$/, { error: 'Le code CIS comporte 8 chiffres.' });
const cip13Schema = z.string({ error: 'Le code CIP13 doit être un texte.' }).regex(/^3400\d{9}$/, { error: 'Le code CIP13 comporte 13 chiffres et commence par 3400.' });

export const drugLineInputSchema = z.strictObject({
  kind: z.literal('drug'),
  cis: cisSchema,
  /** The pack chosen, when one was. */
  cip13: cip13Schema.nullable().default(null),
  /** Print the brand after the DCI. */
  showBrand: z.boolean().default(false),
  posology: posologySchema,
  ...commonLineShape,
});

export const freeLineInputSchema = z.strictObject({
  kind: z.literal('free'),
  /** What the referential lacks, written by the GP (« Bas de contention classe 2 »). */
  text: requiredText('Le texte de la ligne', 300),
  /** A structured posology when it applies, else none (the text says it). */
  posology: posologySchema.nullable().default(null),
  ...commonLineShape,
});

export const lineInputSchema = z.discriminatedUnion('kind', [drugLineInputSchema, freeLineInputSchema], {
  error: 'Une ligne est un médicament de la base (kind: "drug") ou une ligne libre (kind: "free").',
});
export type LineInput = z.input<typeof lineInputSchema>;
export type Line = z.output<typeof lineInputSchema>;
export type DrugLine = z.output<typeof drugLineInputSchema>;
export type FreeLine = z.output<typeof freeLineInputSchema>;

/**
 * What a drug line printed, copied from the referential when the drug was chosen: the referential
 * is replaced whole at each import, the prescription is not.
 */
export const frozenDrugSchema = z.object({
  cis: z.string(),
  cip13: z.string().nullable(),
  packLabel: z.string().nullable(),
  dciLabel: z.string(),
  /** The specialty's name (the brand). */
  brand: z.string(),
  form: z.string(),
  routes: z.array(z.string()),
  flags: z.object(Object.fromEntries(drugFlagNames.map((n) => [n, z.boolean()])) as Record<(typeof drugFlagNames)[number], z.ZodBoolean>),
  /** Active substances (SA rows; FT when the BDPM gives one): what the checks match. */
  substances: z.array(
    z.object({
      code: z.string(),
      /** As the BDPM writes it (« WARFARINE SODIQUE »). */
      name: z.string(),
      /** The DCI it stands for (« warfarine »). */
      dci: z.string(),
      strength: z.string(),
      strengthReference: z.string(),
      nature: z.enum(['SA', 'FT']),
    }),
  ),
  conditions: z.array(z.string()),
  prescriptionLimitDays: z.number().int().nullable(),
  referential: z.object({
    releaseDate: z.string().nullable(),
    importedAt: z.string(),
    demo: z.boolean(),
  }),
});
export type FrozenDrug = z.output<typeof frozenDrugSchema>;

/** Check levels: the thesaurus' four (CI, ASDEC, PE, APEC), then Ordo's own warnings and notes. */
export const checkLevels = ['CI', 'ASDEC', 'PE', 'APEC', 'warning', 'info'] as const;
export type CheckLevel = (typeof checkLevels)[number];
export const checkKinds = ['interaction', 'allergy', 'duplicate', 'pregnancy', 'renal', 'dose', 'legal'] as const;
export type CheckKind = (typeof checkKinds)[number];

export const checkLevelLabels: Readonly<Record<CheckLevel, string>> = {
  CI: 'Contre-indication',
  ASDEC: 'Association déconseillée',
  PE: 'Précaution d’emploi',
  APEC: 'À prendre en compte',
  warning: 'Attention',
  info: 'Information',
};

export const checkSchema = z.object({
  /** Stable while the cause stays (kind, rule, lines' keys): an override names it. */
  id: z.string(),
  kind: z.enum(checkKinds),
  level: z.enum(checkLevels),
  /** Signing is refused while a blocking check stands (a contre-indication until overridden). */
  blocking: z.boolean(),
  /** The GP may sign anyway with a written reason (contre-indications); legal checks cannot be. */
  overridable: z.boolean(),
  message: z.string(),
  /** Indexes of the lines concerned (0-based), empty for the whole prescription. */
  lines: z.array(z.number().int().nonnegative()),
  /** Where the rule comes from (« Thésaurus ANSM 2016 », « Règles cliniques Ordo 1 »). */
  source: z.string(),
  /** The GP's override of this check, when there is one. */
  override: z.object({ reason: z.string(), at: z.string() }).nullable(),
});
export type Check = z.output<typeof checkSchema>;

export const overrideInputSchema = z.strictObject({
  checkId: z.string({ error: 'La vérification à passer outre est obligatoire.' }).min(1).max(500),
  reason: requiredText('Le motif', 500, { lines: true }).pipe(z.string().min(5, { error: 'Le motif doit faire au moins 5 caractères.' })),
});
export type OverrideInput = z.input<typeof overrideInputSchema>;

/** One rule set the checks used, as the screen names it: nothing implies completeness. */
export const ruleSetSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** What it covers, in French (« 1 464 interactions, 1 140 substances »). */
  coverage: z.string(),
  /** A starter set or a curated subset: the screen says « partiel ». */
  partial: z.boolean(),
});
export type RuleSet = z.output<typeof ruleSetSchema>;

/** A check as a rule module finds it; the service adds the GP's override, if any. */
export type Finding = Omit<Check, 'override'>;

/** What every check module reads of a line: what the GP wrote and the frozen copy (drug lines). */
export interface CheckLine {
  line: Line;
  drug: FrozenDrug | null;
}

/** A coded allergy or treatment: a substance or a class as the rules name it (upper case, no accents). */
export interface RuleName {
  kind: 'substance' | 'class';
  name: string;
}

/** What the checks read of the patient (from the record, on the prescription's day). */
export interface CheckPatient {
  birthName: string;
  usedName: string;
  firstNames: string;
  sex: 'F' | 'M' | 'I';
  birthDate: string;
  weightKg: number | null;
  creatinineClearance: number | null;
  pregnant: boolean;
  /** The pregnancy's start (its term on the prescription's day), when the record has one. */
  pregnancyStartedOn?: string | null;
  breastfeeding: boolean;
  allergies: { kind: 'allergy' | 'intolerance'; substance: string; reaction: string; code: RuleName | null }[];
  conditions: { label: string; ald: boolean }[];
  /** Long-term treatments: their label and, when picked from the referential, its substances' names. */
  treatments: { label: string; substanceNames: string[] }[];
}
