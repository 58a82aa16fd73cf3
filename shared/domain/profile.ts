import { z } from 'zod';
import { checkAmNumber, checkRpps } from './identifiers';
import { checkedDigits, optionalText, requiredName, requiredText, TEXT_LIMITS } from './validation';

export const DEFAULT_SPECIALTY = 'Médecin généraliste';

const FRENCH_PHONE = /^(?:\+33 ?|0)[1-9](?:[ .-]?\d{2}){4}$/;

/** The prescriber as printed on every prescription (CSP R.5132-3). */
export const prescriberProfileSchema = z.strictObject({
  lastName: requiredName('Le nom', 100),
  firstName: requiredName('Le prénom', 100),
  specialty: optionalText('La spécialité', 100)
    .transform((value) => (value === '' ? DEFAULT_SPECIALTY : value))
    .default(DEFAULT_SPECIALTY),
  rpps: checkedDigits('Le numéro RPPS', checkRpps),
  amNumber: checkedDigits('Le numéro Assurance Maladie', checkAmNumber),
  practiceName: optionalText('Le nom du cabinet', 200).default(''),
  address: requiredText('L’adresse', 300),
  postalCode: z
    .string({ error: 'Le code postal est obligatoire.' })
    .max(64, { error: 'Le code postal doit comporter 5 chiffres.', abort: true })
    .trim()
    .regex(/^\d{5}$/, { error: 'Le code postal doit comporter 5 chiffres.' }),
  city: requiredText('La ville', 100),
  phone: z
    .string({ error: 'Le téléphone est obligatoire.' })
    .max(TEXT_LIMITS.phone, { error: `Le téléphone ne doit pas dépasser ${TEXT_LIMITS.phone} caractères.`, abort: true })
    .trim()
    .regex(FRENCH_PHONE, { error: 'Le téléphone doit être un numéro français à 10 chiffres (ex. 01 23 45 67 89).' }),
  email: z
    .string({ error: 'L’adresse e-mail est obligatoire.' })
    .max(TEXT_LIMITS.email, { error: `L’adresse e-mail ne doit pas dépasser ${TEXT_LIMITS.email} caractères.`, abort: true })
    .trim()
    .pipe(z.email({ error: 'L’adresse e-mail n’est pas valide (ex. nom@exemple.fr).' })),
});

export type PrescriberProfileInput = z.input<typeof prescriberProfileSchema>;
export type PrescriberProfile = z.output<typeof prescriberProfileSchema>;

/** Field names in form order, for the screens. */
export const profileFields = [
  'lastName',
  'firstName',
  'specialty',
  'rpps',
  'amNumber',
  'practiceName',
  'address',
  'postalCode',
  'city',
  'phone',
  'email',
] as const satisfies readonly (keyof PrescriberProfile)[];
