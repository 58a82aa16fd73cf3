import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../electron/patients/csv';
import { OrdoError } from '../../shared/errors';
import { linesAt, scanUtf8, singleByteEncodings, type SingleByteEncoding } from '../../electron/text/decode';
import { bestReading, findDoubleEncoding, judgeReading } from '../../electron/text/french-evidence';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('UTF-8 scan', () => {
  it('agrees with the strict decoder on any bytes', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        let valid = true;
        try {
          strict.decode(b);
        } catch {
          valid = false;
        }
        expect(scanUtf8(b).strayBytes === 0).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  it('counts one sequence per non-ASCII character of valid UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const scan = scanUtf8(Buffer.from(text, 'utf8'));
        expect(scan).toEqual({ sequences: Array.from(text).filter((c) => c.codePointAt(0)! >= 0x80).length, strayBytes: 0, strays: [] });
      }),
    );
  });

  it('groups consecutive stray bytes and tells a character cut short', () => {
    expect(scanUtf8(bytes('B', [0xe9, 0xe8], 'n', [0xe2, 0x80], 'x', [0xc3, 0xa9])).strays).toEqual([
      { offset: 1, length: 2, truncated: false },
      { offset: 4, length: 2, truncated: true },
    ]);
  });
});

describe('line numbers', () => {
  it('counts LF, CRLF and a lone CR as one line break each, as the CSV reader does', () => {
    const text = 'a\nb\r\nc\rd';
    expect(linesAt((i) => text.charCodeAt(i), [0, 2, 5, 7, 8])).toEqual([1, 2, 3, 4, 4]);
  });
});

describe('French evidence of a one-byte reading', () => {
  it('rules out a symbol inside a word, three non-ASCII characters in a row and undefined bytes', () => {
    // « S½ur »: ISO-8859-15 œ read as Windows-1252.
    expect(judgeReading(bytes('S', [0xbd], 'ur'), 'windows-1252').plausible).toBe(false);
    expect(judgeReading(bytes('S', [0xbd], 'ur'), 'iso-8859-15')).toMatchObject({ plausible: true, score: 1 });
    // « HÃ©lÃ¨ne »: UTF-8 read as Windows-1252.
    // Ã is not a French letter (first doubt), © inside the word rules the reading out.
    expect(judgeReading(Buffer.from('Hélène', 'utf8'), 'windows-1252')).toMatchObject({ plausible: false, firstDoubt: 1 });
    // « â€™ »: three in a row.
    expect(judgeReading(Buffer.from('l’eau', 'utf8'), 'windows-1252')).toMatchObject({ plausible: false, firstDoubt: 1 });
    // MacRoman è (0x8F) is not defined in Windows-1252.
    expect(judgeReading(bytes('Hel', [0x8f], 'ne'), 'windows-1252')).toMatchObject({ plausible: false, firstDoubt: 3 });
  });

  it('counts French letters and the apostrophe for a reading, other letters and capitals after small letters against it', () => {
    const helene = bytes('H', [0xe9], 'l', [0xe8], 'ne d', [0x92], 'Arc');
    expect(judgeReading(helene, 'windows-1252')).toMatchObject({ plausible: true, score: 3 });
    // « HÈlËne díArc » in MacRoman: È and Ë are French but Ë follows a small letter; í is not French and a capital follows it.
    expect(judgeReading(helene, 'macintosh')).toMatchObject({ plausible: true, score: 2 - 2 - 1 - 2 });
    expect(bestReading(singleByteEncodings.map((e) => judgeReading(helene, e)))?.encoding).toBe('windows-1252');
  });

  it('takes Windows-1252 without evidence against it, another code page only with evidence for it', () => {
    const euro = bytes('10 ', [0x80]);
    expect(bestReading([judgeReading(euro, 'windows-1252')])?.encoding).toBe('windows-1252');
    // « Muñoz » alone: an accented letter that is not French, no evidence for any reading.
    expect(bestReading(singleByteEncodings.map((e) => judgeReading(bytes('Mu', [0xf1], 'oz'), e)))).toBeNull();
  });

  /**
   * Files of French names as a GP's software exports them: a birth name in capitals or not, first
   * names and a city capitalised, a few rows. (One accented capital alone cannot be told apart:
   * MacRoman « CŒ » is Windows-1252 « CÎ », byte for byte; Windows-1252 is then taken.)
   */
  const syllable = fc.constantFrom('le', 'fè', 'vre', 'hé', 'lè', 'ne', 'ma', 'rie', 'noë', 'zo', 'dé', 'fran', 'çois', 'be', 'noî', 't', 'gar', 'ço', 'n', 'jé', 'rô', 'me', 'an', 'dré', 'ma', 'ïté', 'chlo', 'cœ', 'ur', 'ta');
  const word = (kase: fc.Arbitrary<'lower' | 'capital' | 'upper'>) =>
    fc.tuple(fc.array(syllable, { minLength: 1, maxLength: 4 }), kase).map(([s, k]) => {
      const w = s.join('');
      return k === 'lower' ? w : k === 'upper' ? w.toLocaleUpperCase('fr-FR') : w[0]!.toLocaleUpperCase('fr-FR') + w.slice(1);
    });
  const row = fc.tuple(word(fc.constantFrom('capital', 'upper')), word(fc.constant('capital')), word(fc.constant('capital'))).map((r) => r.join(';'));
  const file = fc.array(row, { minLength: 3, maxLength: 8 }).map((rs) => `Nom;Prenoms;Ville\r\n${rs.join('\r\n')}\r\n`);
  const representable = (text: string, encoding: SingleByteEncoding) => iconv.decode(iconv.encode(text, encoding), encoding) === text;

  for (const encoding of ['windows-1252', 'iso-8859-15', 'macintosh', 'cp850'] as const) {
    it(`reads back a file of French names written in ${encoding} as it was written`, () => {
      fc.assert(
        fc.property(file, (text) => {
          fc.pre(representable(text, encoding));
          // A file with one or two accented letters may not tell its code page (docs/patients-import.md:
          // a MacRoman « œ » is byte for byte a Windows-1252 « Ï »): the property is about evidence.
          fc.pre((text.match(/[^\p{ASCII}]/gu) ?? []).length >= 3);
          expect(decodeText(iconv.encode(text, encoding)).text).toBe(text);
        }),
        // A fixed seed (ORDO_FUZZ_SEED to change it), so that a failure is reproduced as it was.
        { numRuns: 1000, seed: Number(process.env.ORDO_FUZZ_SEED ?? 20_261_202) },
      );
    });
  }
});

