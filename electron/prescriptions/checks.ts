/**
 * Every check of a draft, in one pass: the legal rules, the same substance twice, interactions
 * and allergies (the rule set the drug domain provides), and the clinical rules (pregnancy,
 * breast-feeding, kidneys, doses). Each module is pure over the lines' frozen copies and
 * the patient's record; this file only gathers them, attaches the GP's overrides and orders them.
 */
import type { Allergen } from '../../shared/calls/prescriptions';
import { clinicalChecks, clinicalRuleSet } from '../../shared/domain/clinical-checks';
import { duplicateChecks } from '../../shared/domain/duplicate-checks';
import { legalChecks } from '../../shared/domain/legal-checks';
import type { PrescriberProfile } from '../../shared/domain/profile';
import type { Check, CheckLine, CheckPatient, Finding, RuleSet } from '../../shared/domain/prescription';

/** The interaction rule set in use (drug domain): the thesaurus when installed, else the starter set. */
export interface InteractionRules {
  ruleSet: RuleSet;
  interactions(lines: readonly CheckLine[], treatments: CheckPatient['treatments']): Finding[];
  allergies(lines: readonly CheckLine[], allergies: CheckPatient['allergies']): Finding[];
  search(query: string, limit: number): Allergen[];
}

/** What the current referential says of a line's drug today (renewal, an old draft reopened). */
export interface LineToday {
  present: boolean;
  marketed: boolean;
}

export interface CheckInput {
  profile: PrescriberProfile | null;
  patient: CheckPatient;
  lines: readonly CheckLine[];
  /** Per line, in the same order: null for a free line. */
  today: readonly (LineToday | null)[];
  day: string;
  rules: InteractionRules | undefined;
  overrides: readonly { checkId: string; reason: string; at: string }[];
}

const levelOrder: Record<Check['level'], number> = { CI: 0, ASDEC: 1, PE: 2, warning: 3, APEC: 4, info: 5 };

export const legalRuleSet: RuleSet = {
  name: 'Règles de prescription (CSP)',
  version: '2026.12',
  coverage: 'mentions obligatoires, durées, renouvellements, stupéfiants, non-substitution, ALD',
  partial: false,
};

export function runChecks(input: CheckInput): { checks: Check[]; ruleSets: RuleSet[]; readyToSign: boolean } {
  const findings: Finding[] = [
    ...legalChecks({
      profile: input.profile,
      patient: input.patient,
      lines: input.lines.map((l, i) => ({ ...l, ...(input.today[i] === null || input.today[i] === undefined ? {} : { current: input.today[i] }) })),
      today: input.day,
    }),
    ...duplicateChecks(input.lines),
    ...clinicalChecks(input.lines, input.patient, input.day),
    ...(input.rules === undefined ? [] : [...input.rules.interactions(input.lines, input.patient.treatments), ...input.rules.allergies(input.lines, input.patient.allergies)]),
  ];
  const overrides = new Map(input.overrides.map((o) => [o.checkId, o]));
  const seen = new Set<string>();
  const checks: Check[] = [];
  for (const f of findings) {
    if (seen.has(f.id)) continue;
    seen.add(f.id);
    const o = f.overridable ? overrides.get(f.id) : undefined;
    checks.push({ ...f, override: o === undefined ? null : { reason: o.reason, at: o.at } });
  }
  const standing = (c: Check) => c.blocking && c.override === null;
  checks.sort((a, b) => Number(standing(b)) - Number(standing(a)) || levelOrder[a.level] - levelOrder[b.level] || (a.lines[0] ?? -1) - (b.lines[0] ?? -1));
  const ruleSets = [legalRuleSet, clinicalRuleSet, ...(input.rules === undefined ? [] : [input.rules.ruleSet])];
  return { checks, ruleSets, readyToSign: !checks.some(standing) };
}
