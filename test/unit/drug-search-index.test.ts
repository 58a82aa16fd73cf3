import { describe, expect, it } from 'vitest';
import { DrugSearchIndex, wordsOf, type IndexRecord } from '../../electron/drugs/search-index';
import { PrefixIndex } from '../../electron/drugs/prefix-index';

let nextCis = 60_000_000;
function record(name: string, dciLabel: string, substances: string[], options: { marketed?: boolean; codes?: string[]; cis?: string } = {}): IndexRecord {
  const cis = options.cis ?? String(nextCis++);
  return {
    cis,
    name,
    form: dciLabel.split(', ')[1] ?? '',
    dciLabel,
    substances,
    substanceKey: [...substances].sort().join('+'),
    marketed: options.marketed ?? true,
    flags: 0,
    genericType: null,
    ...wordsOf({ cis, name, dciLabel, substances, packCodes: options.codes ?? [] }),
  };
}

const records = [
  record('CLAMOXYL 500 mg, gélule', 'amoxicilline 500 mg, gélule', ['amoxicilline'], { cis: '67707794', codes: ['3400933208639', '3320863'] }),
  record('AMOXICILLINE BIOGARAN 500 mg, gélule', 'amoxicilline 500 mg, gélule', ['amoxicilline']),
  record('AMOXICILLINE ARROW 500 mg, gélule', 'amoxicilline 500 mg, gélule', ['amoxicilline'], { marketed: false }),
  record('CLAMOXYL 1 g, comprimé dispersible', 'amoxicilline 1 g, comprimé dispersible', ['amoxicilline']),
  record('AUGMENTIN 1 g/125 mg, poudre', 'amoxicilline 1 g + acide clavulanique 125 mg, poudre', ['amoxicilline', 'acide clavulanique']),
  record('AMLOR 5 mg, gélule', 'amlodipine 5 mg, gélule', ['amlodipine']),
  record('AMLODIPINE BIOGARAN 5 mg, gélule', 'amlodipine 5 mg, gélule', ['amlodipine']),
  record('FENTANYL MYLAN 100 microgrammes/2 ml, solution injectable en ampoule', 'fentanyl 100 µg, solution injectable', ['fentanyl']),
  record('FENTANYL RENAUDIN 50 microgrammes, solution injectable en ampoule', 'fentanyl 50 µg, solution injectable', ['fentanyl']),
  record('PARACÉTAMOL BIOGARAN 1 g, comprimé', 'paracétamol 1 g, comprimé', ['paracétamol']),
  record('DOLIPRANE 1000 mg, comprimé', 'paracétamol 1 g, comprimé', ['paracétamol']),
  record('OLD DRUG 10 mg, comprimé', 'vieillerine 10 mg, comprimé', ['vieillerine'], { marketed: false }),
];
const index = DrugSearchIndex.build(records);
const labels = (q: string) => index.search(q).map((g) => g.dciLabel);
const names = (q: string) => index.search(q).flatMap((g) => g.records.map((r) => r.record.name));

describe('drug search index', () => {
  it('matches every word by prefix, accents and case aside', () => {
    expect(labels('amox 500')).toEqual(['amoxicilline 500 mg, gélule']);
    expect(labels('PARACETAMOL')).toEqual(['paracétamol 1 g, comprimé']);
    expect(labels('paracétamol 1')).toEqual(['paracétamol 1 g, comprimé']);
    expect(labels('zzz')).toEqual([]);
    expect(labels('  ')).toEqual([]);
  });

  it('groups brands under their DCI label, marketed brands first', () => {
    const [group] = index.search('amoxicilline 500');
    expect(group?.dciLabel).toBe('amoxicilline 500 mg, gélule');
    expect(group?.records.map((r) => r.record.name)).toEqual(['AMOXICILLINE BIOGARAN 500 mg, gélule', 'CLAMOXYL 500 mg, gélule', 'AMOXICILLINE ARROW 500 mg, gélule']);
    expect(group?.total).toBe(3);
  });

  it('puts groups with a marketed brand before groups with none', () => {
    expect(labels('10 mg').at(-1)).toBe('vieillerine 10 mg, comprimé');
  });

  it('finds a brand, a DCI, a CIS, a CIP13 and a CIP7, and says which pack code matched', () => {
    expect(names('doli')).toEqual(['DOLIPRANE 1000 mg, comprimé']);
    expect(labels('clamox')[0]).toBe('amoxicilline 500 mg, gélule');
    expect(names('67707794')).toEqual(['CLAMOXYL 500 mg, gélule']);
    expect(index.search('3400933208639')[0]?.records[0]).toMatchObject({ record: { cis: '67707794' }, matchedCode: '3400933208639' });
    expect(index.search('3320863')[0]?.records[0]).toMatchObject({ record: { cis: '67707794' }, matchedCode: '3320863' });
    expect(index.search('34009')[0]?.records[0]?.matchedCode).toBe('3400933208639');
  });

  it('ranks a match on the brand or the DCI before a match inside the name ("am" is not "ampoule")', () => {
    const found = labels('am');
    expect(found.slice(0, 4)).toEqual(expect.arrayContaining(['amoxicilline 500 mg, gélule', 'amlodipine 5 mg, gélule']));
    expect(found.indexOf('fentanyl 100 µg, solution injectable')).toBeGreaterThan(found.indexOf('amlodipine 5 mg, gélule'));
    expect(labels('ampoule')).toEqual(['fentanyl 50 µg, solution injectable', 'fentanyl 100 µg, solution injectable']);
  });

  it('limits groups and brands per group', () => {
    const result = index.search('a', { groups: 2, perGroup: 1 });
    expect(result).toHaveLength(2);
    expect(result.every((g) => g.records.length === 1)).toBe(true);
  });
});

describe('prefix index', () => {
  it('merges wide prefixes and survives a store/load round trip', () => {
    const words = Array.from({ length: 200 }, (_, doc) => [`w${doc.toString().padStart(3, '0')}`, doc % 2 === 0 ? 'even' : 'odd']);
    const built = PrefixIndex.build(words);
    const loaded = PrefixIndex.fromStored(built.toStored());
    const docs = (p: PrefixIndex, prefix: string) => {
      const out: number[] = [];
      p.lookup(prefix).forEach((d) => out.push(d) > 0);
      return out;
    };
    for (const p of [built, loaded]) {
      expect(docs(p, 'w')).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(docs(p, 'w01')).toEqual(Array.from({ length: 10 }, (_, i) => 10 + i));
      expect(docs(p, 'ev').length).toBe(100);
      expect(docs(p, 'x')).toEqual([]);
    }
  });
});
