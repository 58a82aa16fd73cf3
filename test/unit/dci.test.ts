/**
 * The DCI label rules on compositions written the way the BDPM writes them (the real release is
 * proved whole in test/integration/dci-labels-2019.test.ts, where the data exists).
 */
import { describe, expect, it } from 'vitest';
import { dciOfSubstance, describeDci, formOfLabel, normalizeStrength, type CompositionPart } from '../../shared/domain/dci';

const part = (p: Partial<CompositionPart> & Pick<CompositionPart, 'substanceName'>): CompositionPart => ({
  element: 'comprimé',
  substanceCode: '1',
  strength: '',
  strengthReference: 'un comprimé',
  nature: 'SA',
  linkNumber: 1,
  ...p,
});

describe('DCI of a BDPM substance name', () => {
  it.each([
    ['AMOXICILLINE TRIHYDRATÉE', 'amoxicilline'],
    ['AMOXICILLINE ANHYDRE', 'amoxicilline'],
    ['CHLORHYDRATE DE TRAMADOL', 'tramadol'],
    ['RANITIDINE (CHLORHYDRATE DE)', 'ranitidine'],
    ['CLAVULANIQUE (ACIDE)', 'acide clavulanique'],
    ['SODIUM (VALPROATE DE)', 'valproate de sodium'],
    ['CHLORURE DE SODIUM', 'chlorure de sodium'],
    ["BÉSILATE D'AMLODIPINE", 'amlodipine'],
    ['LÉVOTHYROXINE SODIQUE', 'lévothyroxine'],
    ['ATORVASTATINE CALCIQUE TRIHYDRATÉE', 'atorvastatine'],
    ['CLOPIDOGREL (HYDROGÉNOSULFATE DE)', 'clopidogrel'],
    ['ACIDE ACÉTYLSALICYLIQUE', 'acide acétylsalicylique'],
    ['PHOSPHATE DE CODÉINE HÉMIHYDRATÉ', 'codéine'],
    // What is not a salt stays: another molecule, an isotope, an ester, a vitamin's letter.
    ['PHLOROGLUCINOL (TRIMÉTHYL ÉTHER DU)', 'triméthylphloroglucinol'],
    ['IODURE (131I) DE SODIUM', 'iodure (131I) de sodium'],
    ['SODIUM (IODURE [123 I] DE) (SOLUTION DE)', 'iodure [123I] de sodium'],
    ['BENZYLE (BENZOATE DE)', 'benzoate de benzyle'],
    ['CITRATE MONOSODIQUE ANHYDRE', 'citrate monosodique'],
    ['FERREUX (CHLORURE) TÉTRAHYDRATÉ', 'chlorure ferreux'],
    ['ALUMINIUM (HYDROXYDE D\')', 'hydroxyde d’aluminium'],
    ["ISPAGHUL (GRAINE D'), TÉGUMENT DE LA", 'tégument de la graine d’ispaghul'],
    ['VITAMINE D3', 'vitamine D3'],
    ['CONCENTRAT DE VITAMINE A SYNTHÉTIQUE (FORME HUILEUSE)', 'concentrat de vitamine A synthétique (forme huileuse)'],
    ['AMPHOTÉRICINE B', 'amphotéricine B'],
    ['FACTEUR VIII DE COAGULATION HUMAIN', 'facteur VIII de coagulation humain'],
  ])('%s → %s', (name, dci) => {
    expect(dciOfSubstance(name)).toBe(dci);
  });
});

describe('strengths: one amount, one way to write it', () => {
  it.each([
    ['500,00 mg', '500 mg'],
    ['1,00 mg', '1 mg'],
    ['1000 mg', '1 g'],
    ['1500 mg', '1,5 g'],
    ['0,5 g', '500 mg'],
    ['0,030 g', '30 mg'],
    ['0,25 mg', '0,25 mg'],
    ['75 microgrammes', '75 µg'],
    ['1000 microgrammes', '1 mg'],
    ['100000 U.I.', '100\u202f000 UI'],
    ['10 M.U.I.', '10\u202f000\u202f000 UI'],
    ['2CH à 30CH', '2CH à 30CH'],
  ])('%s → %s', (raw, normal) => {
    expect(normalizeStrength(raw)).toBe(normal);
  });
});

