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
  it('digits are the start of a NIR, spaces and Corsica included', () => {
    expect(parseQuery('2 80 03')).toEqual({ kind: 'nir', prefix: '28003', birthDate: null });
    expect(parseQuery('2 55 08 2a 004')).toEqual({ kind: 'nir', prefix: '255082A004', birthDate: null });
  });
});

describe('search keys of a record', () => {
  it('normalises every name word, and multi-word names as one word too', () => {
    const keys = searchKeysOf({ birthName: 'Le Goff', usedName: 'Lefèvre-Dupont', firstNames: 'Jean-Pierre Hélène', birthDate: '1980-03-12' });
    expect(keys.tokens).toEqual([
      { token: 'le', rank: 0 },
      { token: 'goff', rank: 0 },
      { token: 'legoff', rank: 0 },
      { token: 'lefevre', rank: 0 },
      { token: 'dupont', rank: 0 },
      { token: 'lefevredupont', rank: 0 },
      { token: 'jean', rank: 1 },
      { token: 'pierre', rank: 1 },
      { token: 'jeanpierre', rank: 1 },
      { token: 'helene', rank: 1 },
    ]);
    expect(keys.sortKey).toBe('lefevre dupont jean pierre helene le goff legoff lefevredupont jeanpierre');
    expect(keys.identityKey).toBe('le goff|jean pierre helene|1980-03-12');
  });
  it('the same person typed twice has the same identity key', () => {
    const a = searchKeysOf({ birthName: 'LEFEVRE', usedName: '', firstNames: 'helene', birthDate: '1980-03-14' });
    const b = searchKeysOf({ birthName: 'Lefèvre', usedName: 'Martin', firstNames: 'Hélène', birthDate: '1980-03-14' });
    expect(a.identityKey).toBe(b.identityKey);
  });
});
