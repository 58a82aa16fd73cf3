/**
 * The interaction and allergy checks of a draft, over the rule set the drug domain loads (the
 * installed thesaurus, else the starter set): what `runChecks` calls `InteractionRules`.
 */
import { allergyFindings, interactionFindings, searchAllergens, type LoadedRuleSet } from '../drugs/api';
import type { InteractionRules } from './checks';

export function interactionRulesOf(load: () => Promise<LoadedRuleSet | undefined>): () => Promise<InteractionRules | undefined> {
  return async () => {
    const set = await load();
    if (set === undefined) return undefined;
    return {
      ruleSet: set.ruleSet,
      interactions: (lines, treatments) => interactionFindings(set, lines, treatments),
      allergies: (lines, allergies) => allergyFindings(set, lines, allergies),
      search: (query, limit) => searchAllergens(set, query, limit),
    };
  };
}
