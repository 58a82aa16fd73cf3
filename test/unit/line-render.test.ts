/**
 * The French rendering of a prescription line (shared/domain/posology-render.ts): digits for any
 * drug, letters for a narcotic (CSP R.5132-29), proved over every narcotic of the BDPM 2019.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../electron/drugs/bdpm-files';
import { describeDci, type CompositionPart } from '../../shared/domain/dci';
import { unitForForm } from '../../shared/domain/dose-units';
import { drugFlagNames } from '../../shared/domain/drugs';
import { quantityText, renderDuration, renderLine, renderPosology } from '../../shared/domain/posology-render';
import { doseUnits, lineInputSchema, posologySchema, type FrozenDrug, type PosologyInput } from '../../shared/domain/prescription';
import { hasSharedData, sharedDataDir } from '../support/paths';

function frozen(dciLabel: string, brand: string, narcotic = false): FrozenDrug {
  const flags = Object.fromEntries(drugFlagNames.map((n) => [n, false])) as FrozenDrug['flags'];
  return {
    cis: '69999001',
    cip13: null,
    packLabel: null,
    dciLabel,
    brand,
    form: 'gélule',
    routes: ['orale'],
    flags: { ...flags, narcotic, securePrescription: narcotic },
    substances: [],
    conditions: narcotic ? ['stupéfiant'] : [],
    prescriptionLimitDays: narcotic ? 28 : null,
    referential: { releaseDate: '2019-11-01', importedAt: '2026-03-15T09:00:00Z', demo: false },
  };
}

const drug = frozen('amoxicilline 500 mg, gélule', 'CLAMOXYL 500 mg, gélule');
const morphine = frozen('morphine 10 mg, gélule', 'SKENAN L.P. 10 mg, microgranules à libération prolongée en gélule', true);
const line = (extra: Record<string, unknown>) =>
  lineInputSchema.parse({ kind: 'drug', key: '00000000-0000-4000-8000-000000000001', cis: '69999001', posology: { dose: 2, unit: 'gélule', frequency: { kind: 'perDay', times: 2 }, moments: ['matin', 'soir'] }, ...extra });
const posology = (p: PosologyInput) => posologySchema.parse(p);

describe('line rendering in digits', () => {
  it('writes the issue’s example', () => {
    expect(renderLine(line({ duration: { value: 7, unit: 'days' } }), drug)).toBe('amoxicilline 500 mg, gélule — 2 gélules matin et soir pendant 7 jours');
  });

  it('writes « si besoin » with its maximum in units, every N hours, packs, renewals, non-substitution, the brand', () => {
    expect(
      renderLine(line({ showBrand: true, posology: { dose: 1, unit: 'gélule', frequency: { kind: 'everyHours', hours: 6 }, asNeeded: true, maxPer24h: 4 }, packs: 2, renewals: 1, nonSubstitution: 'MTE' }), drug),
    ).toBe('amoxicilline 500 mg, gélule (CLAMOXYL 500 mg, gélule) — 1 gélule toutes les 6 heures si besoin, au maximum 4 gélules par 24 heures, 2 boîtes, à renouveler 1 fois. Non substituable (MTE)');
    expect(renderLine(line({ posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 1 }, moments: ['coucher'] }, duration: { value: 1, unit: 'months' } }), drug)).toBe(
      'amoxicilline 500 mg, gélule — 1 comprimé au coucher pendant 1 mois',
    );
    expect(renderLine(line({ posology: { dose: 1, unit: 'sachet', frequency: { kind: 'perDay', times: 3 }, asNeeded: true }, packs: 1, instructions: 'Dans un verre d’eau.' }), drug)).toBe(
      'amoxicilline 500 mg, gélule — 1 sachet 3 fois par jour si besoin, 1 boîte. Dans un verre d’eau.',
    );
  });

  it('writes fractions as a prescription does', () => {
    expect(quantityText(0.5, 'comprimé')).toBe('½ comprimé');
    expect(quantityText(1.5, 'comprimé')).toBe('1 comprimé ½');
    expect(quantityText(2.5, 'gélule')).toBe('2 gélules ½');
    expect(quantityText(0.25, 'comprimé')).toBe('¼ de comprimé');
    expect(quantityText(0.75, 'ampoule')).toBe('¾ d’ampoule');
    expect(quantityText(0.333, 'comprimé')).toBe('⅓ de comprimé');
    expect(quantityText(2.25, 'comprimé')).toBe('2 comprimés ¼');
    expect(quantityText(1.5, 'cuillère-mesure')).toBe('1 cuillère-mesure ½');
    // A measure is a decimal, never a fraction sign.
    expect(quantityText(2.5, 'ml')).toBe('2,5 ml');
    expect(quantityText(0.5, 'ml')).toBe('0,5 ml');
    expect(quantityText(1.2, 'comprimé')).toBe('1,2 comprimé');
  });

  it('writes plurals from 2, the compound noun’s on its first word, and measures invariable', () => {
    expect(quantityText(2, 'cuillère-mesure')).toBe('2 cuillères-mesure');
    expect(quantityText(3, 'goutte')).toBe('3 gouttes');
    expect(quantityText(1, 'goutte')).toBe('1 goutte');
    expect(quantityText(2, 'patch')).toBe('2 patchs');
    expect(quantityText(10, 'UI')).toBe('10 UI');
    expect(quantityText(500, 'mg')).toBe('500 mg');
    expect(quantityText(1000, 'mg')).toBe('1\u202f000 mg');
    for (const u of doseUnits) expect(quantityText(2, u), u).toMatch(/^2 \S/);
  });

  it('writes how often: a day, a week, every N hours', () => {
    const p = (dose: number, frequency: PosologyInput['frequency'], extra: Partial<PosologyInput> = {}) => renderPosology(posology({ dose, unit: 'comprimé', frequency, ...extra }));
    expect(p(1, { kind: 'perDay', times: 1 })).toBe('1 comprimé par jour');
    expect(p(0.5, { kind: 'perDay', times: 1 })).toBe('½ comprimé par jour');
    // Two at once, not two intakes: « 1 fois » says so.
    expect(p(2, { kind: 'perDay', times: 1 })).toBe('2 comprimés 1 fois par jour');
    expect(p(1, { kind: 'perDay', times: 3 })).toBe('1 comprimé 3 fois par jour');
    expect(p(1, { kind: 'perDay', times: 3 }, { moments: ['matin', 'midi', 'soir'] })).toBe('1 comprimé matin, midi et soir');
    expect(p(1, { kind: 'perDay', times: 2 }, { moments: ['matin', 'coucher'] })).toBe('1 comprimé matin et au coucher');
    expect(p(1, { kind: 'perDay', times: 1 }, { moments: ['soir'] })).toBe('1 comprimé le soir');
    // Moments that do not match the intakes are not printed as if they did.
    expect(p(1, { kind: 'perDay', times: 3 }, { moments: ['matin', 'soir'] })).toBe('1 comprimé 3 fois par jour');
    expect(p(1, { kind: 'perWeek', times: 1 })).toBe('1 comprimé 1 fois par semaine');
    expect(p(2, { kind: 'perWeek', times: 2 })).toBe('2 comprimés 2 fois par semaine');
    expect(p(1, { kind: 'everyHours', hours: 6 })).toBe('1 comprimé toutes les 6 heures');
    expect(p(1, { kind: 'everyHours', hours: 1 })).toBe('1 comprimé toutes les heures');
    expect(p(1, { kind: 'everyHours', hours: 8 }, { asNeeded: true, maxPer24h: 3 })).toBe('1 comprimé toutes les 8 heures si besoin, au maximum 3 comprimés par 24 heures');
    expect(p(1, { kind: 'perDay', times: 1 }, { asNeeded: true, maxPer24h: 1 })).toBe('1 comprimé par jour si besoin, au maximum 1 comprimé par 24 heures');
    expect(p(1, { kind: 'perDay', times: 1 }, { asNeeded: true, maxPer24h: 2.5 })).toBe('1 comprimé par jour si besoin, au maximum 2 comprimés ½ par 24 heures');
  });

  it('names the route, except the oral one', () => {
    expect(renderPosology(posology({ dose: 1, unit: 'application', frequency: { kind: 'perDay', times: 2 }, route: 'cutanée' }))).toBe('1 application 2 fois par jour par voie cutanée');
    expect(renderPosology(posology({ dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 1 }, route: 'orale' }))).toBe('1 comprimé par jour');
    expect(renderPosology(posology({ dose: 1, unit: 'pulvérisation', frequency: { kind: 'perDay', times: 1 }, route: 'voie buccale autre' }))).toBe('1 pulvérisation par jour par voie buccale autre');
  });

  it('writes a free line and durations', () => {
    const free = lineInputSchema.parse({ kind: 'free', key: '00000000-0000-4000-8000-000000000002', text: 'Bas de contention classe 2', packs: 1 });
    expect(renderLine(free, null)).toBe('Bas de contention classe 2, 1 boîte');
    expect(renderDuration({ value: 2, unit: 'weeks' })).toBe('pendant 2 semaines');
    expect(renderDuration({ value: 3, unit: 'months' })).toBe('pendant 3 mois');
  });
});

describe('a narcotic’s line in letters', () => {
  it('writes the strength, the units per intake, the intakes and the duration in letters', () => {
    expect(renderLine(line({ duration: { value: 28, unit: 'days' } }), morphine)).toBe('morphine dix milligrammes, gélule — deux gélules matin et soir pendant vingt-huit jours');
    expect(renderLine(line({ posology: { dose: 1, unit: 'gélule', frequency: { kind: 'perDay', times: 2 } }, duration: { value: 1, unit: 'weeks' } }), morphine)).toBe(
      'morphine dix milligrammes, gélule — une gélule deux fois par jour pendant une semaine',
    );
  });

  it('writes the units per intake with the noun’s gender, halves before and after it', () => {
    const letters = { letters: true };
    expect(quantityText(1, 'gélule', letters)).toBe('une gélule');
    expect(quantityText(1, 'comprimé', letters)).toBe('un comprimé');
    expect(quantityText(0.5, 'comprimé', letters)).toBe('un demi-comprimé');
    expect(quantityText(0.5, 'gélule', letters)).toBe('une demi-gélule');
    expect(quantityText(0.5, 'ampoule', letters)).toBe('une demi-ampoule');
    expect(quantityText(1.5, 'gélule', letters)).toBe('une gélule et demie');
    expect(quantityText(1.5, 'comprimé', letters)).toBe('un comprimé et demi');
    expect(quantityText(2.5, 'comprimé', letters)).toBe('deux comprimés et demi');
    expect(quantityText(2.5, 'cuillère-mesure', letters)).toBe('deux cuillères-mesure et demie');
    expect(quantityText(0.25, 'comprimé', letters)).toBe('un quart de comprimé');
    expect(quantityText(0.75, 'ampoule', letters)).toBe('trois quarts d’ampoule');
    expect(quantityText(0.333, 'comprimé', letters)).toBe('un tiers de comprimé');
    expect(quantityText(1.25, 'comprimé', letters)).toBe('un comprimé et un quart');
    expect(quantityText(1.667, 'sachet', letters)).toBe('un sachet et deux tiers');
    expect(quantityText(21, 'goutte', letters)).toBe('vingt et une gouttes');
    expect(quantityText(21, 'patch', letters)).toBe('vingt et un patchs');
    expect(quantityText(1, 'dose', letters)).toBe('une dose');
    expect(quantityText(1, 'bouffée', letters)).toBe('une bouffée');
    expect(quantityText(1, 'application', letters)).toBe('une application');
    expect(quantityText(1, 'sachet', letters)).toBe('un sachet');
    expect(quantityText(1, 'cuillère-mesure', letters)).toBe('une cuillère-mesure');
    expect(quantityText(2.5, 'ml', letters)).toBe('deux virgule cinq millilitres');
    expect(quantityText(0.5, 'ml', letters)).toBe('zéro virgule cinq millilitre');
    expect(quantityText(1, 'ml', letters)).toBe('un millilitre');
    expect(quantityText(21, 'UI', letters)).toBe('vingt et une unités internationales');
    expect(quantityText(30, 'mg', letters)).toBe('trente milligrammes');
  });

  it('writes intervals, the maximum, packs and renewals in letters', () => {
    const letters = { letters: true };
    expect(renderPosology(posology({ dose: 1, unit: 'comprimé', frequency: { kind: 'everyHours', hours: 4 }, asNeeded: true, maxPer24h: 6 }), letters)).toBe(
      'un comprimé toutes les quatre heures si besoin, au maximum six comprimés par vingt-quatre heures',
    );
    expect(renderPosology(posology({ dose: 1, unit: 'patch', frequency: { kind: 'everyHours', hours: 72 } }), letters)).toBe('un patch toutes les soixante-douze heures');
    expect(renderPosology(posology({ dose: 1, unit: 'patch', frequency: { kind: 'everyHours', hours: 21 } }), letters)).toBe('un patch toutes les vingt et une heures');
    expect(renderPosology(posology({ dose: 2, unit: 'comprimé', frequency: { kind: 'perDay', times: 1 } }), letters)).toBe('deux comprimés une fois par jour');
    expect(renderPosology(posology({ dose: 1, unit: 'comprimé', frequency: { kind: 'perWeek', times: 1 } }), letters)).toBe('un comprimé une fois par semaine');
    expect(renderPosology(posology({ dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 21 } }), letters)).toBe('un comprimé vingt et une fois par jour');
    expect(renderDuration({ value: 21, unit: 'days' }, letters)).toBe('pendant vingt et un jours');
    expect(renderDuration({ value: 21, unit: 'weeks' }, letters)).toBe('pendant vingt et une semaines');
    expect(renderDuration({ value: 1, unit: 'months' }, letters)).toBe('pendant un mois');
  });

  it('leaves no digit anywhere on the line: label, brand, posology, packs, renewals, instructions', () => {
    const fentanyl = frozen('fentanyl 25 µg/h, dispositif', 'DUROGESIC 25 microgrammes/heure, dispositif transdermique', true);
    const text = renderLine(
      line({
        showBrand: true,
        posology: { dose: 1, unit: 'patch', frequency: { kind: 'everyHours', hours: 72 }, asNeeded: true, maxPer24h: 1.5, route: 'transdermique' },
        packs: 2,
        renewals: 1,
        instructions: 'Changer le patch tous les 3 jours, à 8 h.',
      }),
      fentanyl,
    );
    expect(text).toBe(
      'fentanyl vingt-cinq microgrammes par heure, dispositif (DUROGESIC vingt-cinq microgrammes par heure, dispositif transdermique) — un patch toutes les soixante-douze heures si besoin, au maximum un patch et demi par vingt-quatre heures par voie transdermique, deux boîtes, à renouveler une fois. Changer le patch tous les trois jours, à huit heures.',
    );
    expect(text).not.toMatch(/\d/);
    expect(renderLine(line({ duration: { value: 14, unit: 'days' }, nonSubstitution: 'MTE', instructions: '' }), frozen('méthadone 40 mg/15 ml, sirop', 'METHADONE AP-HP 40 mg', true))).toBe(
      'méthadone quarante milligrammes par quinze millilitres, sirop — deux gélules matin et soir pendant quatorze jours. Non substituable (MTE)',
    );
  });

  it('follows the options over the drug’s flag, and leaves a non-narcotic in digits', () => {
    expect(renderLine(line({ duration: { value: 28, unit: 'days' } }), morphine, { letters: false })).toBe('morphine 10 mg, gélule — 2 gélules matin et soir pendant 28 jours');
    expect(renderLine(line({ duration: { value: 7, unit: 'days' } }), drug, { letters: true })).toBe('amoxicilline cinq cents milligrammes, gélule — deux gélules matin et soir pendant sept jours');
    expect(renderLine(line({ duration: { value: 7, unit: 'days' } }), drug)).toMatch(/\d/);
  });
});

const release = join(sharedDataDir, 'bdpm-2019');
if (!hasSharedData) process.stderr.write(`narcotic lines over the BDPM 2019 release skipped: ${release} absent (real data lives outside the project)\n`);

describe.skipIf(!hasSharedData)('every narcotic of the BDPM 2019 release', () => {
  it('renders a line with no digit, in the unit its form counts, whatever the posology', () => {
    const lines = (file: string) =>
      readFileSync(join(release, file))
        .toString('latin1')
        .split('\n')
        .filter((l) => l.trim() !== '');
    const narcotics = new Set<string>();
    for (const l of lines('CIS_CPD_bdpm.txt')) {
      const parsed = parseLine('CIS_CPD_bdpm.txt', l);
      if (parsed.ok && /stupéfiant/i.test(parsed.row.condition)) narcotics.add(parsed.row.cis);
    }
    const parts = new Map<string, CompositionPart[]>();
    for (const l of lines('CIS_COMPO_bdpm.txt')) {
      const parsed = parseLine('CIS_COMPO_bdpm.txt', l);
      if (!parsed.ok || !narcotics.has(parsed.row.cis)) continue;
      parts.set(parsed.row.cis, [...(parts.get(parsed.row.cis) ?? []), parsed.row]);
    }
    const postures: PosologyInput[] = [
      { dose: 1.5, unit: 'comprimé', frequency: { kind: 'everyHours', hours: 12 }, asNeeded: true, maxPer24h: 4.5 },
      { dose: 0.25, unit: 'comprimé', frequency: { kind: 'perDay', times: 3 } },
      { dose: 2.5, unit: 'ml', frequency: { kind: 'perWeek', times: 2 } },
      { dose: 20, unit: 'mg', frequency: { kind: 'perDay', times: 1 }, moments: ['matin'] },
    ];
    let rendered = 0;
    for (const l of lines('CIS_bdpm.txt')) {
      const parsed = parseLine('CIS_bdpm.txt', l);
      if (!parsed.ok || !narcotics.has(parsed.row.cis)) continue;
      const { cis, name, form } = parsed.row;
      const label = describeDci(parts.get(cis) ?? [], form, name).label;
      const narcotic = frozen(label, name, true);
      for (const p of [...postures, { dose: 2, unit: unitForForm(form), frequency: { kind: 'perDay' as const, times: 2 } }]) {
        const text = renderLine(line({ cis, showBrand: true, posology: p, duration: { value: 28, unit: 'days' }, renewals: 2 }), narcotic);
        if (/\d/.test(text)) throw new Error(`digit left: ${text}`);
        rendered++;
      }
    }
    expect(rendered).toBeGreaterThan(1_000);
  });
});
