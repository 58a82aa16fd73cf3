/**
 * Lines in the shape of the real files (columns, HTML, several holders, trailing tabs), written
 * here: the real files are read from ../shared/data by the integration tests only.
 */
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../electron/drugs/bdpm-files';

const ok = <T>(result: { ok: true; row: T } | { ok: false; reason: string }): T => {
  if (!result.ok) throw new Error(result.reason);
  return result.row;
};

describe('CIS_bdpm.txt lines', () => {
  const line = '61266250\tA 313 200 000 UI POUR CENT, pommade\tpommade\tcutanée\tAutorisation active\tProcédure nationale\tCommercialisée\t12/03/1998\t\t\t PHARMA DEVELOPPEMENT;PHARMA DEVELOPPEMENT SANTÉ\tNon';

  it('reads every column, trimming the holder and splitting several holders', () => {
    expect(ok(parseLine('CIS_bdpm.txt', line))).toMatchObject({
      cis: '61266250',
      form: 'pommade',
      routes: ['cutanée'],
      marketed: true,
      authorizationDate: '1998-03-12',
      holders: ['PHARMA DEVELOPPEMENT', 'PHARMA DEVELOPPEMENT SANTÉ'],
      enhancedMonitoring: false,
    });
  });

  it('tolerates trailing tabs and a missing last column', () => {
    expect(ok(parseLine('CIS_bdpm.txt', `${line}\t\t`)).cis).toBe('61266250');
    expect(ok(parseLine('CIS_bdpm.txt', line.slice(0, line.lastIndexOf('\t')))).enhancedMonitoring).toBe(false);
  });

  it('rejects too few columns and malformed codes with a reason', () => {
    expect(parseLine('CIS_bdpm.txt', '61266250\tA 313')).toEqual({ ok: false, reason: '2 colonnes au lieu de 12' });
    expect(parseLine('CIS_bdpm.txt', line.replace('61266250', '6126625'))).toEqual({ ok: false, reason: 'code CIS invalide « 6126625 » (8 chiffres attendus)' });
  });
});

describe('CIS_CIP_bdpm.txt lines', () => {
  const cols = ['60021127', '3738338', 'plaquette(s) thermoformée(s) PVC aluminium de 90 comprimé(s)', 'Présentation active', 'Déclaration de commercialisation', '06/10/2015', '3400937383387', 'oui', '65 %', '11,75', '14,51', '2,76'];
  const html = "Ce médicament peut être pris en charge dans les cas suivants :<br><br>- Hypertension artérielle - JOURNAL OFFICIEL";

  it('keeps HTML in the last column and reads prices in cents', () => {
    expect(ok(parseLine('CIS_CIP_bdpm.txt', [...cols, html].join('\t')))).toMatchObject({
      cip13: '3400937383387',
      cip7: '3738338',
      reimbursementRate: '65 %',
      priceCents: 1175,
      priceWithFeeCents: 1451,
      feeCents: 276,
      collectivities: true,
      indications: html,
    });
  });

  it('reads a price of 1,000 € and more as the BDPM writes it (2,849,83)', () => {
    const costly = [...cols];
    costly[9] = '2,849,83';
    costly[10] = '2,856,85';
    costly[11] = '7,02';
    expect(ok(parseLine('CIS_CIP_bdpm.txt', costly.join('\t')))).toMatchObject({ priceCents: 284983, priceWithFeeCents: 285685, feeCents: 702 });
  });

  it('rejects a price it cannot read instead of storing no price', () => {
    const bad = [...cols];
    bad[10] = '14.51.2';
    expect(parseLine('CIS_CIP_bdpm.txt', bad.join('\t'))).toEqual({ ok: false, reason: 'prix honoraire compris invalide « 14.51.2 » (ex. 12,34 ou 1,234,56 attendu)' });
  });

  it('rejects a CIP13 whose EAN-13 key is wrong, and a short CIP7', () => {
    const badKey = [...cols];
    badKey[6] = '3400937383388';
    expect(parseLine('CIS_CIP_bdpm.txt', badKey.join('\t'))).toEqual({
      ok: false,
      reason: 'code CIP13 invalide « 3400937383388 » : Le code CIP13 est incorrect : la clé EAN-13 ne correspond pas.',
    });
    const badCip7 = [...cols];
    badCip7[1] = '37383';
    expect(parseLine('CIS_CIP_bdpm.txt', badCip7.join('\t'))).toMatchObject({ ok: false, reason: expect.stringContaining('CIP7') });
  });
});

describe('CIS_COMPO, CIS_GENER and CIS_CPD lines', () => {
  it('reads a composition row with its trailing tab', () => {
    expect(ok(parseLine('CIS_COMPO_bdpm.txt', '60002504\tcomprimé\t49632\tRANITIDINE BASE\t150 mg\tun comprimé\tFT\t1\t'))).toEqual({
      cis: '60002504',
      element: 'comprimé',
      substanceCode: '49632',
      substanceName: 'RANITIDINE BASE',
      strength: '150 mg',
      strengthReference: 'un comprimé',
      nature: 'FT',
      linkNumber: 1,
    });
    expect(parseLine('CIS_COMPO_bdpm.txt', '60002504\tcomprimé\t49632\tRANITIDINE BASE\t150 mg\tun comprimé\tXX\t1')).toMatchObject({ ok: false });
  });

  it('reads a generic group row and refuses an unknown type', () => {
    expect(ok(parseLine('CIS_GENER_bdpm.txt', '1\tCIMETIDINE 200 mg - TAGAMET 200 mg, comprimé pelliculé\t65383183\t0\t1\t'))).toEqual({
      groupId: '1',
      label: 'CIMETIDINE 200 mg - TAGAMET 200 mg, comprimé pelliculé',
      cis: '65383183',
      type: 0,
      sortOrder: 1,
    });
    expect(parseLine('CIS_GENER_bdpm.txt', '1\tX\t65383183\tprinceps\t1')).toMatchObject({ ok: false });
    // The message lists the types the rule accepts, and the rule accepts only those.
    expect(parseLine('CIS_GENER_bdpm.txt', '1\tX\t65383183\t3\t1')).toEqual({ ok: false, reason: 'type générique invalide « 3 » (0, 1, 2 ou 4 attendu)' });
    expect(ok(parseLine('CIS_GENER_bdpm.txt', '1\tX\t65383183\t4\t1')).type).toBe(4);
  });

  it('reads a prescribing condition, curly apostrophe included', () => {
    expect(ok(parseLine('CIS_CPD_bdpm.txt', '60355340\tprescription nécessitant préalablement le recueil de l’accord de soins du patient'))).toEqual({
      cis: '60355340',
      condition: 'prescription nécessitant préalablement le recueil de l’accord de soins du patient',
    });
    expect(parseLine('CIS_CPD_bdpm.txt', '60355340')).toEqual({ ok: false, reason: '1 colonne au lieu de 2' });
  });
});
