/**
 * The five BDPM files (DOMAIN.md §4): which are required, how many columns a line needs, and how
 * a line becomes a row or is rejected with a French reason. Pure functions over split lines.
 */
import { checkCip13 } from '../../shared/domain/identifiers';
import { parseDate } from '../../shared/domain/dates';
import { genericTypeCodes, isMarketed, priceToCents } from '../../shared/domain/drugs';
import type { CompositionPart } from '../../shared/domain/dci';

export const bdpmFileNames = ['CIS_bdpm.txt', 'CIS_CIP_bdpm.txt', 'CIS_COMPO_bdpm.txt', 'CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt'] as const;
export type BdpmFileName = (typeof bdpmFileNames)[number];

/** A release without these cannot be prescribed from; the others only enrich it. */
export const requiredFiles: ReadonlySet<BdpmFileName> = new Set(['CIS_bdpm.txt', 'CIS_CIP_bdpm.txt']);

export interface SpecialtyRow {
  cis: string;
  name: string;
  form: string;
  routes: string[];
  authorizationStatus: string;
  procedure: string;
  marketingStatus: string;
  marketed: boolean;
  authorizationDate: string | null;
  bdmStatus: string;
  euNumber: string;
  holders: string[];
  enhancedMonitoring: boolean;
}

export interface PackRow {
  cis: string;
  cip7: string;
  label: string;
  administrativeStatus: string;
  marketingStatus: string;
  declarationDate: string | null;
  cip13: string;
  collectivities: boolean | null;
  reimbursementRate: string;
  priceCents: number | null;
  priceWithFeeCents: number | null;
  feeCents: number | null;
  indications: string;
}

/** A composition row is what the DCI label reads, and its CIS. */
export interface CompositionRow extends CompositionPart {
  cis: string;
}

export interface GenericRow {
  groupId: string;
  label: string;
  cis: string;
  type: number;
  sortOrder: number | null;
}

export interface ConditionRow {
  cis: string;
  condition: string;
}

export type Parsed<T> = { ok: true; row: T } | { ok: false; reason: string };

interface FileSpec<T> {
  /** Columns a line must have: the documented ones, minus trailing ones releases have dropped. */
  minColumns: number;
  documentedColumns: number;
  /**
   * Whether non-empty columns past the documented ones are text of the last column (stray tabs
   * in the CIP's indications, a condition's text) rather than a line whose columns moved.
   */
  lastColumnAbsorbs: boolean;
  parse(fields: readonly string[]): Parsed<T>;
}

const reject = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
/** Trimmed, inner runs of spaces collapsed (the regex only when needed: this runs per field). */
function clean(value: string | undefined): string {
  const text = (value ?? '').trim();
  return text.includes('  ') ? text.replace(/\s+/g, ' ') : text;
}
const list = (value: string | undefined) =>
  clean(value)
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v !== '');
const optionalInt = (value: string | undefined) => (/^\d+$/.test(clean(value)) ? Number(clean(value)) : null);

function checkCis(cis: string): string | undefined {
  return /^\d{8}$/.test(cis) ? undefined : `code CIS invalide « ${cis} » (8 chiffres attendus)`;
}

const specialty: FileSpec<SpecialtyRow> = {
  minColumns: 11,
  documentedColumns: 12,
  lastColumnAbsorbs: false,
  parse(f) {
    const cis = clean(f[0]);
    const bad = checkCis(cis);
    if (bad !== undefined) return reject(bad);
    const name = clean(f[1]);
    if (name === '') return reject('dénomination vide');
    const marketingStatus = clean(f[6]);
    return {
      ok: true,
      row: {
        cis,
        name,
        form: clean(f[2]),
        routes: list(f[3]),
        authorizationStatus: clean(f[4]),
        procedure: clean(f[5]),
        marketingStatus,
        marketed: isMarketed(marketingStatus),
        authorizationDate: parseDate(clean(f[7])),
        bdmStatus: clean(f[8]),
        euNumber: clean(f[9]),
        holders: list(f[10]),
        enhancedMonitoring: clean(f[11]).toLowerCase() === 'oui',
      },
    };
  },
};

const pack: FileSpec<PackRow> = {
  minColumns: 7,
  documentedColumns: 13,
  lastColumnAbsorbs: true,
  parse(f) {
    const cis = clean(f[0]);
    const badCis = checkCis(cis);
    if (badCis !== undefined) return reject(badCis);
    const cip7 = clean(f[1]);
    if (!/^\d{7}$/.test(cip7)) return reject(`code CIP7 invalide « ${cip7} » (7 chiffres attendus)`);
    const cip13 = clean(f[6]);
    const check = checkCip13(cip13);
    if (!check.valid) return reject(`code CIP13 invalide « ${cip13} » : ${check.reason ?? 'clé incorrecte'}`);
    const collectivities = clean(f[7]).toLowerCase();
    const prices: (number | null)[] = [];
    for (const [column, what] of [[9, 'prix'], [10, 'prix honoraire compris'], [11, 'honoraire']] as const) {
      const text = clean(f[column]);
      const cents = priceToCents(text);
      if (text !== '' && cents === null) return reject(`${what} invalide « ${text} » (ex. 12,34 ou 1,234,56 attendu)`);
      prices.push(cents);
    }
    const [priceCents = null, priceWithFeeCents = null, feeCents = null] = prices;
    return {
      ok: true,
      row: {
        cis,
        cip7,
        label: clean(f[2]),
        administrativeStatus: clean(f[3]),
        marketingStatus: clean(f[4]),
        declarationDate: parseDate(clean(f[5])),
        cip13,
        collectivities: collectivities === 'oui' ? true : collectivities === 'non' ? false : null,
        reimbursementRate: clean(f[8]).replace(/\s*%/g, ' %'),
        priceCents,
        priceWithFeeCents,
        feeCents,
        // The last column may hold HTML (<br>) and stray tabs: keep everything after column 12.
        indications: f.slice(12).join(' ').trim(),
      },
    };
  },
};

