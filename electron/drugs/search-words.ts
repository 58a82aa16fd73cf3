/**
 * The words the drug search indexes and how a query becomes terms. Plain words match by prefix,
 * as a GP types them ("amox"). Numbers are different: « 5 » is not « 2,5 » nor the start of a
 * pack code, and « 1 g » is a strength, not « 1 » somewhere and a word starting with « g ». So:
 *
 * - a number of the text is one term, decimal part included: « 2,5 » → `#2,5` (thousands joined:
 *   « 1 000 UI » → `#1000`); a number directly followed by a unit is also a strength term:
 *   « 500 mg/5 ml » → `#500`, `#500mg`, `#5`, `#5ml`; units keep their identity (« µg » is `ug`,
 *   never `g`); the `#` keeps numbers apart from pack codes, which are plain digit words;
 * - in a query, a number matches a whole number term (the last word, still being typed, also
 *   matches longer numbers, ranked after), a number with a unit matches that strength, and only
 *   from 5 digits up is a number also a code prefix (CIS, CIP7, CIP13); a CIP13 typed in groups
 *   (« 34009 3558 3 ») is one code.
 *
 * Pure functions: used at import (derive.ts) and per keystroke (search-index.ts).
 */

/** Unit spellings (normalised: lower case, no accents, µ as u) → the unit a strength term carries. */
const UNITS: Readonly<Record<string, string>> = {
  mg: 'mg',
  milligramme: 'mg',
  milligrammes: 'mg',
  g: 'g',
  gramme: 'g',
  grammes: 'g',
  kg: 'kg',
  ug: 'ug',
  mcg: 'ug',
  microgramme: 'ug',
  microgrammes: 'ug',
  ng: 'ng',
  nanogrammes: 'ng',
  ml: 'ml',
  millilitre: 'ml',
  millilitres: 'ml',
  l: 'l',
  litre: 'l',
  litres: 'l',
  dl: 'dl',
  cl: 'cl',
  ui: 'ui',
  mui: 'mui',
  u: 'u',
  mmol: 'mmol',
  meq: 'meq',
  mbq: 'mbq',
  gbq: 'gbq',
  kbq: 'kbq',
  ch: 'ch',
  dh: 'dh',
  '%': '%',
};
const unitSpellings = Object.keys(UNITS);

/** Lower case, accents and ligatures out, µ as u; decimal commas kept between digits; % kept. */
function clean(text: string): string {
  return text
    .replace(/[µμ]/g, 'u')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/gi, 'oe')
    .replace(/æ/gi, 'ae')
    .toLowerCase()
    .replace(/~/g, ' ')
    .replace(/(\d)[.,](?=\d)/g, '$1~')
    .replace(/[^a-z0-9%~]+/g, ' ')
    .replace(/~/g, ',')
    .trim();
}

/** « 1 000 000 » → « 1000000 »: groups of three digits after a short group are one number. */
const joinThousands = (text: string) => text.replace(/(?<![\d,])\d{1,3}(?: \d{3})+(?![\d,])/g, (m) => m.replace(/ /g, ''));

/** « 34009 3558 3 » → « 3400935583 »: digit groups that start a CIP13 (3400…) or a long code. */
const joinCodes = (text: string) =>
  text.replace(/(?<![\d,])\d+(?: \d+)+(?![\d,])/g, (m) => {
    const joined = m.replace(/ /g, '');
    return joined.length >= 7 && (joined.startsWith('3400') || m.split(' ')[0]!.length >= 5) ? joined : m;
  });

/** "500,00" → "500", "0,50" → "0,5", "007" stays as written (a code-like number). */
function canonicalNumber(n: string): string {
  if (!n.includes(',')) return n;
  const trimmed = n.replace(/0+$/, '').replace(/,$/, '');
  return trimmed;
}

type Piece = { kind: 'number'; value: string } | { kind: 'word'; value: string } | { kind: 'percent' };

