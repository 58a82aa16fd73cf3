import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../electron/patients/query';
import { searchKeysOf } from '../../electron/patients/search-keys';

describe('what the search box means', () => {
  it('names: accents and case aside, one prefix per word', () => {
    expect(parseQuery('  Hélène  LEF ')).toEqual({ kind: 'words', words: ['helene', 'lef'], birthDate: null });
    expect(parseQuery("N'Diaye")).toEqual({ kind: 'words', words: ['n', 'diaye'], birthDate: null });
    expect(parseQuery('Œdipe')).toEqual({ kind: 'words', words: ['oedipe'], birthDate: null });
  });
  it('a date of birth, alone or with names', () => {
    expect(parseQuery('12/03/1980')).toEqual({ kind: 'words', words: [], birthDate: '1980-03-12' });
    expect(parseQuery('martin 1/3/1980')).toEqual({ kind: 'words', words: ['martin'], birthDate: '1980-03-01' });
  });
  it('nothing while a date is half typed, or impossible', () => {
    expect(parseQuery('12/03/19')).toEqual({ kind: 'none' });
    expect(parseQuery('12/')).toEqual({ kind: 'none' });
    expect(parseQuery('31/02/1980')).toEqual({ kind: 'none' });
    expect(parseQuery('   ')).toEqual({ kind: 'none' });
  });
  it('eight digits that make a date are a date of birth; otherwise the start of a NIR', () => {
    expect(parseQuery('15071985')).toEqual({ kind: 'words', words: [], birthDate: '1985-07-15' });
    expect(parseQuery('martin 15071985')).toEqual({ kind: 'words', words: ['martin'], birthDate: '1985-07-15' });
    expect(parseQuery('28003751')).toEqual({ kind: 'nir', prefix: '28003751', birthDate: null });
    expect(parseQuery('150719851')).toEqual({ kind: 'nir', prefix: '150719851', birthDate: null });
    expect(parseQuery('15071985 16071985')).toEqual({ kind: 'none' });
  });
  it('transliterates what NFD does not decompose', () => {
    expect(parseQuery('Łukasiewicz STRAẞE løvland')).toEqual({ kind: 'words', words: ['lukasiewicz', 'strasse', 'lovland'], birthDate: null });
  });
  it('digits are the start of a NIR, spaces and Corsica included', () => {
    expect(parseQuery('2 80 03')).toEqual({ kind: 'nir', prefix: '28003', birthDate: null });
    expect(parseQuery('2 55 08 2a 004')).toEqual({ kind: 'nir', prefix: '255082A004', birthDate: null });
  });
});

describe('search keys of a record', () => {
  it('folds every name word, ranks the kinds of word, and writes multi-word names as one word too', () => {
    const keys = searchKeysOf({ birthName: 'Le Goff', usedName: 'Lefèvre-Dupont', firstNames: 'Jean-Pierre Hélène', birthDate: '1980-03-12' });
    expect(keys.tokens).toEqual([
      { token: 'lefevredupont', rank: 0 },
      { token: 'legoff', rank: 1 },
      { token: 'le', rank: 2 },
      { token: 'goff', rank: 2 },
      { token: 'lefevre', rank: 2 },
      { token: 'dupont', rank: 2 },
      { token: 'jean', rank: 3 },
      { token: 'pierre', rank: 3 },
      { token: 'jeanpierre', rank: 3 },
      { token: 'helene', rank: 3 },
    ]);
    expect(keys.sortKey).toBe('lefevre dupont jean pierre helene le goff lefevredupont legoff jeanpierre');
    expect(keys.identityKey).toBe('le goff|jean pierre helene|1980-03-12');
  });
  it('ranks the name shown first, then the birth name behind a used name, then first names', () => {
    const ranks = (p: { birthName: string; usedName: string; firstNames: string }) =>
      Object.fromEntries(searchKeysOf({ ...p, birthDate: '1980-01-01' }).tokens.map((t) => [t.token, t.rank]));
    expect(ranks({ birthName: 'Martin', usedName: '', firstNames: 'Paul' })).toEqual({ martin: 0, paul: 3 });
    expect(ranks({ birthName: 'Martin', usedName: 'Arnaud', firstNames: 'Zoé' })).toEqual({ arnaud: 0, martin: 1, zoe: 3 });
    expect(ranks({ birthName: 'Saint-Martin', usedName: 'Brunet', firstNames: 'Agnès' })).toEqual({ brunet: 0, saintmartin: 1, saint: 2, martin: 2, agnes: 3 });
    // A first name that is also the name keeps the better rank.
    expect(ranks({ birthName: 'Martin', usedName: 'MARTIN', firstNames: 'Martin Louis' })).toEqual({ martin: 0, louis: 3 });
    // Letters NFD does not decompose are transliterated, at index time as at query time.
    expect(ranks({ birthName: 'Łukasiewicz', usedName: 'Straße', firstNames: 'Åse-Løvland' })).toEqual({
      strasse: 0, lukasiewicz: 1, ase: 3, lovland: 3, aselovland: 3,
    });
  });
  it('the same person typed twice has the same identity key', () => {
    const a = searchKeysOf({ birthName: 'LEFEVRE', usedName: '', firstNames: 'helene', birthDate: '1980-03-14' });
    const b = searchKeysOf({ birthName: 'Lefèvre', usedName: 'Martin', firstNames: 'Hélène', birthDate: '1980-03-14' });
    expect(a.identityKey).toBe(b.identityKey);
  });
});
