import { z } from 'zod';
import { withoutSeparators, type CheckResult } from './identifiers';
import { frenchNumber } from './numbers';

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

/**
 * What no one types in a one-line field: control characters (NUL, ESC, BEL, tab, CR, LF…), line
 * and paragraph separators, bidirectional overrides and isolates, lone surrogates. Stored, they
 * break the database's text functions, the terminal and what is printed.
 */
// eslint-disable-next-line no-control-regex -- these control characters are what the rule refuses
const NOT_TEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;
const notTextOf = (label: string, g: LabelGrammar) =>
  `${label} ${g.plural === true ? 'contiennent' : 'contient'} un caractère de contrôle ou de mise en forme : retapez le texte.`;

/** A trimmed, required one-line text field with a French message (« Le nom est obligatoire », « Les prénoms sont obligatoires »). */
export function requiredText(label: string, max = 200, grammar: LabelGrammar = {}) {
  return z
    .string({ error: requiredOf(label, grammar) })
    .trim()
    .normalize('NFC')
    .min(1, { error: requiredOf(label, grammar) })
    .max(max, { error: tooLongOf(label, max, grammar) })
    .refine((value) => !NOT_TEXT.test(value), { error: notTextOf(label, grammar) });
}

/** A trimmed optional one-line text field ('' when absent). */
export function optionalText(label: string, max = 200, grammar: LabelGrammar = {}) {
  return z
    .string({ error: `${label} ${grammar.plural === true ? 'doivent' : 'doit'} être un texte.` })
    .trim()
    .normalize('NFC')
    .max(max, { error: tooLongOf(label, max, grammar) })
    .refine((value) => !NOT_TEXT.test(value), { error: notTextOf(label, grammar) });
}

/** Digits typed with spaces, dots or dashes ("123 456 789 01") become bare digits, then `check` runs. */
export function checkedDigits(label: string, check: (value: string) => CheckResult) {
  return z
    .string({ error: `${label} est obligatoire.` })
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