describe('forms as a GP writes them', () => {
  it.each([
    ['comprimé effervescent(e)', 'comprimé effervescent'],
    ['comprimé effervescent(e) sécable', 'comprimé effervescent sécable'],
    ['gélule gastro-résistant(e)', 'gélule gastro-résistante'],
    ['granulés gastro-résistant(e)', 'granulés gastro-résistants'],
    ['gomme à mâcher médicamenteux(se)', 'gomme à mâcher médicamenteuse'],
    ['vernis à ongles médicamenteux(se)', 'vernis à ongles médicamenteux'],
    ['pansement adhésif(ve)', 'pansement adhésif'],
    ['solution concentré(e) à diluer pour perfusion', 'solution concentrée à diluer pour perfusion'],
    ['comprimé pelliculé et  comprimé pelliculé', 'comprimé pelliculé'],
    ['solvant(s) et poudre(s) pour solution injectable', 'solvant et poudre pour solution injectable'],
  ])('%s → %s', (raw, form) => {
    expect(formOfLabel(raw)).toBe(form);
  });
});

describe('DCI label of a specialty', () => {
  it('prefers the therapeutic moiety (FT) to the salt (SA) and appends the form', () => {
    const parts = [
      part({ element: 'gélule', substanceName: 'AMOXICILLINE TRIHYDRATÉE', strengthReference: 'une gélule', nature: 'SA' }),
      part({ element: 'gélule', substanceName: 'AMOXICILLINE ANHYDRE', strength: '500,00 mg', strengthReference: 'une gélule', nature: 'FT' }),
    ];
    expect(describeDci(parts, 'gélule', 'CLAMOXYL 500 mg, gélule')).toMatchObject({
      label: 'amoxicilline 500 mg, gélule',
      substances: ['amoxicilline'],
      substanceKey: 'amoxicilline',
    });
  });

  it('follows the strength the brand name states: the salt for metformine, the base for amoxicilline', () => {
    const metformine = [
      part({ substanceName: 'CHLORHYDRATE DE METFORMINE', strength: '1000 mg', nature: 'SA' }),
      part({ substanceName: 'METFORMINE', strength: '780 mg', nature: 'FT' }),
    ];
    expect(describeDci(metformine, 'comprimé pelliculé sécable', 'GLUCOPHAGE 1000 mg, comprimé pelliculé sécable').label).toBe('metformine 1 g, comprimé pelliculé sécable');
    expect(describeDci(metformine, 'comprimé', 'METFORMINE X, comprimé').label).toBe('metformine 780 mg, comprimé');
  });

  it('keeps a substance that is not the salt of the other (SPASFON)', () => {
    const parts = [
      part({ substanceName: 'PHLOROGLUCINOL HYDRATÉ', strength: '80,000 mg', linkNumber: 1 }),
      part({ substanceName: 'PHLOROGLUCINOL (TRIMÉTHYL ÉTHER DU)', strength: '80,000 mg', linkNumber: 2 }),
      part({ substanceName: 'PHLOROGLUCINOL ANHYDRE', strength: '62,233 mg', nature: 'FT', linkNumber: 1 }),
    ];
    expect(describeDci(parts, 'comprimé enrobé', 'SPASFON, comprimé enrobé')).toMatchObject({
      label: 'triméthylphloroglucinol 80 mg + phloroglucinol 62,233 mg, comprimé enrobé',
      substances: ['triméthylphloroglucinol', 'phloroglucinol'],
    });
  });

  it('adds up one DCI given in several rows, and orders the substances strongest first, whatever the file order', () => {
    const novacetol = [
      part({ substanceName: 'ACÉTYLSALICYLIQUE (ACIDE)', strength: '300 mg', linkNumber: 1 }),
      part({ substanceName: 'PARACÉTAMOL', strength: '187,5 mg', linkNumber: 5 }),
      part({ substanceName: 'PARACÉTAMOL', strength: '62,5 mg', linkNumber: 4 }),
      part({ substanceName: 'CODÉINE (CHLORHYDRATE DE)', strength: '10 mg', linkNumber: 6 }),
    ];
    expect(describeDci(novacetol, 'comprimé', 'NOVACETOL, comprimé').label).toBe('acide acétylsalicylique 300 mg + paracétamol 250 mg + codéine 10 mg, comprimé');
    const vitaminC = [
      part({ substanceName: 'ASCORBIQUE (ACIDE)', strength: '250 mg', nature: 'FT', linkNumber: 3 }),
      part({ substanceName: 'ASCORBIQUE (ACIDE)', strength: '250 mg', linkNumber: 2 }),
      part({ substanceName: 'SODIUM (ASCORBATE DE)', strength: '285 mg', linkNumber: 3 }),
    ];
    expect(describeDci(vitaminC, 'comprimé à croquer', 'VITAMINE C UPSA 500 mg, comprimé à croquer').label).toBe('acide ascorbique 500 mg, comprimé à croquer');
    const codeineFirst = [part({ substanceName: 'PHOSPHATE DE CODÉINE HÉMIHYDRATÉ', strength: '0,03 g', linkNumber: 1 }), part({ substanceName: 'PARACÉTAMOL', strength: '0,5 g', linkNumber: 2 })];
    const paracetamolFirst = [part({ substanceName: 'PARACÉTAMOL', strength: '500 mg', linkNumber: 1 }), part({ substanceName: 'CODÉINE', strength: '30 mg', linkNumber: 2 })];
    expect(describeDci(codeineFirst, 'comprimé', 'A').label).toBe('paracétamol 500 mg + codéine 30 mg, comprimé');
    expect(describeDci(paracetamolFirst, 'comprimé', 'B').label).toBe('paracétamol 500 mg + codéine 30 mg, comprimé');
  });

  it('says which substance is in which element (DOLIRHUME PRO: day and night tablets)', () => {
    const parts = [
      part({ element: 'comprimé jour', substanceName: 'PARACÉTAMOL', strength: '500 mg', linkNumber: 5 }),
      part({ element: 'comprimé jour', substanceName: 'CHLORHYDRATE DE PSEUDOÉPHÉDRINE', strength: '30 mg', linkNumber: 7 }),
      part({ element: 'comprimé nuit', substanceName: 'PARACÉTAMOL', strength: '500 mg', linkNumber: 8 }),
      part({ element: 'comprimé nuit', substanceName: 'HYDROGÉNOSUCCINATE DE DOXYLAMINE', strength: '7,5 mg', linkNumber: 9 }),
    ];
    const dci = describeDci(parts, 'comprimé et  comprimé', 'DOLIRHUMEPRO, comprimé');
    expect(dci.label).toBe('comprimé jour : paracétamol 500 mg + pseudoéphédrine 30 mg ; comprimé nuit : paracétamol 500 mg + doxylamine 7,5 mg, comprimé');
    expect(dci.substances).toEqual(['paracétamol', 'pseudoéphédrine', 'doxylamine']);
  });

  it('writes the strength of a liquid per its reference, never per bottle', () => {
    const amodex = [
      part({ element: 'poudre', substanceName: 'AMOXICILLINE ANHYDRE', strength: '6 g', strengthReference: '30 g', nature: 'FT' }),
      part({ element: 'poudre', substanceName: 'AMOXICILLINE TRIHYDRATÉE', strength: '', strengthReference: '' }),
    ];
    expect(describeDci(amodex, 'poudre pour suspension buvable', 'AMODEX 500 mg/5 ml, poudre pour suspension buvable').label).toBe('amoxicilline 500 mg/5 ml, poudre pour suspension buvable');
    const doliprane = [part({ element: 'suspension', substanceName: 'PARACÉTAMOL', strength: '2,40 g', strengthReference: '100 ml' })];
    expect(describeDci(doliprane, 'suspension buvable', 'DOLIPRANE 2,4 POUR CENT SANS SUCRE, suspension buvable').label).toBe('paracétamol 2,4 %, suspension buvable');
    const unnamed = [part({ element: 'solution', substanceName: 'PARACÉTAMOL', strength: '2,40 g', strengthReference: '100 ml de solution buvable' })];
    expect(describeDci(unnamed, 'solution buvable', 'X, solution buvable').label).toBe('paracétamol 2,4 g/100 ml, solution buvable');
    const ampoule = [part({ element: 'solution', substanceName: 'KÉTOPROFÈNE', strength: '100 mg', strengthReference: 'une ampoule de 2 ml' })];
    expect(describeDci(ampoule, 'solution injectable', 'X, solution injectable').label).toBe('kétoprofène 100 mg/2 ml, solution injectable');
    const vial = [part({ element: 'poudre', substanceName: 'CEFTRIAXONE SODIQUE', strength: '1 g', strengthReference: 'un flacon' })];
    expect(describeDci(vial, 'poudre pour solution injectable', 'X 1 g, poudre').label).toBe('ceftriaxone 1 g/flacon, poudre pour solution injectable');
    const patch = [part({ element: 'dispositif', substanceName: 'FENTANYL', strength: '4,2 mg', strengthReference: 'un dispositif transdermique de 10,5 cm²' })];
    expect(describeDci(patch, 'dispositif', 'DUROGESIC 25 microgrammes/heure, dispositif transdermique').label).toBe('fentanyl 25 µg/h, dispositif');
  });

  it('counts the substances it does not name, and uses the name when the composition is unknown', () => {
    const parts = ['A', 'B', 'C', 'D', 'E'].map((l, i) => part({ substanceName: `SUBSTANCE${l}`, strength: `${10 - i} mg`, linkNumber: i + 1 }));
    expect(describeDci(parts, 'comprimé', 'X').label).toBe('substancea 10 mg + substanceb 9 mg + substancec 8 mg + 2 autres substances, comprimé');
    expect(describeDci([], 'pommade', 'A 313 200 000 UI POUR CENT,  pommade')).toMatchObject({ label: 'A 313 200 000 UI POUR CENT, pommade', substances: [], substanceKey: '' });
  });
});
