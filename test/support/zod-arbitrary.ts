/**
 * Inputs for fuzzing a contract call, derived from its zod schema and its valid `example`: one
 * leaf of the example at a time is replaced, most often by another value its schema accepts (so
 * the input reaches the service and exercises it), otherwise by something it must refuse (a wrong
 * type, a value out of range, hostile text, a missing or unknown key). A file's bytes in base64
 * become CSV-shaped bytes, so an import reaches its parser rather than stopping at base64.
 */
import fc from 'fast-check';
import type { z } from 'zod';

type Path = readonly (string | number)[];

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  items?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  checks?: { _zod: { def: { check: string; minimum?: number; maximum?: number; value?: number; inclusive?: boolean; format?: string; pattern?: RegExp } } }[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch']);

/** The schema a value is checked against, through optional/nullable/default wrappers and pipes. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type) && def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in;
    else return current;
  }
  return current;
}

/** The schema of the value at `path` inside a value of `schema`. */
function schemaAt(schema: z.ZodType, path: Path, value: unknown): z.ZodType | undefined {
  let current = schema;
  let here: unknown = value;
  for (const key of path) {
    const def = defOf(unwrap(current));
    if (def.type === 'object' && typeof key === 'string') current = def.shape?.[key] as z.ZodType;
    else if (def.type === 'array' && typeof key === 'number') current = def.element!;
    else if (def.type === 'tuple' && typeof key === 'number') current = def.items![key]!;
    else if (def.type === 'union') {
      const option = def.options!.find((o) => o.safeParse(here).success);
      if (option === undefined) return undefined;
      return schemaAt(option, path.slice(path.indexOf(key)), here);
    } else return undefined;
    if (current === undefined) return undefined;
    here = (here as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Paths to the primitive values of a JSON value (and to its empty arrays). */
export function leavesOf(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((v, i) => leavesOf(v, [...path, i]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => leavesOf(v, [...path, k]));
  return [path];
}

function setAt(value: unknown, path: Path, leaf: unknown, remove = false): unknown {
  if (path.length === 0) return leaf;
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) }) as Record<string | number, unknown>;
  if (rest.length === 0 && remove) {
    if (Array.isArray(copy)) return (copy as unknown[]).filter((_, i) => i !== key);
    return Object.fromEntries(Object.entries(copy).filter(([k]) => k !== key));
  }
  copy[key] = setAt(copy[key], rest, leaf, remove);
  return copy;
}

function bounds(def: Def): { min?: number | undefined; max?: number | undefined; int: boolean; pattern?: RegExp } {
  const out: { min?: number | undefined; max?: number | undefined; int: boolean; pattern?: RegExp } = { int: false };
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'min_length' || c.check === 'length_equals') out.min = c.minimum ?? c.value;
    if (c.check === 'max_length' || c.check === 'length_equals') out.max = c.maximum ?? c.value;
    if (c.check === 'greater_than') out.min = c.value;
    if (c.check === 'less_than') out.max = c.value;
    if (c.check === 'number_format') out.int = true;
    if (c.check === 'string_format' && c.format === 'regex' && c.pattern !== undefined) out.pattern = c.pattern;
  }
  return out;
}

/**
 * Text that broke Ordo once, or would: a NUL at the start (SQLite's length() stops there), terminal
 * escape sequences, BEL, CR/LF, line separators, bidi overrides, isolates and marks, zero-width-only
 * and whitespace-only values, lone surrogates, spreadsheet formulas, other scripts, and a value of
 * a million characters.
 */
export const NASTY_TEXT = [
  '\u0000',
  '\u0000Martin',
  'Mar\u0000tin',
  '\u001b[31mRouge\u001b[0m',
  '\u001b]0;titre\u0007',
  '\u009b31m',
  'Martin\u0007',
  'Martin\r\nDupont',
  'Martin\nDupont',
  'Mar\ttin',
  'Martin\u2028Dupont',
  'Martin\u2029',
  '\u202eMartin',
  'Mar\u2066tin\u2069',
  '\u200fMartin',
  'Martin\u061c',
  '\u200b',
  '\u200b\u200c\u200d\u2060\ufeff',
  '\u00a0\u3000',
  '\u3164',
  'Martin\ud800',
  '\udc00Martin',
  '=HYPERLINK("http://exemple.invalid")',
  '+33612345678',
  '-Martin',
  '@SUM(A1)',
  'Иванов Иван',
  '王 秀英',
  'He\u0301le\u0300ne',
  '\u0301',
  'ＭＡＲＴＩＮ',
  '💊',
  'a'.repeat(255),
  'é'.repeat(101),
  'x'.repeat(1_000_000),
];

