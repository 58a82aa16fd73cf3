/**
 * The patient record: identity (the five INS traits plus the NIR), contact, and the clinical facts
 * a prescription depends on. One schema validates the form in the renderer, the contract input
 * in the main process and each row of a CSV import, so the same French message reaches the GP
 * whichever way the data came in.
 */
import { z } from 'zod';
import { ageOn, parseDate } from './dates';
import { checkNir, nirContradictions, normalizeNir } from './nir';
import { isValidPhone } from './patient-phone';
import { cleanCharacters, optionalName, optionalText, requiredName, requiredText, TEXT_LIMITS } from './validation';
import { frenchNumber } from './numbers';

export const sexes = ['F', 'M', 'I'] as const;
export type Sex = (typeof sexes)[number];

export const identityStatuses = ['provisional', 'verified'] as const;
export type IdentityStatus = (typeof identityStatuses)[number];

/** Documents that allow an identity to be marked verified (INS referential, high trust). */
export const identityDocuments = [
  'identity_card',
  'passport',
  'residence_permit',
  'family_record_book',
  'birth_certificate',
] as const;
export type IdentityDocument = (typeof identityDocuments)[number];

export const allergyKinds = ['allergy', 'intolerance'] as const;

export const MAX_LIST_ITEMS = 50;

/** A date typed jj/mm/aaaa, « 15 07 1985 », « 15071985 » (or ISO), stored ISO. `label` starts with its article: "La date de …". */
export function dateField(label: string) {
  return z
    .string({ error: `${label} est obligatoire.` })
    .trim()
    .transform((value, ctx) => {
      if (value === '') {
        ctx.addIssue({ code: 'custom', message: `${label} est obligatoire.` });
        return z.NEVER;
      }
      const iso = parseDate(value);
      // The database keeps years 1000 to 2999 (its CHECK); a date after today is refused with the day's rules.
      if (iso === null || iso < '1890-01-01' || iso > '2999-12-31') {
        ctx.addIssue({ code: 'custom', message: `${label} doit être une date valide au format jj/mm/aaaa (ex. 15/07/1985).` });
        return z.NEVER;
      }
      return iso;
    });
}

interface Bounds {
  /** Smallest value stored (after rounding to 0.1), exclusive when 0. */
  min: number;
  max: number;
  /** The French sentence for a value out of bounds. */
  outOfBounds: string;
  /** A more helpful sentence for some values out of bounds (« 1,78 » typed for a height in metres). */
  hint?: (value: number) => string | null;
}

/** A positive decimal typed with a comma or a point ("72,5"), within bounds, rounded to 0.1. */
function decimalField(label: string, bounds: Bounds) {
  return z
    .union([z.number(), z.string()], { error: `${label} doit être un nombre.` })
    .transform((raw, ctx) => {
      const text = typeof raw === 'string' ? raw.trim().replace(',', '.') : '';
      if (typeof raw === 'string' && text === '') {
        ctx.addIssue({ code: 'custom', message: `${label} est obligatoire.` });
        return z.NEVER;
      }
      const value = typeof raw === 'number' ? raw : /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isFinite(value)) {
        ctx.addIssue({ code: 'custom', message: `${label} doit être un nombre (ex. 72,5).` });
        return z.NEVER;
      }
      // Stored to one decimal: the bounds apply to what will be stored, so "0,04" (rounded to 0)
      // is refused here rather than by the database CHECK.
      const rounded = Math.round(value * 10) / 10;
      if (rounded <= 0 || rounded < bounds.min || rounded > bounds.max) {
        ctx.addIssue({ code: 'custom', message: bounds.hint?.(value) ?? bounds.outOfBounds });
        return z.NEVER;
      }
      return rounded;
    });
}

function measurement(label: string, bounds: Bounds) {
  return z
    .strictObject({ value: decimalField(label, bounds), measuredOn: dateField('La date de mesure') })
    .nullable()
    .default(null);
}

/** Bounds of what a record may hold (the database CHECKs of migration 0002 are wider). */
export const WEIGHT_KG = { min: 0.3, max: 500 } as const;
export const HEIGHT_CM = { min: 20, max: 250 } as const;
export const CLEARANCE_ML_MIN = { max: 300 } as const;