const composition: FileSpec<CompositionRow> = {
  minColumns: 7,
  documentedColumns: 8,
  lastColumnAbsorbs: false,
  parse(f) {
    const cis = clean(f[0]);
    const bad = checkCis(cis);
    if (bad !== undefined) return reject(bad);
    const substanceCode = clean(f[2]);
    if (!/^\d{1,10}$/.test(substanceCode)) return reject(`code substance invalide « ${substanceCode} »`);
    const nature = clean(f[6]).toUpperCase();
    if (nature !== 'SA' && nature !== 'FT') return reject(`nature « ${clean(f[6])} » inconnue (SA ou FT attendu)`);
    return {
      ok: true,
      row: {
        cis,
        element: clean(f[1]),
        substanceCode,
        substanceName: clean(f[3]),
        strength: clean(f[4]),
        strengthReference: clean(f[5]),
        nature,
        linkNumber: optionalInt(f[7]),
      },
    };
  },
};

const generic: FileSpec<GenericRow> = {
  minColumns: 4,
  documentedColumns: 5,
  lastColumnAbsorbs: false,
  parse(f) {
    const groupId = clean(f[0]);
    if (!/^\d{1,10}$/.test(groupId)) return reject(`identifiant de groupe générique invalide « ${groupId} »`);
    const cis = clean(f[2]);
    const bad = checkCis(cis);
    if (bad !== undefined) return reject(bad);
    const type = clean(f[3]);
    if (!/^\d$/.test(type) || !genericTypeCodes.includes(Number(type))) {
      return reject(`type générique invalide « ${type} » (${genericTypeCodes.slice(0, -1).join(', ')} ou ${genericTypeCodes.at(-1)} attendu)`);
    }
    return { ok: true, row: { groupId, label: clean(f[1]), cis, type: Number(type), sortOrder: optionalInt(f[4]) } };
  },
};

const condition: FileSpec<ConditionRow> = {
  minColumns: 2,
  documentedColumns: 2,
  lastColumnAbsorbs: true,
  parse(f) {
    const cis = clean(f[0]);
    const bad = checkCis(cis);
    if (bad !== undefined) return reject(bad);
    const text = clean(f.slice(1).join(' '));
    if (text === '') return reject('condition de prescription vide');
    return { ok: true, row: { cis, condition: text } };
  },
};

export const fileSpecs = {
  'CIS_bdpm.txt': specialty,
  'CIS_CIP_bdpm.txt': pack,
  'CIS_COMPO_bdpm.txt': composition,
  'CIS_GENER_bdpm.txt': generic,
  'CIS_CPD_bdpm.txt': condition,
} as const;

export type RowOf<F extends BdpmFileName> = (typeof fileSpecs)[F] extends FileSpec<infer T> ? T : never;

/** Splits a line on tabs and drops trailing empty columns beyond the documented count (some files carry one tab too many). */
function fieldsOf(spec: FileSpec<unknown>, text: string): string[] {
  const fields = text.split('\t');
  while (fields.length > spec.documentedColumns && fields[fields.length - 1]!.trim() === '') fields.pop();
  return fields;
}

function columnProblemOf(spec: FileSpec<unknown>, fields: readonly string[]): string | undefined {
  const n = fields.length;
  if (n >= spec.minColumns && (n <= spec.documentedColumns || spec.lastColumnAbsorbs)) return undefined;
  return `${n} colonne${n > 1 ? 's' : ''} au lieu de ${spec.documentedColumns}`;
}

/**
 * Whether the line has the wrong number of columns (too few, or too many where the last column
 * does not take the rest): the sign of a cut, misaligned or foreign file when many lines have it.
 */
export function hasWrongColumnCount(file: BdpmFileName, text: string): boolean {
  const spec = fileSpecs[file] as FileSpec<unknown>;
  return columnProblemOf(spec, fieldsOf(spec, text)) !== undefined;
}

/** Splits a line on tabs, checks the column count, and reads the row. */
export function parseLine<F extends BdpmFileName>(file: F, text: string): Parsed<RowOf<F>> {
  const spec = fileSpecs[file] as FileSpec<RowOf<F>>;
  const fields = fieldsOf(spec, text);
  const problem = columnProblemOf(spec, fields);
  return problem === undefined ? spec.parse(fields) : reject(problem);
}

/** Blank lines (spaces, tabs only) are skipped, not rejected. */
export const isBlank = (text: string) => text.trim() === '';