/** Numbers at the bounds of the schema's CHECKs (weights, heights, clearances) and just past them. */
export const EDGE_NUMBERS = [0, -0, 0.04, 0.05, 0.3, 0.25, 19.95, 20, 249.95, 250, 250.04, 260, 260.1, 299.96, 300, 300.04, 499.96, 500, 500.04, 500.05, 1e-300, 1e308, -1];

/** Dates at the bounds of the schema's CHECKs (years 1000–2999) and of the contract's (1890). */
export const EDGE_DATES = ['01/01/1890', '31/12/1889', '1889-12-31', '01/01/1000', '31/12/2999', '01/01/3000', '30/02/2020', '00/01/2020', '29/02/2024', '0001-01-01', '9999-12-31'];

const FIRST_NAMES = ['Hélène', 'Zoé', 'Jean-Loïc', 'Anne Marie', 'Chloé', 'Noël', 'Maëlys', 'Œdipe'];
const LAST_NAMES = ['Lefèvre', "D'Artagnan", 'Le Goff', 'Ñúñez', 'Müller', 'Nguyễn', 'Dupont-Aignan', 'Martin'];

/** Bytes that look like another software's patient export: a known header, rows, an encoding. */
export const csvShapedBytes: fc.Arbitrary<Buffer> = fc
  .record({
    separator: fc.constantFrom(';', ',', '\t'),
    eol: fc.constantFrom('\n', '\r\n'),
    encoding: fc.constantFrom('utf8', 'latin1', 'utf16le'),
    bom: fc.boolean(),
    header: fc.shuffledSubarray(['Nom de naissance', 'Prénoms', 'Sexe', 'Date de naissance', 'NIR', 'Ville', 'CP', 'Courriel', 'Allergies', 'Autre'], { minLength: 2 }),
    rows: fc.array(
      fc.record({
        last: fc.oneof(fc.constantFrom(...LAST_NAMES), fc.string({ maxLength: 20 })),
        first: fc.oneof(fc.constantFrom(...FIRST_NAMES), fc.string({ maxLength: 20 })),
        sex: fc.constantFrom('F', 'M', 'I', 'Femme', 'homme', 'X', ''),
        date: fc.oneof(fc.date({ min: new Date('1900-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toLocaleDateString('fr-FR')), fc.string({ maxLength: 12 })),
        other: fc.string({ maxLength: 15 }),
        quoted: fc.boolean(),
      }),
      { maxLength: 12 },
    ),
  })
  .map(({ separator, eol, encoding, bom, header, rows }) => {
    const cell = (text: string, quoted: boolean) => (quoted || text.includes(separator) ? `"${text.replaceAll('"', '""')}"` : text);
    const lines = [
      header.join(separator),
      ...rows.map((r) =>
        header
          .map((h) => (h === 'Nom de naissance' ? r.last : h === 'Prénoms' ? r.first : h === 'Sexe' ? r.sex : h === 'Date de naissance' ? r.date : r.other))
          .map((v) => cell(v, r.quoted))
          .join(separator),
      ),
    ];
    const text = `${bom && encoding !== 'latin1' ? '\uFEFF' : ''}${lines.join(eol)}${eol}`;
    return Buffer.from(text, encoding);
  });

/** Values of the kind a schema takes; most pass it, refinements aside (checked by the caller). */
function candidates(schema: z.ZodType, example: unknown, path: Path): fc.Arbitrary<unknown> {
  if (path.at(-1) === 'contentBase64') return csvShapedBytes.map((b) => b.toString('base64'));
  const def = defOf(unwrap(schema));
  const wrapped = defOf(schema);
  const nullable = wrapped.type === 'nullable' || (wrapped.innerType !== undefined && defOf(wrapped.innerType).type === 'nullable');
  const orNull = (a: fc.Arbitrary<unknown>) => (nullable ? fc.oneof(a, fc.constant(null)) : a);
  const b = bounds(def);
  switch (def.type) {
    case 'string': {
      const max = Math.min(b.max ?? 60, 60);
      const min = Math.min(b.min ?? 0, max);
      const fromExample = typeof example === 'string' ? [fc.constantFrom(example, ` ${example} `, example.toUpperCase(), example.toLowerCase(), example.normalize('NFD'))] : [];
      const patterned = b.pattern !== undefined ? [fc.stringMatching(b.pattern).filter((s) => s.length >= min && s.length <= (b.max ?? Infinity))] : [];
      // The example with nasty text before, inside or after it: what a paste or a hostile client sends.
      const spliced =
        typeof example === 'string'
          ? [
              fc
                .tuple(fc.constantFrom(...NASTY_TEXT.filter((t) => t.length < 1000)), fc.oneof(fc.constant(0), fc.constant(example.length), fc.nat({ max: example.length })))
                .map(([t, at]) => `${example.slice(0, at)}${t}${example.slice(at)}`),
            ]
          : [];
      return orNull(
        fc.oneof(
          ...fromExample,
          ...patterned,
          ...spliced,
          fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }),
          fc.string({ minLength: min, maxLength: max, unit: 'binary' }),
          fc.constantFrom(...FIRST_NAMES, ...LAST_NAMES, ...EDGE_DATES),
          fc.constantFrom(...NASTY_TEXT),
        ),
      );
    }
    case 'number':
      return orNull(
        b.int
          ? fc.integer({ min: b.min ?? -1000, max: Math.min(b.max ?? 1_000_000, Number.MAX_SAFE_INTEGER) })
          : fc.oneof(fc.double({ min: b.min ?? -1000, max: b.max ?? 1000, noNaN: true }), fc.constantFrom(...EDGE_NUMBERS)),
      );
    case 'boolean':
      return orNull(fc.boolean());
    case 'enum':
      return orNull(fc.constantFrom(...Object.values(def.entries ?? {})));
    case 'literal':
      return fc.constantFrom(...(def.values ?? [example]));
    case 'union':
      // A number typed as text or as a number ("72,5" or 72.5): either, at the bounds too.
      return orNull(fc.oneof(fc.constant(example), fc.constantFrom(...EDGE_NUMBERS), fc.constantFrom(...EDGE_NUMBERS).map((n) => String(n).replace('.', ','))));
    default:
      return fc.constant(example);
  }
}

/** What a schema must refuse, or at least what a caller should never rely on. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, -1, 0, 1e308, Number.MAX_SAFE_INTEGER + 2, true, [], {}, '', ' ', 'a'.repeat(100_000), '=cmd|', '../../etc/passwd'),
  fc.constantFrom(...NASTY_TEXT, ...EDGE_NUMBERS, ...EDGE_DATES),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

export interface FuzzInput {
  input: unknown;
  /** A valid variant (meant to reach the service), or a mutation meant to be refused. */
  meant: 'valid' | 'invalid';
}

/** Inputs for one call: valid variants of its example, one leaf at a time, and invalid ones. */
export function fuzzInputs(schema: z.ZodType, example: unknown): fc.Arbitrary<FuzzInput> {
  const leaves = leavesOf(example).filter((p) => p.length > 0);
  const valid: fc.Arbitrary<unknown>[] = [fc.constant(example)];
  const invalid: fc.Arbitrary<unknown>[] = [hostile, fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), hostile).map(([k, v]) => ({ ...(example as object), [k]: v }))];
  if (leaves.length > 0) {
    const leaf = fc.constantFrom(...leaves);
    valid.push(
      leaf.chain((path) => {
        const at = schemaAt(schema, path, example);
        const current = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], example);
        // A candidate its refinements refuse falls back to the example: the input still reaches the service.
        return (at === undefined ? fc.constant(current) : candidates(at, current, path)).map((v) => {
          const input = setAt(example, path, v);
          return schema.safeParse(input).success ? input : example;
        });
      }),
    );
    invalid.push(
      fc.tuple(leaf, hostile).map(([path, v]) => setAt(example, path, v)),
      leaf.map((path) => setAt(example, path, undefined, true)),
    );
  }
  return fc.oneof(
    { weight: 4, arbitrary: fc.oneof(...valid).map((input): FuzzInput => ({ input, meant: 'valid' })) },
    { weight: 1, arbitrary: fc.oneof(...invalid).map((input): FuzzInput => ({ input, meant: 'invalid' })) },
  );
}
