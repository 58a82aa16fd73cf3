import { describe, expect, it } from 'vitest';
import { DEFAULT_SPECIALTY, prescriberProfileSchema } from '../../shared/domain/profile';
import { fieldErrorsOf } from '../../shared/domain/validation';
import { validProfile } from '../support/fixtures';

function errorsFor(input: unknown): Record<string, string> {
  const parsed = prescriberProfileSchema.safeParse(input);
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
}

describe('prescriber profile rules', () => {
  it('accepts a complete profile and normalises typed separators', () => {
    const parsed = prescriberProfileSchema.parse({ ...validProfile, rpps: '100 031 545 89', lastName: '  Martin ' });
    expect(parsed.rpps).toBe('10003154589');
    expect(parsed.lastName).toBe('Martin');
  });

  it('refuses control and formatting characters in a text field, naming the field, and keeps letters of every script', () => {
    for (const bad of ['\u0000Martin', 'Mar\u001b[31mtin', 'Martin\nDupont', 'Martin\u202e', 'Mar\u2066tin', 'Martin\ud800']) {
      expect(errorsFor({ ...validProfile, lastName: bad }), JSON.stringify(bad)).toEqual({
        lastName: 'Le nom contient un caractère de contrôle ou de mise en forme : retapez le texte.',
      });
    }
    expect(errorsFor({ ...validProfile, city: 'Lyon\u0007' })).toHaveProperty('city');
    expect(errorsFor({ ...validProfile, specialty: '\u0000' })).toHaveProperty('specialty');
    expect(prescriberProfileSchema.parse({ ...validProfile, lastName: 'Иванов' }).lastName).toBe('Иванов');
    // Composed and decomposed « é » are one name once stored.
    expect(prescriberProfileSchema.parse({ ...validProfile, lastName: 'He\u0301lo\u00efse' }).lastName).toBe('H\u00e9lo\u00efse');
  });

  it('defaults the specialty to general practice', () => {
    const { specialty: _ignored, ...rest } = validProfile;
    expect(prescriberProfileSchema.parse(rest).specialty).toBe(DEFAULT_SPECIALTY);
    expect(prescriberProfileSchema.parse({ ...validProfile, specialty: '' }).specialty).toBe(DEFAULT_SPECIALTY);
  });

  it('gives one French message per invalid field', () => {
    const errors = errorsFor({ ...validProfile, rpps: '10003154588', postalCode: '6900', email: 'claire@', phone: '12' });
    expect(errors).toEqual({
      rpps: 'Le numéro RPPS est incorrect : la clé de contrôle ne correspond pas.',
      postalCode: 'Le code postal doit comporter 5 chiffres.',
      email: 'L’adresse e-mail n’est pas valide (ex. nom@exemple.fr).',
      phone: 'Le téléphone doit être un numéro français à 10 chiffres (ex. 01 23 45 67 89).',
    });
  });

  it('requires the identity fields and refuses unknown keys', () => {
    const errors = errorsFor({ ...validProfile, lastName: ' ', amNumber: undefined, extra: 1 });
    expect(errors['lastName']).toBe('Le nom est obligatoire.');
    expect(errors['amNumber']).toBe('Le numéro Assurance Maladie est obligatoire.');
    expect(Object.keys(errors)).toHaveLength(3);
    expect(errors['_']).toBe('Clé non reconnue : "extra"');
  });

  it('accepts French phone numbers as GPs type them', () => {
    for (const phone of ['0478000000', '04 78 00 00 00', '04.78.00.00.00', '+33 4 78 00 00 00']) {
      expect(errorsFor({ ...validProfile, phone })).toEqual({});
    }
  });
});