const weightBounds: Bounds = {
  ...WEIGHT_KG,
  outOfBounds: `Le poids doit être compris entre ${frenchNumber(WEIGHT_KG.min)} et ${frenchNumber(WEIGHT_KG.max)} kg.`,
};
const heightBounds: Bounds = {
  ...HEIGHT_CM,
  outOfBounds: `La taille doit être comprise entre ${frenchNumber(HEIGHT_CM.min)} et ${frenchNumber(HEIGHT_CM.max)} cm.`,
  // « 1,78 »: a height in metres.
  hint: (value) => (value > 0.3 && value < 3 ? `La taille s’exprime en centimètres : ${frenchNumber(Math.round(value * 100))} pour ${frenchNumber(value)} m.` : null),
};
const clearanceBounds: Bounds = {
  min: 0,
  ...CLEARANCE_ML_MIN,
  outOfBounds: `La clairance de la créatinine doit être un nombre positif d’au plus ${frenchNumber(CLEARANCE_ML_MIN.max)} mL/min.`,
};

/** A fact that is either absent (null) or true since a date. */
function datedFact<K extends string>(key: K, label: string) {
  return z
    .strictObject({ [key]: dateField(label) } as Record<K, ReturnType<typeof dateField>>)
    .nullable()
    .default(null);
}

const nirField = z
  .string({ error: 'Le NIR doit être un texte.' })
  .max(64, { error: 'Le NIR comporte 15 caractères (13 et une clé de 2 chiffres).', abort: true })
  .nullish()
  .transform((raw, ctx) => {
    const value = normalizeNir(raw ?? '');
    if (value === '') return null;
    const result = checkNir(value);
    if (!result.valid) {
      ctx.addIssue({ code: 'custom', message: result.reason ?? 'Le NIR est invalide.' });
      return z.NEVER;
    }
    return value;
  });

/** What an allergy can be coded as in the interaction rule set (shared/domain/prescription.ts `RuleName`). */
export const ruleNameKinds = ['substance', 'class'] as const;

/** Longest name of a substance or class of the rule set that a record keeps. */
export const RULE_NAME_MAX = 200;

/** Most substances a long-term treatment names. */
export const MAX_TREATMENT_SUBSTANCES = 10;

/**
 * A substance or class as the rule set spells it (upper case, no accents: « PENICILLINES »),
 * what `allergens.search` returns in `name`. Never typed by the GP: a lower-case letter means the
 * value did not come from the rule set, and is refused rather than guessed.
 */
function ruleNameText(label: string) {
  return z
    .string({ error: `${label} doit être un texte.` })
    .max(RULE_NAME_MAX * 4, { error: `${label} ne doit pas dépasser ${RULE_NAME_MAX} caractères.`, abort: true })
    .refine(...cleanCharacters(label))
    .trim()
    .min(1, { error: `${label} est obligatoire.` })
    .max(RULE_NAME_MAX, { error: `${label} ne doit pas dépasser ${RULE_NAME_MAX} caractères.` })
    .refine((value) => value === value.toUpperCase(), { error: `${label} doit être écrit comme le thésaurus des interactions le nomme (en majuscules).` });
}

const allergyCodeSchema = z
  .strictObject(
    {
      kind: z.enum(ruleNameKinds, { error: 'La codification doit être une substance ou une classe du thésaurus des interactions.' }),
      name: ruleNameText('Le nom de la substance ou classe codée'),
    },
    { error: 'La codification doit être une substance ou une classe du thésaurus des interactions.' },
  )
  .nullable()
  .default(null);

const allergySchema = z.strictObject({
  kind: z.enum(allergyKinds, { error: 'Le type doit être « allergie » ou « intolérance ».' }).default('allergy'),
  substance: requiredText('La substance ou classe', 200),
  reaction: optionalText('La réaction', 300).default(''),
  /** What the free text was matched to in the rule set; null when it was not (free text only). */
  code: allergyCodeSchema,
});

/** A long-term treatment: its label and, when picked from the rule set, its substances' names. */
const treatmentSchema = z.strictObject({
  label: requiredText('L’intitulé du traitement', 200),
  substanceNames: z
    .array(ruleNameText('Le nom de la substance'), { error: 'Les substances du traitement doivent être une liste.' })
    .max(MAX_TREATMENT_SUBSTANCES, { error: `Au plus ${MAX_TREATMENT_SUBSTANCES} substances par traitement.` })
    .default([]),
});

const conditionSchema = z.strictObject({
  label: requiredText('L’intitulé de la pathologie', 200),
  ald: z.boolean({ error: 'La mention ALD doit être oui ou non.' }).default(false),
});

