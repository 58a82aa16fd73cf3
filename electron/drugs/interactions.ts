/**
 * Interaction lookup for the prescribing checks: given substance codes (BDPM CIS_COMPO codes),
 * the thesaurus rules between any two of them, matched through each substance's molecule and the
 * classes that molecule belongs to. Names are matched at lookup time, against the referential in
 * use, so a newer BDPM import needs no new thesaurus import.
 */
import type { DrugInteraction, InteractionLevel } from '../../shared/calls/drugs';
import { keyPrefixes, substanceKey } from '../../shared/domain/drugs';
import type { Db } from '../db/types';
import { readSubstanceNames } from './referential';

interface RuleRow {
  id: number;
  protagonist1: string;
  protagonist2: string;
  levels: string;
  severity: InteractionLevel;
  description: string;
  mechanism: string;
}

/** Molecules and classes a substance code stands for in the thesaurus. */
function protagonistsOf(rules: Db, referential: Db, code: string): { molecules: Set<string>; all: Set<string> } {
  const keys = [...new Set(readSubstanceNames(referential, code).flatMap((name) => keyPrefixes(substanceKey(name))))];
  const molecules = new Set<string>();
  const byKey = rules.prepare('SELECT name FROM molecule WHERE match_key = ?').pluck();
  for (const key of keys) for (const m of byKey.all(key) as string[]) molecules.add(m);
  const all = new Set(molecules);
  const classes = rules.prepare('SELECT class FROM molecule_class WHERE molecule = ?').pluck();
  for (const m of molecules) for (const c of classes.all(m) as string[]) all.add(c);
  return { molecules, all };
}

/** Rules whose two protagonists are among `count` names (see referential-schema.test.ts). */
export const rulesBetweenSql = (count: number) => {
  const placeholders = Array.from({ length: count }, () => '?').join(',');
  return `SELECT id, protagonist1, protagonist2, levels, severity, description, mechanism FROM rule
       WHERE protagonist1 IN (${placeholders}) AND protagonist2 IN (${placeholders}) ORDER BY id`;
};

export function findInteractions(rules: Db, referential: Db, substanceCodes: readonly string[], ruleSetVersion: string): DrugInteraction[] {
  const codes = [...new Set(substanceCodes)];
  const sides = codes.map((code) => ({ code, ...protagonistsOf(rules, referential, code) }));
  const names = [...new Set(sides.flatMap((s) => [...s.all]))];
  if (names.length === 0) return [];
  const candidates = rules.prepare(rulesBetweenSql(names.length)).all(...names, ...names) as RuleRow[];
  const found: DrugInteraction[] = [];
  for (let i = 0; i < sides.length; i++) {
    for (let j = i + 1; j < sides.length; j++) {
      const a = sides[i]!;
      const b = sides[j]!;
      // Two codes of one drug (a salt and its base) are the same substance, not an interaction.
      if ([...a.molecules].some((m) => b.molecules.has(m))) continue;
      for (const rule of candidates) {
        const forward = a.all.has(rule.protagonist1) && b.all.has(rule.protagonist2);
        const backward = b.all.has(rule.protagonist1) && a.all.has(rule.protagonist2);
        if (!forward && !backward) continue;
        found.push({
          substanceCodes: forward ? [a.code, b.code] : [b.code, a.code],
          protagonists: [rule.protagonist1, rule.protagonist2],
          levels: rule.levels.split(',') as InteractionLevel[],
          severity: rule.severity,
          description: rule.description,
          mechanism: rule.mechanism,
          ruleSetVersion,
        });
      }
    }
  }
  const order: Record<InteractionLevel, number> = { CI: 0, AD: 1, PE: 2, PC: 3 };
  return found.sort((x, y) => order[x.severity] - order[y.severity]);
}
