import { z } from 'zod';
import { withoutSeparators, type CheckResult } from './identifiers';
import { frenchNumber } from './numbers';
import { cleanText, hasRefusedCharacter, stripUnsafe } from './text';

// Zod's own messages (unknown key, wrong type…) reach the user too: in French, everywhere this
// module is loaded (the main process and the renderer both load it through the contract).
z.config(z.locales.fr());

export interface LabelGrammar {
  /** The label is plural (« Les prénoms »): its verbs and adjectives agree. */
  plural?: boolean;
}

const requiredOf = (label: string, g: LabelGrammar) => `${label} ${g.plural === true ? 'sont obligatoires' : 'est obligatoire'}.`;
const tooLongOf = (label: string, max: number, g: LabelGrammar) =>
  `${label} ${g.plural === true ? 'ne doivent' : 'ne doit'} pas dépasser ${frenchNumber(max)} caractères.`;

const notTextOf = (label: string, g: LabelGrammar) =>
  `${label} ${g.plural === true ? 'contiennent' : 'contient'} un caractère de contrôle ou de mise en forme : retapez le texte.`;

/**
 * Every string of the contract has a length limit; these are the ones several fields share.
 * Lengths are counted in UTF-16 units after NFC, never fewer than the characters SQLite's
 * length() counts, so a CHECK on a length can never refuse what the contract let through.
 */
export const TEXT_LIMITS = {
  /** RFC 5321: a forward-path of 256 octets, 254 for the address itself. */
  email: 254,
  phone: 30,
  fileName: 255,
  path: 4096,
  /** A search box. */
  query: 200,
} as const;

/** Past this, a raw value is refused before it is normalised or searched (a megabyte pasted). */
const rawMaxOf = (max: number) => max * 4 + 64;

export interface TextOptions extends LabelGrammar {
  /** Multi-line text: LF kept (CRLF read as LF), every other control character refused. */
  lines?: boolean;
}

const lfOnly = (value: string) => value.replace(/\r\n/g, '\n');

/**
 * The text policy (shared/domain/text.ts) as a schema: refused characters anywhere in the raw
 * value (edges too) with a message naming the field, then spaces and invisible characters trimmed
 * at both ends (a value of zero-width spaces is empty), NFC, and the length limit.
 */
function policyText(label: string, max: number, options: TextOptions, required: boolean) {
  const kind = options.lines === true ? 'lines' : 'line';
  const tooLong = { error: tooLongOf(label, max, options) };
  const typeError = required ? requiredOf(label, options) : `${label} ${options.plural === true ? 'doivent' : 'doit'} être un texte.`;
  return z
    .string({ error: typeError })
    .max(rawMaxOf(max), { ...tooLong, abort: true })
    .refine((value) => !hasRefusedCharacter(kind === 'lines' ? lfOnly(value) : value, kind), { error: notTextOf(label, options), abort: true })
    .transform((value) => cleanText(kind === 'lines' ? lfOnly(value) : value))
    .pipe(
      z
        .string()
        .min(required ? 1 : 0, { error: requiredOf(label, options) })
        .max(max, tooLong),
    );
}

/** A required text field with a French message (« Le nom est obligatoire », « Les prénoms sont obligatoires »). */
export function requiredText(label: string, max = 200, options: TextOptions = {}) {
  return policyText(label, max, options, true);
}

/** An optional text field ('' when empty or absent, with `.default('')`). */
export function optionalText(label: string, max = 200, options: TextOptions = {}) {
  return policyText(label, max, options, false);
}

/**
 * A string that is not typed as text (an address to download from, a path, a code) still follows
 * the policy's characters: the refinement to add to its own schema.
 */
export const cleanCharacters = (label: string, grammar: LabelGrammar = {}) =>
  [(value: string) => !hasRefusedCharacter(value), { error: notTextOf(label, grammar), abort: true }] as const;

/**
 * What a search box may send: at most `max` characters; refused characters become spaces (a
 * search never fails for a pasted tab or a stray control character), NFC.
 */
