import { describe, expect, it } from 'vitest';
import { decodeWindows1252 } from '../../electron/text/decode';
import { decodeText, detectSeparator, readCsv } from '../../electron/patients/csv';
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

describe('UTF-16 ("Texte Unicode" of Excel)', () => {
  const table = 'Nom\tPrénom(s)\tSexe\tDate de naissance\tVille\r\nLefèvre\tHélène\tF\t14/03/1980\tSaint-Étienne\r\nŒuvray\tChloé\tF\t31/01/1991\t\r\n';
  const utf16le = (text: string) => Buffer.from(`\uFEFF${text}`, 'utf16le');
  const utf16be = (text: string) => {
    const le = utf16le(text);
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) {
      be[i] = le[i + 1] ?? 0;
      be[i + 1] = le[i] ?? 0;
    }
    return be;
  };

  it('reads a UTF-16LE file with a BOM, tab-separated, as Excel writes it', () => {
    const bytes = utf16le(table);
    expect(bytes[0]).toBe(0xff);
    expect(bytes.includes(0)).toBe(true);
    const csv = readCsv(bytes);
    expect(csv.encoding).toBe('utf-16le');
    expect(csv.separator).toBe('\t');
    expect(csv.header).toEqual(['Nom', 'Prénom(s)', 'Sexe', 'Date de naissance', 'Ville']);
    expect(csv.rows).toEqual([
      { line: 2, cells: ['Lefèvre', 'Hélène', 'F', '14/03/1980', 'Saint-Étienne'] },
      { line: 3, cells: ['Œuvray', 'Chloé', 'F', '31/01/1991', ''] },
    ]);
  });

  it('reads UTF-16BE when its BOM says so', () => {
    const csv = readCsv(utf16be(table));
    expect(csv.encoding).toBe('utf-16be');
    expect(csv.header[1]).toBe('Prénom(s)');
    expect(csv.rows[1]?.cells[0]).toBe('Œuvray');
  });

  it('still refuses binary, and a UTF-16 file cut in the middle of a character', () => {
    expect(() => readCsv(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toThrow(/données binaires/);
    expect(() => readCsv(Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x41, 0x00]))).toThrow(/données binaires/);
    expect(() => readCsv(utf16le(table).subarray(0, 11))).toThrow(/UTF-16 mais sa longueur est impaire/);
    expect(decodeText(utf16le('Hélène'))).toEqual({ text: 'Hélène', encoding: 'utf-16le' });
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
