import { describe, expect, it } from 'vitest';
import { firstNamesStartAlike } from '../../electron/patients/confirmations';
import { parseDate } from '../../shared/domain/dates';
import { errorsOnDay, patientInputSchema, recordWarnings, type PatientInput } from '../../shared/domain/patient';
import { ageOf, ageText } from '../../shared/domain/patient-age';
import { isValidPhone } from '../../shared/domain/patient-phone';
import { foldName, transliterate } from '../../shared/domain/patient-search-text';
import { fieldErrorsOf } from '../../shared/domain/validation';

const minimal: PatientInput = { birthName: 'Lefèvre', firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980' };
const errorsOf = (input: unknown) => {
  const parsed = patientInputSchema.safeParse(input);
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
};
const data = (input: PatientInput) => patientInputSchema.parse(input);

describe('transliteration (index and query)', () => {
  it('turns letters NFD keeps into what a French keyboard types', () => {
    expect(foldName('Łukasiewicz')).toBe('lukasiewicz');
    expect(foldName('Straße')).toBe('strasse');
    expect(foldName('STRAẞE')).toBe('strasse');
    expect(foldName('Løvland')).toBe('lovland');
    expect(foldName('Đorđević')).toBe('dordevic');
    expect(foldName('Þórunn Ærø')).toBe('thorunn aero');
    expect(foldName('Œuvray-Lætitia')).toBe('oeuvray laetitia');
    expect(foldName('İlkay Işık')).toBe('ilkay isik');
    expect(foldName('Hélène N’Diaye')).toBe('helene n diaye');
    expect(transliterate('Ł')).toBe('l');
  });
});

describe('dates as typed', () => {
  it('accepts eight digits and spaces as separators', () => {
    expect(parseDate('15071985')).toBe('1985-07-15');
    expect(parseDate('15 07 1985')).toBe('1985-07-15');
    expect(parseDate(' 15  07  1985 ')).toBe('1985-07-15');
    expect(parseDate('15/07/1985')).toBe('1985-07-15');
    expect(parseDate('31021985')).toBeNull();
    expect(parseDate('1507198')).toBeNull();
    expect(parseDate('15 07/1985')).toBe('1985-07-15');
    expect(data({ ...minimal, birthDate: '15071985' }).birthDate).toBe('1985-07-15');
    expect(data({ ...minimal, birthDate: '15 07 1985' }).birthDate).toBe('1985-07-15');
  });
});

describe('phone numbers', () => {
  it('accepts national, overseas and international forms', () => {
    for (const ok of ['06 12 34 56 78', '0612345678', '06.12.34.56.78', '0262 12 34 56', '0692 12 34 56', '0590 12 34 56', '+262 692 12 34 56', '+262692123456', '00262 692 12 34 56', '0033 6 12 34 56 78', '+33 6 12 34 56 78', '+33 (0)6 12 34 56 78', '+590 590 12 34 56', '+41 22 123 45 67', '+687 12 34 56']) {
      expect(isValidPhone(ok), ok).toBe(true);
    }
    for (const bad of ['12', '06 12 34 56', '6 12 34 56 78', '+33 06 12 34 56 78', '+262 12 34', '0033 6 12 34', 'téléphone', '+0 12 34 56 78']) {
      expect(isValidPhone(bad), bad).toBe(false);
    }
    expect(errorsOf({ ...minimal, phone: '+262 692 12 34 56' })).toEqual({});
    expect(errorsOf({ ...minimal, phone: '0033 6 12 34 56 78' })).toEqual({});
  });
});

describe('age as a GP reads it', () => {
  it('years from 2, months under 2 years, weeks under 2 months, days in the first week', () => {
    expect(ageText('1980-03-14', '2026-03-13')).toBe('45 ans');
    expect(ageText('2024-03-01', '2026-03-01')).toBe('2 ans');
    expect(ageText('2024-03-02', '2026-03-01')).toBe('23 mois');
    expect(ageText('2025-12-01', '2026-03-01')).toBe('3 mois');
    expect(ageText('2025-02-01', '2026-03-01')).toBe('13 mois');
    expect(ageText('2026-01-01', '2026-03-01')).toBe('2 mois');
    expect(ageText('2026-01-02', '2026-03-01')).toBe('8 semaines');
    expect(ageText('2026-02-08', '2026-03-01')).toBe('3 semaines');
    expect(ageText('2026-02-22', '2026-03-01')).toBe('1 semaine');
    expect(ageText('2026-02-27', '2026-03-01')).toBe('2 jours');
    expect(ageText('2026-03-01', '2026-03-01')).toBe('0 jour');
    expect(ageText('2026-03-02', '2026-03-01')).toBe('—');
    // Born on the 31st: a month old on the last day of the next, shorter month.
    expect(ageOf('2025-12-31', '2026-02-27')).toEqual({ count: 8, unit: 'weeks' });
    expect(ageOf('2025-12-31', '2026-02-28')).toEqual({ count: 2, unit: 'months' });
    expect(ageOf('2025-01-31', '2025-04-29')).toEqual({ count: 2, unit: 'months' });
    expect(ageOf('2025-01-31', '2025-04-30')).toEqual({ count: 3, unit: 'months' });
    expect(ageText('1900-01-01', '2026-01-01')).toBe('126 ans');
  });
});

describe('refusals of the record schema', () => {
  it('a man marked pregnant', () => {
    expect(errorsOf({ ...minimal, sex: 'M', pregnancy: { startedOn: '01/01/2026' } })).toEqual({
      pregnancy: 'Un patient de sexe masculin ne peut pas être enceinte : corrigez le sexe ou décochez « Enceinte ».',
    });
    expect(errorsOf({ ...minimal, sex: 'I', pregnancy: { startedOn: '01/01/2026' } })).toEqual({});
  });

  it('a height outside 20–250 cm, in metres said so; a weight outside 0.3–500 kg', () => {
    const at = '01/01/2026';
    expect(errorsOf({ ...minimal, height: { value: '1,78', measuredOn: at } })).toEqual({
      'height.value': 'La taille s’exprime en centimètres : 178 pour 1,78 m.',
    });
    expect(errorsOf({ ...minimal, height: { value: '19', measuredOn: at } })).toEqual({ 'height.value': 'La taille doit être comprise entre 20 et 250 cm.' });
    expect(errorsOf({ ...minimal, height: { value: '251', measuredOn: at } })).toEqual({ 'height.value': 'La taille doit être comprise entre 20 et 250 cm.' });
    expect(errorsOf({ ...minimal, height: { value: '20', measuredOn: at } })).toEqual({});
    expect(errorsOf({ ...minimal, height: { value: '250', measuredOn: at } })).toEqual({});
    expect(errorsOf({ ...minimal, weight: { value: '0,2', measuredOn: at } })).toEqual({ 'weight.value': 'Le poids doit être compris entre 0,3 et 500 kg.' });
    expect(errorsOf({ ...minimal, weight: { value: '500,1', measuredOn: at } })).toEqual({ 'weight.value': 'Le poids doit être compris entre 0,3 et 500 kg.' });
    expect(errorsOf({ ...minimal, weight: { value: '0,3', measuredOn: at } })).toEqual({});
  });

  it('required fields say « obligatoire », agreeing in number', () => {
    expect(errorsOf({ ...minimal, birthName: '', firstNames: '', sex: '', birthDate: '' })).toEqual({
      birthName: 'Le nom de naissance est obligatoire.',
      firstNames: 'Les prénoms sont obligatoires.',
      sex: 'Le sexe est obligatoire : féminin, masculin ou indéterminé.',
      birthDate: 'La date de naissance est obligatoire.',
    });
    expect(errorsOf({ ...minimal, firstNames: 'x'.repeat(201) })).toEqual({ firstNames: 'Les prénoms ne doivent pas dépasser 200 caractères.' });
    expect(errorsOf({ ...minimal, weight: { value: '', measuredOn: '' } })).toEqual({
      'weight.value': 'Le poids est obligatoire.',
      'weight.measuredOn': 'La date de mesure est obligatoire.',
    });
  });

  it('with the day: a pregnancy started more than 44 weeks ago, or in the future', () => {
    const today = '2026-03-01';
    // 44 weeks (308 days) before today is still accepted, the day before is not.
    expect(errorsOnDay(data({ ...minimal, pregnancy: { startedOn: '27/04/2025' } }), today)).toEqual({});
    expect(errorsOnDay(data({ ...minimal, pregnancy: { startedOn: '26/04/2025' } }), today)).toEqual({
      'pregnancy.startedOn':
        'Une grossesse ne dure pas plus de 44 semaines : vérifiez la date de début, ou décochez « Enceinte » si la grossesse est terminée.',
    });
    expect(errorsOnDay(data({ ...minimal, pregnancy: { startedOn: '02/03/2026' } }), today)).toEqual({
      'pregnancy.startedOn': 'Cette date ne peut pas être dans le futur.',
    });
  });
});

describe('what the GP must confirm', () => {
  it('a birth before 1900, a pregnancy outside 10–60 years of age, a NIR that contradicts the record', () => {
    expect(recordWarnings(data({ ...minimal, birthDate: '31/12/1899' })).map((w) => [w.code, w.message])).toEqual([
      ['birthBefore1900', 'La date de naissance est antérieure à 1900 (1899) : vérifiez l’année.'],
    ]);
    expect(recordWarnings(data({ ...minimal, birthDate: '01/01/1900' }))).toEqual([]);
    expect(recordWarnings(data({ ...minimal, birthDate: '01/01/2016', pregnancy: { startedOn: '01/01/2025' } })).map((w) => w.message)).toEqual([
      'La patiente avait 9 ans au début de la grossesse (habituellement entre 10 et 60 ans) : vérifiez les dates.',
    ]);
    expect(recordWarnings(data({ ...minimal, birthDate: '01/01/1964', pregnancy: { startedOn: '01/01/2025' } })).map((w) => w.code)).toEqual(['pregnancyAge']);
    expect(recordWarnings(data({ ...minimal, birthDate: '01/01/1965', pregnancy: { startedOn: '01/01/2025' } }))).toEqual([]);
    const nir = '2 80 03 75 112 034 18';
    expect(recordWarnings(data({ ...minimal, nir }))).toEqual([]);
    expect(recordWarnings(data({ ...minimal, nir, sex: 'M' }))).toEqual([
      { code: 'nirMismatch', path: 'nir', message: 'Le NIR indique le sexe féminin alors que la fiche indique masculin : vérifiez.' },
    ]);
    expect(recordWarnings(data({ ...minimal, nir, birthDate: '14/03/1981' })).map((w) => w.code)).toEqual(['nirMismatch']);
  });

  it('first names that start alike', () => {
    expect(firstNamesStartAlike('Jean', 'Jean Pierre Marie')).toBe(true);
    expect(firstNamesStartAlike('jean-pierre', 'Jean Pierre')).toBe(true);
    expect(firstNamesStartAlike('Hélène', 'helene, Marie')).toBe(true);
    expect(firstNamesStartAlike('Jean', 'Pierre Jean')).toBe(false);
    expect(firstNamesStartAlike('Jean', 'Jeanne')).toBe(false);
    expect(firstNamesStartAlike('', 'Jeanne')).toBe(false);
  });
});
