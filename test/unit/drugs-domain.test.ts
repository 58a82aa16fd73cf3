import { describe, expect, it } from 'vitest';
import {
  ageInDays,
  decodeFlags,
  drugFlagNames,
  encodeFlags,
  flagsFromConditions,
  drugFlagLabelsOf,
  isStale,
  prescriptionLimitDays,
  priceToCents,
  searchWords,
  STALE_AFTER_DAYS,
} from '../../shared/domain/drugs';
import { parseLine } from '../../electron/drugs/bdpm-files';
import { fr } from '../../renderer/i18n/fr';


describe('flags from prescribing conditions', () => {
  const base = { marketed: true, enhancedMonitoring: false };
  it('reads the ANSM wording', () => {
    expect(flagsFromConditions(['liste I'], base)).toMatchObject({ listI: true, listII: false, narcotic: false });
    expect(flagsFromConditions(['liste II'], base)).toMatchObject({ listI: false, listII: true });
    expect(flagsFromConditions(['stupéfiants'], base)).toMatchObject({ narcotic: true, securePrescription: true });
    expect(flagsFromConditions(["réservé à l'usage HOSPITALIER"], base)).toMatchObject({ hospitalOnly: true });
    expect(flagsFromConditions(['prescription hospitalière'], base)).toMatchObject({ hospitalOnly: true });
    expect(flagsFromConditions(['prescription initiale hospitalière annuelle'], base)).toMatchObject({ hospitalOnly: false, hospitalInitial: true });
    expect(flagsFromConditions(['prescription réservée aux spécialistes et services NEUROLOGIE'], base)).toMatchObject({ specialistOnly: true });
    expect(flagsFromConditions(['liste I et prescription sur ordonnance sécurisée'], base)).toMatchObject({ listI: true, securePrescription: true, narcotic: false });
    expect(flagsFromConditions([], { marketed: false, enhancedMonitoring: true })).toMatchObject({ notMarketed: true, enhancedMonitoring: true });
  });

  it('round-trips through the stored bit set', () => {
    const all = decodeFlags(0);
    drugFlagNames.forEach((name, i) => {
      all[name] = i % 2 === 0;
    });
    expect(decodeFlags(encodeFlags(all))).toEqual(all);
  });

  it('finds the shortest duration limit', () => {
    expect(prescriptionLimitDays(['prescription limitée à 12 semaines', 'prescription limitée à 28 jours'])).toBe(28);
    expect(prescriptionLimitDays(['liste I'])).toBeNull();
  });
});

describe('search words', () => {
  it('normalises accents and case, splits digits from units', () => {
    expect(searchWords('PARACÉTAMOL 500mg, gélule')).toEqual(['paracetamol', '500', 'mg', 'gelule']);
    expect(searchWords('3400949497294')).toEqual(['3400949497294']);
    expect(searchWords('  ')).toEqual([]);
  });
});

describe('dates and prices', () => {
  it('reads BDPM dates with the one shared date rule: real dates only', () => {
    const cip = (date: string) =>
      parseLine('CIS_CIP_bdpm.txt', ['60021127', '3738338', 'boîte', 'Présentation active', 'Déclaration de commercialisation', date, '3400937383387', 'oui', '65 %', '', '', ''].join('\t'));
    expect(cip('16/03/2011')).toMatchObject({ ok: true, row: { declarationDate: '2011-03-16' } });
    expect(cip('29/02/2016')).toMatchObject({ ok: true, row: { declarationDate: '2016-02-29' } });
    expect(cip('29/02/2017')).toMatchObject({ ok: true, row: { declarationDate: null } });
  });

  it('words flags the same on screen and in the CLI, and says how old a stale base is', () => {
    const flags = { narcotic: false, listI: true, listII: false, hospitalOnly: false, hospitalInitial: false, specialistOnly: false, securePrescription: false, notMarketed: true, enhancedMonitoring: false };
    expect(drugFlagLabelsOf({ flags, genericType: 'princeps' })).toEqual(['Liste I', 'Non commercialisé', 'Princeps']);
    expect(fr.drugs.flags.listI).toBe('Liste I');
    expect(fr.drugs.status.stale(75)).toBe(`La base des médicaments a 75 jours (plus de ${STALE_AFTER_DAYS}) : mettez-la à jour.`);
    expect(fr.drugs.moreInGroup(3)).toBe('… et 3 autres spécialités');
    expect(fr.drugs.detail.generics).toBe('Groupe(s) générique(s)');
  });

  it('counts the age of a release and warns after 60 days or without date', () => {
    const now = new Date('2026-11-25T10:00:00Z');
    expect(ageInDays('2026-09-26', now)).toBe(60);
    expect(isStale('2026-09-26', now)).toBe(false);
    expect(isStale('2026-09-25', now)).toBe(true);
    expect(isStale(null, now)).toBe(true);
  });

  it('reads French prices in cents', () => {
    expect(priceToCents('44,38')).toBe(4438);
    expect(priceToCents('7,5')).toBe(750);
    expect(priceToCents('1 234,56')).toBe(123456);
    expect(priceToCents('')).toBeNull();
  });

  it('reads prices of 1,000 € and more, written with a comma between thousands', () => {
    expect(priceToCents('2,849,83')).toBe(284983);
    expect(priceToCents('1,234,567,89')).toBe(123456789);
    expect(priceToCents('1 234,56')).toBe(123456);
    expect(priceToCents('2,84,83')).toBeNull();
    expect(priceToCents('12,3456')).toBeNull();
    expect(priceToCents('abc')).toBeNull();
  });
});

