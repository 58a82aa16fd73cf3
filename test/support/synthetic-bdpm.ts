/**
 * A synthetic, full-size BDPM release (15,000 specialties, 20,000 packs, 27,000 composition rows,
 * plus generic groups and prescribing conditions) in the real file format, for benchmarks and
 * tests where the real files are absent. Deterministic (seeded); Windows-1252, CRLF, the trailing
 * tab of COMPO and GENER, as in real releases. Common GP drugs are included so the benchmark's
 * queries ("amoxicilline 500", "doliprane"…) have a right answer.
 */
import { mkdirSync } from 'node:fs';
import { cip13Of, writeBdpmFile } from './bdpm-writer';

export interface SyntheticCounts {
  specialties: number;
  packs: number;
  compositions: number;
  generics: number;
  conditions: number;
}

export const fullSize = { specialties: 15_000, packs: 20_000, compositions: 27_000 } as const;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = [
  'AMOXICILLINE', 'PARACÉTAMOL', 'IBUPROFÈNE', 'AMLODIPINE', 'MÉTFORMINE', 'ATORVASTATINE', 'OMÉPRAZOLE', 'LÉVOTHYROXINE', 'RAMIPRIL',
  'TRAMADOL', 'SERTRALINE', 'PREDNISOLONE', 'FUROSÉMIDE', 'BISOPROLOL', 'APIXABAN', 'AZITHROMYCINE', 'CÉTIRIZINE', 'SALBUTAMOL',
  'ZOLPIDEM', 'ALPRAZOLAM', 'CLOPIDOGREL', 'PHLOROGLUCINOL', 'DIOSMECTITE', 'MACROGOL', 'LOSARTAN', 'ESCITALOPRAM', 'PANTOPRAZOLE',
  'ROSUVASTATINE', 'SIMVASTATINE', 'VALSARTAN', 'PÉRINDOPRIL', 'HYDROCHLOROTHIAZIDE', 'LORATADINE', 'DOMPÉRIDONE', 'CODÉINE', 'MORPHINE',
];
const SYLLABLES = ['ba', 'cé', 'di', 'fo', 'ga', 'lu', 'mé', 'no', 'pra', 'qui', 'ro', 'sa', 'ti', 'vo', 'xa', 'zé', 'tri', 'dol', 'pen', 'cor', 'flu', 'mox', 'zol', 'pril'];
const ENDINGS = ['INE', 'OL', 'ATE', 'AZOLE', 'PRIL', 'SARTAN', 'MYCINE', 'CILLINE', 'OXACINE', 'TIDINE', 'STATINE', 'DIPINE', 'FÈNE', 'MAB'];
const LABS = ['DÉMOGEN', 'ARROWLAB', 'BIOGÉNIA', 'CRISTAL', 'EUROGEN', 'MYLÈNE', 'SANDRA', 'TÉVALE', 'ZENTRA', 'ALMA', 'ACCORDA', 'VIATRO'];
const FORMS: [string, string][] = [
  ['comprimé pelliculé', 'un comprimé'], ['comprimé', 'un comprimé'], ['gélule', 'une gélule'], ['comprimé sécable', 'un comprimé'],
  ['solution injectable', '1 ml de solution'], ['poudre pour suspension buvable', '5 ml de suspension reconstituée'], ['crème', '100 g de crème'],
  ['comprimé orodispersible', 'un comprimé'], ['gélule gastro-résistante', 'une gélule'], ['solution buvable', '1 ml de solution'],
];
const STRENGTHS = ['5 mg', '10 mg', '20 mg', '25 mg', '40 mg', '50 mg', '100 mg', '200 mg', '250 mg', '400 mg', '500 mg', '1 g', '1000 mg', '0,5 mg', '75 microgrammes'];
const CONDITIONS = ['liste I', 'liste II', 'stupéfiants', 'prescription hospitalière', "réservé à l'usage HOSPITALIER", 'prescription limitée à 12 semaines', 'médicament nécessitant une surveillance particulière pendant le traitement'];

