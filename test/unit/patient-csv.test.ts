import { describe, expect, it } from 'vitest';
import { decodeWindows1252 } from '../../electron/text/decode';
import { decodeText, detectSeparator } from '../../electron/patients/csv';
import { mapColumns, sexOf } from '../../electron/patients/import-columns';

describe('CSV encodings and separators', () => {
  it('decodes the Windows-1252 letters that Latin-1 gets wrong', () => {
    expect(decodeWindows1252(Uint8Array.from([0x8c, 0x75, 0x76, 0x72, 0x61, 0x79, 0x20, 0x9c, 0x92, 0x80, 0xe9]))).toBe('Œuvray œ’€é');
  });
  it('takes valid UTF-8 as UTF-8, anything else as Windows-1252', () => {
    expect(decodeText(new TextEncoder().encode('\uFEFFHélène'))).toEqual({ text: 'Hélène', encoding: 'utf-8' });
    expect(decodeText(Uint8Array.from([0x48, 0xe9, 0x6c, 0xe8, 0x6e, 0x65]))).toEqual({ text: 'Hélène', encoding: 'windows-1252' });
  });
  it('picks the separator of the header row, quotes aside', () => {
    expect(detectSeparator('nom;prénom;sexe\nA,B;C;D')).toBe(';');
    expect(detectSeparator('"Nom; complet",prénom,sexe\n')).toBe(',');
    expect(detectSeparator('nom\tprénom\tsexe')).toBe('\t');
  });
});

describe('CSV columns', () => {
  it('maps headers accents, case and punctuation aside, and lists the others', () => {
    const map = mapColumns(['NOM', 'Prénom(s)', 'Sexe', 'Né(e) le', 'N° Sécu', 'E-mail', 'Code postal', 'Remarque', 'Nom']);
    expect(map.columns).toEqual({ birthName: 0, firstNames: 1, sex: 2, birthDate: 3, nir: 4, email: 5, postalCode: 6 });
    expect(map.ignored).toEqual(['Remarque', 'Nom']);
    expect(map.missing).toEqual([]);
    expect(mapColumns(['nom', 'ville']).missing).toEqual(['firstNames', 'sex', 'birthDate']);
  });
  it('reads the sex as other software writes it', () => {
    expect(['F', 'femme', 'Féminin', '2'].map(sexOf)).toEqual(['F', 'F', 'F', 'F']);
    expect(['M', 'H', 'Homme', 'masculin', '1'].map(sexOf)).toEqual(['M', 'M', 'M', 'M', 'M']);
    expect(sexOf('Indéterminé')).toBe('I');
    expect(sexOf('X')).toBeUndefined();
  });
});
