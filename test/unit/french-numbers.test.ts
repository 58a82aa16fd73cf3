/** Numbers as a French GP reads them, from the one formatter of the interface. */
import { describe, expect, it } from 'vitest';
import { fr } from '../../renderer/i18n/fr';
import { count, formatNumber } from '../../renderer/i18n/numbers';

describe('French numbers on screen', () => {
  it('separates thousands with a narrow no-break space and uses a decimal comma', () => {
    expect(formatNumber(1463)).toBe('1\u202f463');
    expect(formatNumber(14442)).toBe('14\u202f442');
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(2.5)).toBe('2,5');
    expect(count(3563, 'jour', 'jours')).toBe('3\u202f563 jours');
    expect(count(1, 'interaction', 'interactions')).toBe('1 interaction');
    expect(count(0, 'ligne rejetée', 'lignes rejetées')).toBe('0 ligne rejetée');
  });

  it('names the thesaurus in words, never by its rule-set id', () => {
    expect(fr.interactions.label('2016', 1463)).toBe('Thésaurus des interactions ANSM, 2016 — 1\u202f463 interactions');
    expect(fr.interactions.label(null, 3)).toBe('Thésaurus des interactions ANSM — 3 interactions');
    expect(fr.drugs.status.stale(3563)).toBe('La base des médicaments a 3\u202f563 jours (plus de 60) : mettez-la à jour.');
    expect(fr.drugs.status.countsValue(14442, 20083)).toBe('14\u202f442 spécialités, 20\u202f083 présentations');
    expect(fr.interactions.settings.done(1463, 1010, 159)).toBe('Thésaurus installé : 1\u202f463 interactions, 1\u202f010 substances, 159 classes.');
  });
});
