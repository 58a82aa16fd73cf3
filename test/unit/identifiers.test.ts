import { describe, expect, it } from 'vitest';
import { checkAmNumber, checkCip13, checkRpps, luhnValid } from '../../shared/domain/identifiers';

describe('Luhn', () => {
  it('accepts known-good numbers and rejects a changed digit', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('12a4')).toBe(false);
  });
});

describe('RPPS', () => {
  it('accepts 11 digits with a valid Luhn key', () => {
    expect(checkRpps('10003154589')).toEqual({ valid: true });
  });
  it('explains in French what is wrong', () => {
    expect(checkRpps('10003154588').reason).toMatch(/clé de contrôle/);
    expect(checkRpps('1000315458').reason).toBe('Le numéro RPPS doit comporter 11 chiffres (10 saisis).');
    expect(checkRpps('1000315458A').reason).toMatch(/que des chiffres/);
    expect(checkRpps('').reason).toMatch(/obligatoire/);
  });
});

describe('Assurance Maladie number', () => {
  it('checks 9 digits and the Luhn key', () => {
    expect(checkAmNumber('751234568').valid).toBe(true);
    expect(checkAmNumber('751234564').valid).toBe(false);
    expect(checkAmNumber('75123456').reason).toMatch(/9 chiffres/);
  });
});

describe('CIP13', () => {
  it('checks the EAN-13 key', () => {
    expect(checkCip13('3400930000120').valid).toBe(true);
    expect(checkCip13('3400930000121').reason).toMatch(/clé EAN-13/);
    expect(checkCip13('34009300000').reason).toMatch(/13 chiffres/);
    expect(checkCip13('340093000012X').reason).toMatch(/que des chiffres/);
    // a valid EAN-13 that is not a French drug pack
    expect(checkCip13('4006381333931').reason).toBe('Le code CIP13 doit commencer par 3400.');
  });
});