/**
 * Specialties the search must get right whatever the rest holds (made-up brands): a number is a
 * strength, not a pack code or part of « bêta-1a »; « 5 » is not « 2,5 »; « µg » is not « g »; a
 * CIP13 typed in groups. One of their packs carries a marketing date in 2924, a typing error real
 * releases hold: it must not become the release date.
 */
export const syntheticEdgeCases = {
  apixaban5: { cis: '59990001', name: 'ZELIQUA 5 mg, comprimé pelliculé', form: 'comprimé pelliculé', substance: ['07777', 'APIXABAN', '5 mg'], cip7: '5100011' },
  apixaban25: { cis: '59990002', name: 'ZELIQUA 2,5 mg, comprimé pelliculé', form: 'comprimé pelliculé', substance: ['07777', 'APIXABAN', '2,5 mg'], cip7: '5100028' },
  dentalCream: { cis: '59990003', name: 'DENTIFLUOR 250 mg, pâte dentifrice', form: 'pâte dentifrice', substance: ['07778', 'FLUORURE DE SODIUM', '250 mg'], cip7: '5002989' },
  interferon: {
    cis: '59990004',
    name: 'INTERBETA 30 microgrammes/0,5 ml, solution injectable',
    form: 'solution injectable',
    substance: ['07779', 'INTERFÉRON BÊTA-1A', '30 microgrammes'],
    cip7: '5100034',
  },
  thirtyGrams: { cis: '59990005', name: 'VASELIN ZEN 30 g, pommade', form: 'pommade', substance: ['07780', 'VASELINE', '30 g'], cip7: '5100040' },
} as const;
/** The pack date no release date may be (see syntheticEdgeCases). */
export const syntheticFutureDate = '29/11/2924';

