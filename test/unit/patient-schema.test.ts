import { describe, expect, it } from 'vitest';
import { patientCalls } from '../../shared/calls/patients';
import { parseDate, formatDate, ageOn } from '../../shared/domain/dates';
import { errorsOnDay, patientInputSchema, type PatientInput } from '../../shared/domain/patient';
import { describePatient, displayName } from '../../shared/domain/patient-names';
import { fieldErrorsOf } from '../../shared/domain/validation';

const minimal: PatientInput = { birthName: 'Lefèvre', firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980' };
const errorsOf = (input: unknown) => {
  const parsed = patientInputSchema.safeParse(input);
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
};

describe('dates as a GP types them', () => {
  it('reads jj/mm/aaaa and ISO, refuses impossible days', () => {
    expect(parseDate('14/03/1980')).toBe('1980-03-14');
    expect(parseDate('4/3/1980')).toBe('1980-03-04');
    expect(parseDate('1980-03-14')).toBe('1980-03-14');
    expect(parseDate('29/02/2024')).toBe('2024-02-29');
    expect(parseDate('29/02/2023')).toBeNull();
    expect(parseDate('31/04/2020')).toBeNull();
    expect(parseDate('14/13/1980')).toBeNull();
    expect(parseDate('hier')).toBeNull();
    expect(formatDate('1980-03-14')).toBe('14/03/1980');
    expect(ageOn('1980-03-14', '2026-03-13')).toBe(45);
    expect(ageOn('1980-03-14', '2026-03-14')).toBe(46);
  });
});

describe('patient record schema', () => {
  it('fills the optional fields of a minimal record', () => {
    expect(patientInputSchema.parse(minimal)).toEqual({
      birthName: 'Lefèvre',
      usedName: '',
      firstNames: 'Hélène',
      sex: 'F',
      birthDate: '1980-03-14',
      birthPlaceCode: '',
      nir: null,
      identityStatus: 'provisional',
      identityDocument: null,
      address: '',
      postalCode: '',
      city: '',
      phone: '',
      email: '',
      weight: null,
      height: null,
      creatinineClearance: null,
      pregnancy: null,
      breastfeeding: null,
      dmpObjection: null,
      dispensingObjection: null,
      allergies: [],
      conditions: [],
      treatments: [],
    });
  });

  it('accepts the contract example and normalises what was typed', () => {
    const parsed = patientInputSchema.parse(patientCalls['patients.create'].example.patient);
    expect(parsed.nir).toBe('280037511203418');
    expect(parsed.weight).toEqual({ value: 61.5, measuredOn: '2025-09-02' });
    expect(parsed.height).toEqual({ value: 165, measuredOn: '2025-09-02' });
  });

  it('says in French what is wrong, field by field', () => {
    expect(errorsOf({ ...minimal, birthName: ' ', sex: 'X', birthDate: '31/02/1980', nir: '2800375112034' })).toEqual({
      birthName: 'Le nom de naissance est obligatoire.',
      sex: 'Le sexe doit être féminin, masculin ou indéterminé.',
      birthDate: 'La date de naissance doit être une date valide au format jj/mm/aaaa (ex. 15/07/1985).',
      nir: 'Le NIR doit comporter 15 caractères, clé comprise (13 saisis).',
    });
    expect(errorsOf({ ...minimal, nir: '2 80 03 75 112 034 19' })).toEqual({
      nir: 'La clé du NIR ne correspond pas aux 13 premiers caractères : vérifiez la saisie.',
    });
    expect(errorsOf({ ...minimal, postalCode: '6900', email: 'x@', phone: '12' })).toEqual({
      postalCode: 'Le code postal doit comporter 5 chiffres.',
      email: 'L’adresse e-mail n’est pas valide (ex. nom@exemple.fr).',
      phone: 'Le téléphone doit être un numéro à 10 chiffres (ex. 06 12 34 56 78, 0262 12 34 56) ou international (ex. +262 692 12 34 56, 0033 6 12 34 56 78).',
    });
  });

  it('checks measurements: a positive number within bounds, with its date', () => {
    expect(errorsOf({ ...minimal, weight: { value: '0', measuredOn: '01/01/2020' } })).toEqual({
      'weight.value': 'Le poids doit être compris entre 0,3 et 500 kg.',
    });
    expect(errorsOf({ ...minimal, weight: { value: 'lourd', measuredOn: '' } })).toEqual({
      'weight.value': 'Le poids doit être un nombre (ex. 72,5).',
      'weight.measuredOn': 'La date de mesure est obligatoire.',
    });
    expect(errorsOf({ ...minimal, creatinineClearance: { value: -3, measuredOn: '01/01/2020' } })).toEqual({
      'creatinineClearance.value': 'La clairance de la créatinine doit être un nombre positif d’au plus 300 mL/min.',
    });
  });

  it('checks the bounds on the value as stored (rounded to 0.1), not as typed', () => {
    // "0,04" rounds to 0: refused with the French message, never left to the database CHECK.
    expect(errorsOf({ ...minimal, weight: { value: '0,04', measuredOn: '01/01/2020' } })).toEqual({
      'weight.value': 'Le poids doit être compris entre 0,3 et 500 kg.',
    });
    expect(errorsOf({ ...minimal, creatinineClearance: { value: 0.049, measuredOn: '01/01/2020' } })).toEqual({
      'creatinineClearance.value': 'La clairance de la créatinine doit être un nombre positif d’au plus 300 mL/min.',
    });
    expect(patientInputSchema.parse({ ...minimal, weight: { value: '0,25', measuredOn: '01/01/2020' } }).weight).toEqual({
      value: 0.3,
      measuredOn: '2020-01-01',
    });
    expect(errorsOf({ ...minimal, height: { value: '250,06', measuredOn: '01/01/2020' } })).toEqual({
      'height.value': 'La taille doit être comprise entre 20 et 250 cm.',
    });
  });

  it('requires the document seen for a verified identity, and drops it for a provisional one', () => {
    expect(errorsOf({ ...minimal, identityStatus: 'verified' })).toEqual({
      identityDocument: 'Indiquez la pièce d’identité vue pour marquer l’identité comme vérifiée.',
    });
    expect(patientInputSchema.parse({ ...minimal, identityStatus: 'provisional', identityDocument: 'passport' }).identityDocument).toBeNull();
  });

  it('refuses facts dated before the birth, and (with the clock) after today', () => {
    expect(errorsOf({ ...minimal, pregnancy: { startedOn: '01/01/1979' } })).toEqual({
      'pregnancy.startedOn': 'Cette date est antérieure à la date de naissance.',
    });
    const data = patientInputSchema.parse({ ...minimal, birthDate: '01/01/2030', dmpObjection: { recordedOn: '02/01/2030' } });
    expect(errorsOnDay(data, '2026-01-01')).toEqual({
      birthDate: 'La date de naissance ne peut pas être dans le futur.',
      'dmpObjection.recordedOn': 'Cette date ne peut pas être dans le futur.',
    });
  });

  it('refuses unknown fields and lists too long', () => {
    expect(patientInputSchema.safeParse({ ...minimal, blood: 'O+' }).success).toBe(false);
    const many = Array.from({ length: 51 }, () => ({ substance: 'Iode' }));
    expect(errorsOf({ ...minimal, allergies: many })).toEqual({ allergies: 'Au plus 50 allergies ou intolérances.' });
    expect(errorsOf({ ...minimal, allergies: [{ substance: '' }] })).toEqual({
      'allergies.0.substance': 'La substance ou classe est obligatoire.',
    });
  });
});

describe('patient names', () => {
  it('shows the used name first and the birth name after "née"', () => {
    expect(displayName({ birthName: 'Durand', usedName: 'Martin', firstNames: 'Claire', sex: 'F' })).toBe('MARTIN née DURAND Claire');
    expect(describePatient({ birthName: 'Lefèvre', usedName: '', firstNames: 'Hélène', sex: 'F', birthDate: '1980-03-14' })).toBe(
      'LEFÈVRE Hélène, née le 14/03/1980',
    );
  });
});