export function searchText(label: string, max: number = TEXT_LIMITS.query) {
  return z
    .string({ error: `${label} doit être un texte.` })
    .max(max, { error: tooLongOf(label, max, {}) })
    .transform((value) => stripUnsafe(value).normalize('NFC'));
}

/** Spreadsheet formulas: a cell starting with one of these is run by Excel or LibreOffice, never a name. */
export const FORMULA_START = /^[=+\-@]/;

/** Letters of any script that show nothing: not a name's letter. */
const BLANK_LETTERS = /[\u115f\u1160\u3164\uffa0]/u;
/**
 * Letters (any script) and their accents, and what separates the words of a name. No digit: an
 * identity trait has none (« Dupont2 » is a typo, not a name).
 */
const NAME_CHARACTER = /[\p{L}\p{M} '’ʼ‘\-‐.]/u;
const FIRST_NAMES_CHARACTER = /[\p{L}\p{M} '’ʼ‘\-‐.,]/u;

export interface NameOptions extends LabelGrammar {
  /** A list of first names: a comma may separate them. */
  firstNames?: boolean;
}

/**
 * Why a (trimmed, NFC) name is not one, or null. An identity trait (DOMAIN.md §3) is letters with
 * their accents, in any script (« Иванов », « 王 »: a patient's name as their papers write it),
 * separated by spaces, hyphens and apostrophes; a name starts with a letter, so a spreadsheet
 * formula (« =HYPERLINK(…) », « +33… », « -Martin », « @SOMME ») is never taken for one — the CSV
 * import reads its cells through the same rule.
 */
export function nameProblem(value: string, label: string, options: NameOptions = {}): string | null {
  if (value === '') return null;
  const plural = options.plural === true;
  if (FORMULA_START.test(value)) {
    return `${label} ${plural ? 'ne peuvent' : 'ne peut'} pas commencer par « ${value[0]} » : ce serait une formule de tableur, pas un nom.`;
  }
  const allowed = options.firstNames === true ? FIRST_NAMES_CHARACTER : NAME_CHARACTER;
  let odd: string | undefined;
  for (const c of value) {
    if (!allowed.test(c) || BLANK_LETTERS.test(c)) {
      odd = c;
      break;
    }
  }
  if (odd !== undefined) {
    const shown = /[\p{L}\p{N}\p{P}\p{S}]/u.test(odd) ? `« ${odd} »` : `un caractère invisible (U+${(odd.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`;
    return `${label} ${plural ? 'contiennent' : 'contient'} ${shown} : seuls les lettres, les espaces, les traits d’union, les apostrophes${options.firstNames === true ? ', les virgules' : ''} et les points sont acceptés.`;
  }
  if (!/^\p{L}/u.test(value)) return `${label} ${plural ? 'doivent' : 'doit'} commencer par une lettre.`;
  return null;
}

function nameOf(label: string, max: number, options: NameOptions, required: boolean) {
  return policyText(label, max, options, required).superRefine((value, ctx) => {
    const problem = nameProblem(value, label, options);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A required name or list of first names (the patient's, the prescriber's). */
export function requiredName(label: string, max: number, options: NameOptions = {}) {
  return nameOf(label, max, options, true);
}

/** An optional name ('' when empty): a used name. */
export function optionalName(label: string, max: number, options: NameOptions = {}) {
  return nameOf(label, max, options, false);
}

/** Digits typed with spaces, dots or dashes ("123 456 789 01") become bare digits, then `check` runs. */
export function checkedDigits(label: string, check: (value: string) => CheckResult) {
  return z
    .string({ error: `${label} est obligatoire.` })
    .max(64, { error: `${label} est trop long.`, abort: true })
    .transform(withoutSeparators)
    .superRefine((value, ctx) => {
      const result = check(value);
      if (!result.valid) ctx.addIssue({ code: 'custom', message: result.reason ?? `${label} est invalide.` });
    });
}

/** Zod issues → one French message per field path (the first one wins). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    fields[path] ??= issue.message;
  }
  return fields;
}
