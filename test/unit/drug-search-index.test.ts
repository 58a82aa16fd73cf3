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
const labels = (q: string) => index.search(q).groups.map((g) => g.dciLabel);
const names = (q: string) => index.search(q).groups.flatMap((g) => g.records.map((r) => r.record.name));

describe('drug search index', () => {
  it('matches every word by prefix, accents and case aside', () => {
    expect(labels('amox 500')).toEqual(['amoxicilline 500 mg, gélule']);
    expect(labels('PARACETAMOL')).toEqual(['paracétamol 1 g, comprimé']);
    expect(labels('paracétamol 1')).toEqual(['paracétamol 1 g, comprimé']);
    expect(labels('zzz')).toEqual([]);
    expect(labels('  ')).toEqual([]);
  });

  it('groups brands under their DCI label, marketed brands first', () => {
    const [group] = index.search('amoxicilline 500').groups;
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
    expect(index.search('3400933208639').groups[0]?.records[0]).toMatchObject({ record: { cis: '67707794' }, matchedCode: '3400933208639' });
    expect(index.search('3320863').groups[0]?.records[0]).toMatchObject({ record: { cis: '67707794' }, matchedCode: '3320863' });
    expect(index.search('34009').groups[0]?.records[0]?.matchedCode).toBe('3400933208639');
  });

  it('ranks a match on the brand or the DCI before a match inside the name ("am" is not "ampoule")', () => {
    const found = labels('am');
    expect(found.slice(0, 4)).toEqual(expect.arrayContaining(['amoxicilline 500 mg, gélule', 'amlodipine 5 mg, gélule']));
    expect(found.indexOf('fentanyl 100 µg, solution injectable')).toBeGreaterThan(found.indexOf('amlodipine 5 mg, gélule'));
    expect(labels('ampoule')).toEqual(['fentanyl 50 µg, solution injectable', 'fentanyl 100 µg, solution injectable']);
  });

  it('limits groups and brands per group, and counts every matching group', () => {
    const result = index.search('a', { limit: 2, perGroup: 1 });
    expect(result.groups).toHaveLength(2);
    expect(result.groups.every((g) => g.records.length === 1)).toBe(true);
    expect(result.totalGroups).toBe(index.search('a', { limit: 50 }).groups.length);
    expect(result.totalGroups).toBeGreaterThan(2);
  });

  it('pages through the groups in one order: a later page continues the first', () => {
    const all = index.search('a', { limit: 50 }).groups.map((g) => g.key);
    const paged = [0, 3, 6, 9].flatMap((offset) => index.search('a', { offset, limit: 3 }).groups.map((g) => g.key));
    expect(paged).toEqual(all);
    expect(new Set(all).size).toBe(all.length);
    expect(index.search('a', { offset: all.length }).groups).toEqual([]);
  });

  it('lists every matching specialty of one group when asked by its key', () => {
    const [group] = index.search('amoxicilline 500', { perGroup: 1 }).groups;
    expect(group?.records).toHaveLength(1);
    const whole = index.search('amoxicilline 500', { group: group!.key });
    expect(whole.groups).toHaveLength(1);
    expect(whole.groups[0]?.records.map((r) => r.record.cis)).toHaveLength(group!.total);
    expect(index.search('zzz', { group: group!.key }).groups).toEqual([]);
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

describe('numbers, strengths and codes in a query', () => {
  const eliquis5 = record('ELIQUIS 5 mg, comprimé pelliculé', 'apixaban 5 mg, comprimé pelliculé', ['apixaban'], { cis: '61902218' });
  const eliquis25 = record('ELIQUIS 2,5 mg, comprimé pelliculé', 'apixaban 2,5 mg, comprimé pelliculé', ['apixaban'], { cis: '69340279' });
  const cream = record('FLUOCARIL BI-FLUORE 250 mg, pâte dentifrice', 'fluorure de sodium 250 mg, pâte dentifrice', ['fluorure de sodium'], {
    cis: '65191044',
    codes: ['3400950029897', '5002989'],
  });
  const paracetamol500 = record('PARACÉTAMOL ZEN 500 mg, comprimé', 'paracétamol 500 mg, comprimé', ['paracétamol'], { cis: '60000500' });
  const interferon = record('AVONEX 30 microgrammes/0,5 ml, solution injectable', 'interféron bêta-1a 30 µg/0,5 ml, solution injectable', ['interféron bêta-1a'], { cis: '62000001' });
  const oneGram = record('PARACÉTAMOL ZEN 1 g, comprimé', 'paracétamol 1 g, comprimé', ['paracétamol'], { cis: '60001000' });
  const thirtyGrams = record('VASELINE 30 g, pommade', 'vaseline 30 g, pommade', ['vaseline'], { cis: '63000030' });
  const syrup = record('AMOXI ZEN 500 mg/5 ml, poudre pour suspension buvable', 'amoxicilline 500 mg/5 ml, poudre pour suspension buvable', ['amoxicilline'], { cis: '64000505' });
  const vitaminD = record('UVEDOSE 100 000 UI, solution buvable en ampoule', 'colécalciférol 100 000 UI, solution buvable', ['colécalciférol'], { cis: '65000100' });
  const gel = record('DICLO ZEN 2,4 %, gel', 'diclofénac 2,4 %, gel', ['diclofénac'], { cis: '66000024' });
  const packed = record('GLUCOSE ZEN 5 %, solution pour perfusion', 'glucose 5 g, solution pour perfusion', ['glucose'], { cis: '67000005', codes: ['3400935583758', '3558375'] });
  const numbers = DrugSearchIndex.build([eliquis5, eliquis25, cream, paracetamol500, interferon, oneGram, thirtyGrams, syrup, vitaminD, gel, packed]);
  const found = (q: string) => numbers.search(q, { limit: 50 }).groups.flatMap((g) => g.records.map((r) => r.record.cis));

  it('« 500 » is a strength: pack codes match only from 5 digits up', () => {
    expect(found('500')).not.toContain(cream.cis);
    expect(found('500')).toEqual(expect.arrayContaining([paracetamol500.cis, syrup.cis]));
    expect(found('50029')).toEqual([cream.cis]);
    expect(numbers.search('5002989').groups[0]?.records[0]?.matchedCode).toBe('5002989');
  });

  it('« 1 g » is a strength with its unit: not « bêta-1a », not « 30 g »', () => {
    expect(found('1 g')).toEqual([oneGram.cis]);
    expect(found('1g')).toEqual([oneGram.cis]);
    expect(found('interferon beta 1a')).toEqual([interferon.cis]);
  });

  it('a number matches a whole number, decimal part included: « eliquis 5 » is 5 mg, not 2,5 mg', () => {
    expect(found('eliquis 5')[0]).toBe(eliquis5.cis);
    expect(found('eliquis 5')).not.toContain(eliquis25.cis);
    expect(found('eliquis 2,5')).toEqual([eliquis25.cis]);
    expect(found('eliquis 2.5 mg')).toEqual([eliquis25.cis]);
    expect(found('eliquis 5 mg')).toEqual([eliquis5.cis]);
    expect(found('eliquis')).toEqual(expect.arrayContaining([eliquis5.cis, eliquis25.cis]));
  });

  it('the number being typed also finds longer numbers, after the exact ones', () => {
    expect(found('amoxi 50')).toEqual([syrup.cis]);
    expect(found('paracetamol 50')).toEqual([paracetamol500.cis]);
    expect(found('paracetamol 500 m')).toEqual([paracetamol500.cis]);
  });

  it('« µg » is not « g »', () => {
    expect(found('30 µg')).toEqual([interferon.cis]);
    expect(found('30 microgrammes')).toEqual([interferon.cis]);
    expect(found('30 g')).toEqual([thirtyGrams.cis]);
    expect(found('30 mcg')).toEqual([interferon.cis]);
  });

  it('strengths as labels write them: « 500 mg/5 ml », « 2,4 % », « 1 000 UI »', () => {
    expect(found('amoxi 5 ml')).toEqual([syrup.cis]);
    expect(found('amoxi 500 mg/5 ml')).toEqual([syrup.cis]);
    expect(found('2,4 %')).toEqual([gel.cis]);
    expect(found('diclo 2,4')).toEqual([gel.cis]);
    expect(found('uvedose 100000')).toEqual([vitaminD.cis]);
    expect(found('100 000 ui')).toEqual([vitaminD.cis]);
  });

  it('a CIP13 typed in groups is one code', () => {
    expect(found('34009 3558 3')).toEqual([packed.cis]);
    expect(found('3400 9355 8375 8')).toEqual([packed.cis]);
    expect(numbers.search('34009 3558 3').groups[0]?.records[0]?.matchedCode).toBe('3400935583758');
  });
});
