import { describe, expect, it } from 'vitest';
import { quantityText, renderLine } from '../../shared/domain/posology-render';
import { lineInputSchema, type FrozenDrug } from '../../shared/domain/prescription';

const drug = { dciLabel: 'amoxicilline 500 mg, gélule', brand: 'CLAMOXYL 500 mg, gélule' } as FrozenDrug;
const line = (extra: Record<string, unknown>) =>
  lineInputSchema.parse({ kind: 'drug', key: '00000000-0000-4000-8000-000000000001', cis: '69999001', posology: { dose: 2, unit: 'gélule', frequency: { kind: 'perDay', times: 2 }, moments: ['matin', 'soir'] }, ...extra });

describe('line rendering', () => {
  it('writes the issue’s example', () => {
    expect(renderLine(line({ duration: { value: 7, unit: 'days' } }), drug)).toBe('amoxicilline 500 mg, gélule — 2 gélules matin et soir pendant 7 jours');
  });
  it('writes fractions, « si besoin », every N hours, packs, renewals, non-substitution, the brand', () => {
    expect(quantityText(0.5, 'comprimé')).toBe('½ comprimé');
    expect(quantityText(1.5, 'comprimé')).toBe('1 comprimé ½');
    expect(quantityText(2.5, 'ml')).toBe('2,5 ml');
    expect(
      renderLine(line({ showBrand: true, posology: { dose: 1, unit: 'gélule', frequency: { kind: 'everyHours', hours: 6 }, asNeeded: true, maxPer24h: 4 }, packs: 2, renewals: 1, nonSubstitution: 'MTE' }), drug),
    ).toBe('amoxicilline 500 mg, gélule (CLAMOXYL 500 mg, gélule) — 1 gélule toutes les 6 heures si besoin, au maximum 4 par 24 heures, 2 boîtes, à renouveler 1 fois. Non substituable (MTE)');
    expect(renderLine(line({ posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 1 }, moments: ['coucher'] }, duration: { value: 1, unit: 'months' } }), drug)).toBe(
      'amoxicilline 500 mg, gélule — 1 comprimé au coucher pendant 1 mois',
    );
  });
});