describe('double encoding', () => {
  it('finds UTF-8 read once as Windows-1252 or MacRoman and saved again', () => {
    expect(findDoubleEncoding('Durand\nLefÃ¨vre HÃ©lÃ¨ne')).toMatchObject({ index: 10, seen: 'Ã¨', meant: 'è', through: 'windows-1252', others: [17, 20] });
    expect(findDoubleEncoding('Jeanne dâ€™Arc')).toMatchObject({ seen: 'â€™', meant: '’' });
    expect(findDoubleEncoding('SÅ“ur')).toMatchObject({ seen: 'Å“', meant: 'œ' });
    expect(findDoubleEncoding('H√©l√®ne')).toMatchObject({ seen: '√©', meant: 'é', through: 'macintosh' });
  });

  it('leaves alone text that only looks unusual', () => {
    for (const text of ['«ÉTÉ»', 'SÃO PAULO', 'Иванов Иван', '王 秀英', 'Noël, Zoé, Benoît, Maïté, cœur, d’Arc', 'créée', '« Les Pins »', 'N° 5 – 3ème']) {
      expect(findDoubleEncoding(text)).toBeNull();
    }
  });
});

describe('any bytes', () => {
  it('are read, or refused with a French IMPORT_FAILED short enough for the job to keep', () => {
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 12 }).map((t) => Buffer.from(t, 'utf8')),
      fc.constantFrom(Buffer.from(';'), Buffer.from('\r\n'), Buffer.from('Hélène', 'latin1'), Buffer.from('Ã©', 'utf8')),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 400 }), (chunks) => {
        try {
          decodeText(Buffer.concat(chunks));
        } catch (error) {
          expect(error).toBeInstanceOf(OrdoError);
          expect((error as OrdoError).code).toBe('IMPORT_FAILED');
          expect((error as OrdoError).message.length).toBeLessThanOrEqual(2000);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
