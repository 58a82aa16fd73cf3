/**
 * The same substance on two drug lines (DOMAIN.md §7): « AMOXICILLINE TRIHYDRATÉE » and
 * « AMOXICILLINE SODIQUE » are one drug, and so are the salt and the acid the BDPM gives as a
 * pair (« CLAVULANATE DE POTASSIUM », « ACIDE CLAVULANIQUE »). A warning: two lines of one
 * substance are sometimes meant (two strengths to make a dose), so it never blocks signing.
 */
import { memoized } from './memo';
import { dciOfSubstance } from './dci';
import { frenchNumber } from './numbers';
import type { CheckLine, Finding } from './prescription';
import { normalizeText } from './text';

// Salt and hydrate words dciOfSubstance leaves after the name (« RISÉDRONATE MONOSODIQUE HÉMIPENTAHYDRATÉ », « CALCIUM ÉLÉMENT »).
const SALT_WORD = /^(?:\w*hydrate|(?:mono|di|tri)?(?:sodique|potassique|calcique|magnesique)|anhydre|sel|element)$/;
const CATION_OF = /^(\w{4,})ate de (?:sodium|potassium|calcium|magnesium|(?:dl )?lysine)$/;
const BARE_SALT = /^(\w{4,})ate$/;
// Salts whose cation is the drug (calcium gluconate, potassium citrate): the anion names nothing.
const MINERAL_ANION =
  /^(?:carbon|bicarbon|hydrogenocarbon|phosph|glycerophosph|glucon|glucohepton|lact|lactobion|citr|acet|sulf|thiosulf|nitr|aspart|pidol|tartr|silic|bor|perbor|mal|fumar|oxal|succin|benzo|salicyl)$/;

/**
 * The key two substances share when they are one active moiety: the DCI without accents, salt or
 * hydrate, and an « -ate » keyed as its acid (« valproate de sodium », « mycophénolate sodique »
 * and « alendronate monosodique » as « acide valproïque », « acide mycophénolique », « acide
 * alendronique »). A bare « -ate » with no acid form (« topiramate ») gets a key no other name
 * has, which is harmless: keys are only compared.
 */
export const moietyKey = memoized(computeMoietyKey);

function computeMoietyKey(substanceName: string): string {
  const dci = normalizeText(dciOfSubstance(substanceName));
  const key = dci.split(' ').filter((word, i) => i === 0 || !SALT_WORD.test(word)).join(' ');
  const stem = (CATION_OF.exec(key) ?? BARE_SALT.exec(key))?.[1];
  return stem === undefined || MINERAL_ANION.test(stem) ? key : `acide ${stem}ique`;
}

const moietiesOf = new WeakMap<NonNullable<CheckLine['drug']>, ReadonlyMap<string, string>>();

/**
 * One line's moieties: its key → the name to print (the therapeutic moiety's when the BDPM gives
 * one). The BDPM pairs a substance with its therapeutic moiety (« DICLOFÉNAC DE DIÉTHYLAMINE »,
 * « DICLOFÉNAC »); without the pairing in the frozen copy, a name whose words hold all the words
 * of another of the same line is that one's salt or ester and is not counted apart.
 */
export function lineMoieties(drug: NonNullable<CheckLine['drug']>): ReadonlyMap<string, string> {
  // The duplicate check and the dose checks both ask, for the same frozen copies.
  let moieties = moietiesOf.get(drug);
  if (moieties === undefined) {
    moieties = computeLineMoieties(drug);
    moietiesOf.set(drug, moieties);
  }
  return moieties;
}

function computeLineMoieties(drug: NonNullable<CheckLine['drug']>): Map<string, string> {
  const found = new Map<string, { name: string; ft: boolean }>();
  for (const s of drug.substances) {
    const key = moietyKey(s.name);
    if (key === '') continue;
    const ft = s.nature === 'FT';
    const seen = found.get(key);
    if (seen === undefined || (ft && !seen.ft)) found.set(key, { name: dciOfSubstance(s.name), ft });
  }
  const holdsAnother = (key: string) => {
    const own = key.split(' ');
    return [...found.keys()].some((other) => {
      if (other === key) return false;
      const rest = [...own];
      for (const w of other.split(' ')) {
        const at = rest.indexOf(w);
        if (at < 0) return false;
        rest.splice(at, 1);
      }
      // A salt or an ester adds a word or two (« de diéthylamine », « axétil »); a conjugate vaccine's
      // polysaccharide naming its carrier toxoid is another antigen.
      return rest.length > 0 && rest.length <= 2;
    });
  };
  return new Map([...found].filter(([key]) => !holdsAnother(key)).map(([key, v]) => [key, v.name]));
}

const timesWords = ['', 'une', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix'];
const linesCount = (n: number) => `${timesWords[n] ?? frenchNumber(n)} lignes`;
const listText = (numbers: readonly number[]) =>
  numbers.length === 1 ? String(numbers[0]) : `${numbers.slice(0, -1).join(', ')} et ${numbers[numbers.length - 1]}`;

/**
 * One warning per substance found on two or more drug lines, naming the lines (1-based in the
 * text, 0-based in `lines`). Free lines have no coded substance and are not compared.
 */
export function duplicateChecks(lines: readonly CheckLine[]): Finding[] {
  const byKey = new Map<string, { name: string; indexes: number[] }>();
  lines.forEach((l, index) => {
    if (l.line.kind !== 'drug' || l.drug === null) return;
    for (const [key, name] of lineMoieties(l.drug)) {
      const entry = byKey.get(key);
      if (entry === undefined) byKey.set(key, { name, indexes: [index] });
      else entry.indexes.push(index);
    }
  });
  const findings: Finding[] = [];
  for (const [key, { name, indexes }] of byKey) {
    if (indexes.length < 2) continue;
    const keys = indexes.map((i) => lines[i]!.line.key).sort();
    findings.push({
      id: `duplicate:${key}:${keys.join(',')}`,
      kind: 'duplicate',
      level: 'warning',
      blocking: false,
      overridable: false,
      // No agreement with the DCI: its gender is not known (« le paracétamol », « l’amoxicilline »).
      message: `${name} figure sur ${linesCount(indexes.length)} (lignes ${listText(indexes.map((i) => i + 1))}) : vérifiez qu’il ne s’agit pas d’un doublon, ou supprimez l’une des lignes.`,
      lines: indexes,
      source: 'Vérifications Ordo (doublons de substance)',
    });
  }
  return findings;
}
