import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAmNumber, checkRpps, luhnValid } from '../../shared/domain/identifiers';
import { checkNir, isProvisionalNir, nirKey, nirWarnings, normalizeNir } from '../../shared/domain/nir';
import { syntheticNir } from '../../electron/patients/synthetic';

/** Appends the key the rule gives, so each case below states only the 13 characters it is about. */
const withKey = (body: string) => `${body}${String(nirKey(body)).padStart(2, '0')}`;

describe('NIR key', () => {
  it('is 97 − (number mod 97)', () => {
    // 2 80 03 75 112 034: 2800375112034 mod 97 = 79 → key 18.
    expect(2800375112034 % 97).toBe(79);
    expect(nirKey('2800375112034')).toBe(18);
    expect(checkNir('280037511203418')).toEqual({ valid: true });
  });

  it('accepts fixed vectors computed outside this code, and refuses their key ± 1', () => {
    // Computed independently (python3) from DOMAIN.md §3: key = 97 − (13-digit number mod 97),
    // with 2A → 19 and 2B → 18 for the computation. Not derived from nirKey, so a wrong rule fails here.
    const vectors = [
      '185076912304596', // mainland, man, Lyon
      '292029915011765', // born abroad (99)
      '169012A00408340', // Corse-du-Sud (2A)
      '275112B03314221', // Haute-Corse (2B)
      '764037505601223', // provisional (7)
      '801019910020393', // provisional (8)
    ];
    for (const nir of vectors) {
      expect(checkNir(nir), nir).toEqual({ valid: true });
      const key = Number(nir.slice(13));
      for (const wrong of [key - 1, key + 1]) {
        const typo = `${nir.slice(0, 13)}${String(wrong).padStart(2, '0')}`;
        expect(checkNir(typo).valid, typo).toBe(false);
      }
    }
  });

  it('refuses a wrong key, and a single mistyped digit whatever its place', () => {
    expect(checkNir('280037511203419')).toEqual({
      valid: false,
      reason: 'La clé du NIR ne correspond pas aux 13 premiers caractères : vérifiez la saisie.',
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 9 }), (index, delta) => {
        const good = '280037511203418';
        const digit = (Number(good[index]) + delta) % 10;
        const typo = `${good.slice(0, index)}${digit}${good.slice(index + 1)}`;
        expect(checkNir(typo).valid).toBe(false);
      }),
    );
  });

  it('computes Corsica with 19 for 2A and 18 for 2B', () => {
    expect(nirKey('255082A004123')).toBe(97 - (2550819004123 % 97));
    expect(nirKey('255082B004123')).toBe(97 - (2550818004123 % 97));
    expect(checkNir(withKey('255082A004123')).valid).toBe(true);
    expect(checkNir(withKey('255082B004123')).valid).toBe(true);
    // The same digits with 2A's key under 2B do not pass.
    expect(checkNir(`255082B004123${String(nirKey('255082A004123')).padStart(2, '0')}`).valid).toBe(false);
  });

  it('accepts provisional numbers (7, 8) and flags them', () => {
    const provisional = withKey('7800375112034');
    expect(checkNir(provisional).valid).toBe(true);
    expect(checkNir(withKey('8800375112034')).valid).toBe(true);
    expect(isProvisionalNir(provisional)).toBe(true);
    expect(nirWarnings(provisional, { sex: 'M', birthDate: '1980-03-01' })).toEqual([
      'Ce NIR est un numéro provisoire (7 ou 8) : remplacez-le par le numéro définitif dès que possible.',
    ]);
  });

  it('refuses another first digit', () => {
    expect(checkNir(withKey('3800375112034')).reason).toBe('Le NIR doit commencer par 1 ou 2 (ou 7 ou 8 pour un numéro provisoire).');
    expect(checkNir(withKey('0800375112034')).valid).toBe(false);
  });

  it('refuses a wrong length, saying how many characters were typed', () => {
    expect(checkNir('28003751120341').reason).toBe('Le NIR doit comporter 15 caractères, clé comprise (14 saisis).');
    expect(checkNir('2800375112034180').reason).toBe('Le NIR doit comporter 15 caractères, clé comprise (16 saisis).');
    expect(checkNir('').reason).toBe('Le NIR est vide.');
  });

  it('refuses letters, except 2A/2B in the département', () => {
    const letters = 'Le NIR ne doit contenir que des chiffres (seul le département de naissance peut être 2A ou 2B, pour la Corse).';
    expect(checkNir('28003751120341X').reason).toBe(letters);
    expect(checkNir('2800A7511203418').reason).toBe(letters);
    expect(checkNir('2800375112O3418').reason).toBe(letters);
    expect(checkNir('255083A00412345').reason).toBe('Le département de naissance du NIR doit être 2A ou 2B pour la Corse.');
  });

  it('takes the NIR as people type it', () => {
    expect(normalizeNir(' 2 80 03 2a 112.034-18 ')).toBe('280032A11203418');
  });

  it('accepts every generated NIR (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('F' as const, 'M' as const),
        fc.date({ min: new Date('1900-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }),
        fc.constantFrom('75', '2A', '2B', '99', '01'),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 1, max: 999 }),
        (sex, date, dept, commune, order) => {
          const nir = syntheticNir(sex, date.toISOString().slice(0, 10), dept, String(commune).padStart(3, '0'), order);
          expect(checkNir(nir)).toEqual({ valid: true });
          expect(nirWarnings(nir, { sex, birthDate: date.toISOString().slice(0, 10) })).toEqual([]);
        },
      ),
    );
  });
});

describe('NIR against the record', () => {
  const nir = '280037511203418'; // woman, born March 1980
  it('agrees with a matching record', () => {
    expect(nirWarnings(nir, { sex: 'F', birthDate: '1980-03-14' })).toEqual([]);
    expect(nirWarnings(nir, { sex: 'I', birthDate: '1980-03-14' })).toEqual([]);
  });
  it('warns, in French, when sex, year or month disagree', () => {
    expect(nirWarnings(nir, { sex: 'M', birthDate: '1981-04-14' })).toEqual([
      'Le NIR indique le sexe féminin alors que la fiche indique masculin : vérifiez.',
      'Le NIR indique une naissance en « 80 » alors que la fiche indique 1981 : vérifiez.',
      'Le NIR indique le mois de naissance 03 alors que la fiche indique 04 : vérifiez.',
    ]);
  });
  it('does not compare a month code that marks an unknown month (20, 30–42, 50+)', () => {
    for (const month of ['20', '35', '42', '55']) {
      expect(nirWarnings(withKey(`280${month}75112034`), { sex: 'F', birthDate: '1980-07-01' })).toEqual([]);
    }
  });
});

describe('Luhn numbers the patient file relies on', () => {
  it('RPPS and Assurance Maladie: valid, wrong key, wrong length, letters', () => {
    expect(luhnValid('10003154589')).toBe(true);
    expect(checkRpps('10003154589').valid).toBe(true);
    expect(checkRpps('10003154580').reason).toMatch(/clé de contrôle/);
    expect(checkRpps('100031545899').reason).toMatch(/11 chiffres \(12 saisis\)/);
    expect(checkRpps('1000315458O').reason).toMatch(/que des chiffres/);
    expect(checkAmNumber('751234568').valid).toBe(true);
    expect(checkAmNumber('751234567').reason).toMatch(/clé de contrôle/);
  });
});