const fields = {
  birthName: requiredName('Le nom de naissance', 100),
  usedName: optionalName('Le nom d’usage', 100).default(''),
  firstNames: requiredName('Les prénoms', 200, { plural: true, firstNames: true }),
  sex: z.enum(sexes, {
    error: (issue) =>
      issue.input === undefined || issue.input === null || issue.input === ''
        ? 'Le sexe est obligatoire : féminin, masculin ou indéterminé.'
        : 'Le sexe doit être féminin, masculin ou indéterminé.',
  }),
  birthDate: dateField('La date de naissance'),
  birthPlaceCode: z
    .string({ error: 'Le code du lieu de naissance doit être un texte.' })
    .max(64, { error: 'Le code INSEE du lieu de naissance comporte 5 caractères (ex. 69123, 2A004, 99100).', abort: true })
    .trim()
    .toUpperCase()
    .regex(/^(?:|\d{5}|2[AB]\d{3})$/, { error: 'Le code INSEE du lieu de naissance comporte 5 caractères (ex. 69123, 2A004, 99100).' })
    .default(''),
  nir: nirField,
  identityStatus: z.enum(identityStatuses, { error: 'Le statut de l’identité doit être provisoire ou vérifiée.' }).default('provisional'),
  identityDocument: z
    .enum(identityDocuments, { error: 'La pièce d’identité vue n’est pas dans la liste.' })
    .nullable()
    .default(null),
  address: optionalText('L’adresse', 300).default(''),
  postalCode: z
    .string({ error: 'Le code postal doit être un texte.' })
    .max(64, { error: 'Le code postal doit comporter 5 chiffres.', abort: true })
    .trim()
    .regex(/^(?:|\d{5})$/, { error: 'Le code postal doit comporter 5 chiffres.' })
    .default(''),
  city: optionalText('La ville', 100).default(''),
  phone: z
    .string({ error: 'Le téléphone doit être un texte.' })
    .max(TEXT_LIMITS.phone, { error: `Le téléphone ne doit pas dépasser ${TEXT_LIMITS.phone} caractères.`, abort: true })
    .refine(...cleanCharacters('Le téléphone'))
    .trim()
    .refine((value) => value === '' || isValidPhone(value), {
      error: 'Le téléphone doit être un numéro à 10 chiffres (ex. 06 12 34 56 78, 0262 12 34 56) ou international (ex. +262 692 12 34 56, 0033 6 12 34 56 78).',
    })
    .default(''),
  email: z
    .string({ error: 'L’adresse e-mail doit être un texte.' })
    .max(TEXT_LIMITS.email, { error: `L’adresse e-mail ne doit pas dépasser ${TEXT_LIMITS.email} caractères.`, abort: true })
    .trim()
    .refine((value) => value === '' || z.email().safeParse(value).success, {
      error: 'L’adresse e-mail n’est pas valide (ex. nom@exemple.fr).',
    })
    .default(''),
  weight: measurement('Le poids', weightBounds),
  height: measurement('La taille', heightBounds),
  creatinineClearance: measurement('La clairance de la créatinine', clearanceBounds),
  pregnancy: datedFact('startedOn', 'La date de début de grossesse'),
  breastfeeding: datedFact('since', 'La date de début de l’allaitement'),
  dmpObjection: datedFact('recordedOn', 'La date de l’opposition à l’alimentation du DMP'),
  dispensingObjection: datedFact('recordedOn', 'La date de l’opposition à la consultation des délivrances'),
  allergies: z
    .array(allergySchema, { error: 'Les allergies doivent être une liste.' })
    .max(MAX_LIST_ITEMS, { error: `Au plus ${MAX_LIST_ITEMS} allergies ou intolérances.` })
    .default([]),
  conditions: z
    .array(conditionSchema, { error: 'Les pathologies doivent être une liste.' })
    .max(MAX_LIST_ITEMS, { error: `Au plus ${MAX_LIST_ITEMS} pathologies.` })
    .default([]),
  treatments: z
    .array(treatmentSchema, { error: 'Les traitements au long cours doivent être une liste.' })
    .max(MAX_LIST_ITEMS, { error: `Au plus ${MAX_LIST_ITEMS} traitements au long cours.` })
    .default([]),
};

/** Everything the GP enters; what `patients.create` and `patients.update` take. */
export const patientInputSchema = z
  .strictObject(fields)
  .superRefine((p, ctx) => {
    if (p.identityStatus === 'verified' && p.identityDocument === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['identityDocument'],
        message: 'Indiquez la pièce d’identité vue pour marquer l’identité comme vérifiée.',
      });
    }
    if (p.sex === 'M' && p.pregnancy !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['pregnancy'],
        message: 'Un patient de sexe masculin ne peut pas être enceinte : corrigez le sexe ou décochez « Enceinte ».',
      });
    }
    for (const [path, date] of datedPaths(p)) {
      if (date < p.birthDate) {
        ctx.addIssue({ code: 'custom', path, message: 'Cette date est antérieure à la date de naissance.' });
      }
    }
  })
  // A provisional identity has, by definition, no document seen.
  .transform((p) => (p.identityStatus === 'provisional' ? { ...p, identityDocument: null } : p));

