import { describe, expect, it } from 'vitest';
import { duplicateChecks, moietyKey } from '../../shared/domain/duplicate-checks';
import { drugLineInputSchema, freeLineInputSchema, type CheckLine, type FrozenDrug } from '../../shared/domain/prescription';

let cisCounter = 61000000;
function drug(dciLabel: string, substances: readonly (string | [string, 'SA' | 'FT'])[]): FrozenDrug {
  return {
    cis: String(++cisCounter),
    cip13: null,
    packLabel: null,
    dciLabel,
    brand: dciLabel.toUpperCase(),
    form: 'comprimé',
    routes: ['orale'],
    flags: { narcotic: false, listI: true, listII: false, hospitalOnly: false, hospitalInitial: false, specialistOnly: false, securePrescription: false, notMarketed: false, enhancedMonitoring: false },
    substances: substances.map((s, i) => {
      const [name, nature] = typeof s === 'string' ? [s, 'SA' as const] : s;
      return { code: String(2000 + i), name, dci: name.toLowerCase(), strength: '', strengthReference: 'un comprimé', nature };
    }),
    conditions: [],
    prescriptionLimitDays: null,
    referential: { releaseDate: null, importedAt: '2026-01-12T09:00:00Z', demo: false },
  };
}

let keyCounter = 0;
const nextKey = () => `7a9e4c2d-1b3f-4e5a-8c6d-${String(++keyCounter).padStart(12, '0')}`;
const drugLine = (d: FrozenDrug): CheckLine => ({
  line: drugLineInputSchema.parse({
    kind: 'drug',
    cis: d.cis,
    key: nextKey(),
    posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 3 } },
    duration: { value: 6, unit: 'days' },
  }),
  drug: d,
});
const freeLine = (text: string): CheckLine => ({ line: freeLineInputSchema.parse({ kind: 'free', key: nextKey(), text }), drug: null });

const amoxTrihydrate = drug('amoxicilline 500 mg, gélule', [['AMOXICILLINE TRIHYDRATÉE', 'SA']]);
const amoxSodium = drug('amoxicilline 1 g, poudre pour solution injectable', [['AMOXICILLINE SODIQUE', 'SA'], ['AMOXICILLINE', 'FT']]);
const augmentin = drug('amoxicilline 500 mg + acide clavulanique 62,5 mg, comprimé', [
  ['AMOXICILLINE ANHYDRE', 'FT'],
  ['AMOXICILLINE TRIHYDRATÉE', 'SA'],
  ['CLAVULANATE DE POTASSIUM', 'SA'],
  ['ACIDE CLAVULANIQUE', 'FT'],
]);
const paracetamol = drug('paracétamol 1 g, comprimé', ['PARACÉTAMOL']);

describe('moiety keys', () => {
  it('strips salts and hydrates, and keys a carboxylate salt as its acid', () => {
    expect(moietyKey('AMOXICILLINE TRIHYDRATÉE')).toBe('amoxicilline');
    expect(moietyKey('AMOXICILLINE SODIQUE')).toBe(moietyKey('AMOXICILLINE'));
    expect(moietyKey('CLAVULANATE DE POTASSIUM')).toBe(moietyKey('ACIDE CLAVULANIQUE'));
    expect(moietyKey('SODIUM (VALPROATE DE)')).toBe(moietyKey('VALPROÏQUE (ACIDE)'));
    expect(moietyKey('MYCOPHÉNOLATE SODIQUE')).toBe(moietyKey('ACIDE MYCOPHÉNOLIQUE'));
    expect(moietyKey('ALENDRONATE MONOSODIQUE TRIHYDRATÉ')).toBe(moietyKey('ALENDRONIQUE (ACIDE)'));
    expect(moietyKey('DL-LYSINE (ACÉTYLSALICYLATE DE)')).toBe(moietyKey('ACIDE ACÉTYLSALICYLIQUE'));
    expect(moietyKey('CLORAZÉPATE DIPOTASSIQUE')).toBe(moietyKey('clorazépate'));
  });

  it('keeps apart what only shares an anion, or an ester from its acid', () => {
    expect(moietyKey('GLUCONATE DE CALCIUM')).not.toBe(moietyKey('GLUCONATE DE POTASSIUM'));
    expect(moietyKey('MYCOPHÉNOLATE MOFÉTIL')).not.toBe(moietyKey('ACIDE MYCOPHÉNOLIQUE'));
    expect(moietyKey('TOPIRAMATE')).toBe(moietyKey('topiramate'));
    expect(moietyKey('TOPIRAMATE')).not.toBe(moietyKey('LAMOTRIGINE'));
  });
});

describe('duplicate substances', () => {
  it('finds one substance under two salts on lines 1 and 3', () => {
    const lines = [drugLine(amoxTrihydrate), drugLine(paracetamol), drugLine(amoxSodium)];
    const findings = duplicateChecks(lines);
    expect(findings).toHaveLength(1);
    const keys = [lines[0]!.line.key, lines[2]!.line.key].sort().join(',');
    expect(findings[0]).toEqual({
      id: `duplicate:amoxicilline:${keys}`,
      kind: 'duplicate',
      level: 'warning',
      blocking: false,
      overridable: false,
      message: 'amoxicilline figure sur deux lignes (lignes 1 et 3) : vérifiez qu’il ne s’agit pas d’un doublon, ou supprimez l’une des lignes.',
      lines: [0, 2],
      source: 'Vérifications Ordo (doublons de substance)',
    });
  });

  it('finds amoxicilline in a combination and alone, and nothing else', () => {
    const findings = duplicateChecks([drugLine(augmentin), drugLine(amoxTrihydrate)]);
    expect(findings.map((f) => f.message.split(' figure')[0])).toEqual(['amoxicilline']);
  });

  it('names the salt and its acid once, by the acid, when a combination is written twice', () => {
    const findings = duplicateChecks([drugLine(augmentin), drugLine(augmentin)]);
    expect(findings.map((f) => f.message.split(' figure')[0])).toEqual(['amoxicilline', 'acide clavulanique']);
  });

  it('counts three lines in words and lists them', () => {
    const [f] = duplicateChecks([drugLine(paracetamol), drugLine(paracetamol), drugLine(paracetamol)]);
    expect(f!.message).toContain('paracétamol figure sur trois lignes (lignes 1, 2 et 3)');
    expect(f!.lines).toEqual([0, 1, 2]);
  });

  it('says nothing for one line holding the salt and the base, for different drugs or for free lines', () => {
    expect(duplicateChecks([drugLine(augmentin)])).toEqual([]);
    expect(duplicateChecks([drugLine(amoxTrihydrate), drugLine(paracetamol)])).toEqual([]);
    expect(duplicateChecks([freeLine('Bas de contention'), freeLine('Bas de contention')])).toEqual([]);
    expect(duplicateChecks([])).toEqual([]);
  });

  it('keeps the id when the lines are reordered', () => {
    const a = drugLine(amoxTrihydrate);
    const b = drugLine(amoxSodium);
    expect(duplicateChecks([a, b])[0]!.id).toBe(duplicateChecks([b, freeLine('x'), a])[0]!.id);
    expect(duplicateChecks([b, freeLine('x'), a])[0]!.lines).toEqual([0, 2]);
  });
});