/** Splits cleaned text into numbers, words and %: "500mg" → 500, mg; "b12" → b, 12; "1a" stays a word. */
function pieces(cleaned: string): Piece[] {
  const out: Piece[] = [];
  for (const chunk of cleaned.split(' ')) {
    for (const m of chunk.matchAll(/(\d+(?:,\d+)?)([a-z]*)|([a-z]+)|(%)/g)) {
      if (m[4] !== undefined) out.push({ kind: 'percent' });
      else if (m[3] !== undefined) out.push({ kind: 'word', value: m[3] });
      else if (m[2] === '' || UNITS[m[2]!] !== undefined || isUnitPrefix(m[2]!)) {
        out.push({ kind: 'number', value: m[1]! });
        if (m[2] !== '') out.push({ kind: 'word', value: m[2]! });
      } else {
        // "1a" (interféron bêta-1a), "3d": a name, not a number and a unit.
        out.push({ kind: 'word', value: m[0] });
      }
    }
  }
  return out;
}

const isUnitPrefix = (word: string) => word !== '' && unitSpellings.some((u) => u.startsWith(word));

const numberTerm = (n: string) => `#${canonicalNumber(n)}`;
const strengthTerm = (n: string, unit: string) => `#${canonicalNumber(n)}${unit}`;

/** The terms of a name or a DCI label, in order, without duplicates. */
export function indexTerms(text: string): string[] {
  const list = pieces(joinThousands(clean(text)));
  const terms = new Set<string>();
  list.forEach((p, i) => {
    if (p.kind === 'word') terms.add(p.value);
    else if (p.kind === 'number') {
      terms.add(numberTerm(p.value));
      const next = list[i + 1];
      const unit = next?.kind === 'percent' ? '%' : next?.kind === 'word' ? UNITS[next.value] : undefined;
      if (unit !== undefined) terms.add(strengthTerm(p.value, unit));
    }
  });
  return [...terms];
}

/** One alternative a query word may match: a term exactly, or any term it starts. */
export interface TermMatch {
  term: string;
  exact: boolean;
}

/**
 * One query word. A record matches it when one of `alternatives` matches; failing that, one of
 * `looser` (the last word only: « 50 » while typing « 500 »), ranked after every `alternatives` match.
 */
export interface QueryTerm {
  alternatives: TermMatch[];
  looser: TermMatch[];
  /** Digits that may be a pack code (5 digits and more): to show which box matched. */
  code: string | null;
}

/** "amox 500 mg" → [amox…, #500mg]; "eliquis 5" → [eliquis…, #5 (then #5…)]; "" → []. */
export function queryTerms(query: string): QueryTerm[] {
  const list = pieces(joinThousands(joinCodes(clean(query))));
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  const push = (term: QueryTerm) => {
    const key = JSON.stringify(term);
    if (seen.has(key)) return;
    seen.add(key);
    terms.push(term);
  };
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    const last = i === list.length - 1;
    if (p.kind === 'percent') continue;
    if (p.kind === 'word') {
      push({ alternatives: [{ term: p.value, exact: false }], looser: [], code: null });
      continue;
    }
    const next = list[i + 1];
    const nextLast = i + 1 === list.length - 1;
    if (next?.kind === 'percent') {
      push({ alternatives: [{ term: strengthTerm(p.value, '%'), exact: true }], looser: [], code: null });
      i += 1;
      continue;
    }
    if (next?.kind === 'word') {
      const unit = UNITS[next.value];
      // The unit being typed ("500 m"): every unit it starts, as well as a complete one.
      const started = nextLast ? [...new Set(unitSpellings.filter((u) => u.startsWith(next.value)).map((u) => UNITS[u]!))] : [];
      if (unit !== undefined || started.length > 0) {
        const exact = unit === undefined ? started : [unit];
        push({
          alternatives: exact.map((u) => ({ term: strengthTerm(p.value, u), exact: true })),
          looser: started.filter((u) => !exact.includes(u)).map((u) => ({ term: strengthTerm(p.value, u), exact: true })),
          code: null,
        });
        i += 1;
        continue;
      }
    }
    const isCode = /^\d{5,13}$/.test(p.value);
    push({
      alternatives: [{ term: numberTerm(p.value), exact: true }, ...(isCode ? [{ term: p.value, exact: false }] : [])],
      // Typing "50" on the way to "500": longer numbers, after the exact ones.
      looser: last && !p.value.includes(',') ? [{ term: numberTerm(p.value), exact: false }] : [],
      code: isCode ? p.value : null,
    });
  }
  return terms;
}