export type PatientInput = z.input<typeof patientInputSchema>;
export type PatientData = z.output<typeof patientInputSchema>;

/** Every dated fact of a record with its field path, for the date rules. */
export function datedPaths(p: Pick<PatientData, 'weight' | 'height' | 'creatinineClearance' | 'pregnancy' | 'breastfeeding' | 'dmpObjection' | 'dispensingObjection'>): [string[], string][] {
  const out: [string[], string][] = [];
  if (p.weight) out.push([['weight', 'measuredOn'], p.weight.measuredOn]);
  if (p.height) out.push([['height', 'measuredOn'], p.height.measuredOn]);
  if (p.creatinineClearance) out.push([['creatinineClearance', 'measuredOn'], p.creatinineClearance.measuredOn]);
  if (p.pregnancy) out.push([['pregnancy', 'startedOn'], p.pregnancy.startedOn]);
  if (p.breastfeeding) out.push([['breastfeeding', 'since'], p.breastfeeding.since]);
  if (p.dmpObjection) out.push([['dmpObjection', 'recordedOn'], p.dmpObjection.recordedOn]);
  if (p.dispensingObjection) out.push([['dispensingObjection', 'recordedOn'], p.dispensingObjection.recordedOn]);
  return out;
}

/** A pregnancy started longer ago than this is over (or its date is wrong). */
export const MAX_PREGNANCY_WEEKS = 44;

/** Days from one ISO day to another. */
const daysFrom = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

/**
 * Refusals that depend on today (the clock lives outside this pure module: the services pass
 * theirs, the form the browser's): dates after today, a pregnancy started more than 44 weeks ago.
 */
export function errorsOnDay(p: PatientData, today: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (p.birthDate > today) errors['birthDate'] = 'La date de naissance ne peut pas être dans le futur.';
  for (const [path, date] of datedPaths(p)) {
    if (date > today) errors[path.join('.')] = 'Cette date ne peut pas être dans le futur.';
  }
  if (p.pregnancy !== null && p.pregnancy.startedOn <= today && daysFrom(p.pregnancy.startedOn, today) > MAX_PREGNANCY_WEEKS * 7) {
    errors['pregnancy.startedOn'] =
      `Une grossesse ne dure pas plus de ${MAX_PREGNANCY_WEEKS} semaines : vérifiez la date de début, ou décochez « Enceinte » si la grossesse est terminée.`;
  }
  return errors;
}

/** What the GP must confirm before a record is saved (on top of the duplicates the service finds). */
export const patientConfirmations = ['duplicate', 'nearDuplicate', 'birthBefore1900', 'pregnancyAge', 'nirMismatch'] as const;
export type PatientConfirmation = (typeof patientConfirmations)[number];

export interface PatientWarning {
  code: PatientConfirmation;
  /** The form field it is about ('' for the whole record). */
  path: string;
  message: string;
}

/** Ages at which a pregnancy is plausible; outside, the GP confirms. */
export const PREGNANCY_AGES = { min: 10, max: 60 } as const;

/** Unlikely but possible facts of a record, each to be confirmed by the GP (pure: no register). */
export function recordWarnings(p: PatientData): PatientWarning[] {
  const warnings: PatientWarning[] = [];
  if (p.birthDate < '1900-01-01') {
    warnings.push({ code: 'birthBefore1900', path: 'birthDate', message: `La date de naissance est antérieure à 1900 (${p.birthDate.slice(0, 4)}) : vérifiez l’année.` });
  }
  if (p.pregnancy !== null) {
    const age = ageOn(p.birthDate, p.pregnancy.startedOn);
    if (age < PREGNANCY_AGES.min || age > PREGNANCY_AGES.max) {
      warnings.push({
        code: 'pregnancyAge',
        path: 'pregnancy.startedOn',
        message: `La patiente avait ${age} ans au début de la grossesse (habituellement entre ${PREGNANCY_AGES.min} et ${PREGNANCY_AGES.max} ans) : vérifiez les dates.`,
      });
    }
  }
  if (p.nir !== null) {
    const contradictions = nirContradictions(p.nir, p);
    if (contradictions.length > 0) warnings.push({ code: 'nirMismatch', path: 'nir', message: contradictions.join(' ') });
  }
  return warnings;
}