/** Writes the five files into `dir` and returns how many lines each holds. */
export function writeSyntheticBdpm(dir: string, size: { specialties: number; packs: number; compositions: number } = fullSize, seed = 2019): SyntheticCounts {
  mkdirSync(dir, { recursive: true });
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const word = (n: number) => Array.from({ length: n }, () => pick(SYLLABLES)).join('');

  const substances = [...COMMON];
  while (substances.length < 1200) substances.push(`${word(2)}${pick(ENDINGS).toLowerCase()}`.toUpperCase());
  // Common substances first and far more often: a realistic skew (many generics of few drugs).
  const substanceFor = () => substances[Math.floor(substances.length * rand() ** 3)]!;

  const cis: string[] = [];
  const cisLines: string[] = [];
  const compoLines: string[] = [];
  const genericLines: string[] = [];
  const conditionLines: string[] = [];
  const groups = new Map<string, number>();
  const extraCompo = size.compositions - size.specialties;
  const edges = Object.values(syntheticEdgeCases);
  for (let i = 0; i < size.specialties - edges.length; i++) {
    const code = String(60_000_000 + i * 661 + Math.floor(rand() * 600)).slice(0, 8);
    cis.push(code);
    const substance = substanceFor();
    const [form, reference] = pick(FORMS);
    const strength = pick(STRENGTHS);
    const generic = rand() < 0.7;
    const lab = pick(LABS);
    const brand = `${word(2).toUpperCase()}${pick(['X', 'L', 'NE', 'AN', 'OL'])}`;
    const name = generic ? `${substance} ${lab} ${strength}, ${form}` : `${brand} ${strength}, ${form}`;
    const marketed = rand() < 0.83;
    cisLines.push(
      [code, name, form, pick(['orale', 'cutanée', 'intraveineuse', 'orale;sublinguale']), 'Autorisation active', 'Procédure nationale',
        marketed ? 'Commercialisée' : 'Non commercialisée', '12/03/2015', '', '', ` ${lab}${rand() < 0.05 ? `; ${pick(LABS)}` : ''}`, rand() < 0.03 ? 'Oui' : 'Non'].join('\t'),
    );
    const substanceCode = String(10_000 + substances.indexOf(substance)).padStart(5, '0');
    const element = form.split(' ')[0]!;
    const rows = [[code, element, substanceCode, substance, strength, reference, 'SA', '1']];
    // Spreads the rows beyond one per specialty exactly: FT rows (the base of a salt) or a second substance.
    const extras = Math.floor(((i + 1) * extraCompo) / size.specialties) - Math.floor((i * extraCompo) / size.specialties);
    for (let k = 0; k < extras; k++) {
      if (k === 0 && rand() < 0.6) {
        rows[0]![4] = '';
        rows.push([code, element, String(Number(substanceCode) + 5000), `${substance} BASE`, strength, reference, 'FT', '1']);
      } else {
        rows.push([code, element, String(10_000 + Math.floor(rand() * 1200)).padStart(5, '0'), substanceFor(), pick(STRENGTHS), reference, 'SA', String(k + 2)]);
      }
    }
    for (const row of rows) compoLines.push(`${row.join('\t')}\t`);
    const groupKey = `${substance} ${strength} ${form}`;
    let group = groups.get(groupKey);
    if (group === undefined && rand() < 0.6) groups.set(groupKey, (group = groups.size + 1));
    if (group !== undefined) genericLines.push(`${group}\t${substance} ${strength} - ${brand} ${strength}, ${form}\t${code}\t${generic ? 1 : 0}\t${generic ? 2 : 1}\t`);
    if (rand() < 0.7) conditionLines.push(`${code}\t${pick(CONDITIONS)}`);
    if (rand() < 0.55) conditionLines.push(`${code}\t${pick(CONDITIONS)}`);
  }
  for (const e of edges) {
    cis.push(e.cis);
    cisLines.push([e.cis, e.name, e.form, 'orale', 'Autorisation active', 'Procédure nationale', 'Commercialisée', '12/03/2015', '', '', ' ZENLAB', 'Non'].join('\t'));
    compoLines.push(`${[e.cis, e.form.split(' ')[0]!, e.substance[0], e.substance[1], e.substance[2], 'un comprimé', 'SA', '1'].join('\t')}\t`);
  }
  const packLines: string[] = edges.map((e, k) =>
    [e.cis, e.cip7, 'boîte de 30', 'Présentation active', 'Déclaration de commercialisation', k === 0 ? syntheticFutureDate : '16/03/2016', cip13Of(e.cip7), 'oui', '65%', '4,38', '5,40', '1,02', ''].join('\t'),
  );
  for (let p = 0; p < size.packs - edges.length; p++) {
    const owner = cis[p < cis.length ? p : Math.floor(rand() * cis.length)]!;
    const cip7 = String(2_000_000 + p * 149 + Math.floor(rand() * 149));
    const rate = pick(['65%', '30%', '15%', '100%', '']);
    packLines.push(
      [owner, cip7, `plaquette(s) PVC aluminium de ${pick([8, 14, 16, 28, 30, 90])} comprimé(s)`, 'Présentation active', 'Déclaration de commercialisation',
        '16/03/2016', cip13Of(cip7), rate === '' ? 'non' : 'oui', rate, rate === '' ? '' : '4,38', rate === '' ? '' : '5,40', rate === '' ? '' : '1,02',
        rand() < 0.03 ? "Ce médicament peut être pris en charge ou remboursé par l'Assurance Maladie dans les cas suivants :<br><br>- Indication œdème." : ''].join('\t'),
    );
  }

  writeBdpmFile(dir, 'CIS_bdpm.txt', cisLines);
  writeBdpmFile(dir, 'CIS_CIP_bdpm.txt', packLines, { eol: '\n' });
  writeBdpmFile(dir, 'CIS_COMPO_bdpm.txt', compoLines);
  writeBdpmFile(dir, 'CIS_GENER_bdpm.txt', genericLines);
  writeBdpmFile(dir, 'CIS_CPD_bdpm.txt', conditionLines);
  return { specialties: cisLines.length, packs: packLines.length, compositions: compoLines.length, generics: genericLines.length, conditions: conditionLines.length };
}
