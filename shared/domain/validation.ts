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

/** A trimmed, required text field with a French message (« Le nom est obligatoire », « Les prénoms sont obligatoires »). */
export function requiredText(label: string, max = 200, grammar: LabelGrammar = {}) {
  return z
    .string({ error: requiredOf(label, grammar) })
    .trim()
    .min(1, { error: requiredOf(label, grammar) })
    .max(max, { error: tooLongOf(label, max, grammar) });
}

/** A trimmed optional text field ('' when absent). */
export function optionalText(label: string, max = 200, grammar: LabelGrammar = {}) {
  return z
    .string({ error: `${label} ${grammar.plural === true ? 'doivent' : 'doit'} être un texte.` })
    .trim()
    .max(max, { error: tooLongOf(label, max, grammar) });
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
