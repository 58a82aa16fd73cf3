/**
 * Interaction lookup for the prescribing checks: given substance codes (BDPM CIS_COMPO codes),
 * the thesaurus rules between any two of them, matched through each substance's molecule and the
 * classes that molecule belongs to. Names are matched at lookup time, against the referential in
 * use, so a newer BDPM import needs no new thesaurus import.
 */
import type { DrugInteraction, InteractionLevel } from '../../shared/calls/drugs';
import type { DrugInteractionItem } from '../../shared/calls/interactions';
import { keyPrefixes, substanceKey } from '../../shared/domain/dci';
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

type Protagonist = DrugInteractionItem['via'];

const severityOrder: Record<InteractionLevel, number> = { CI: 0, AD: 1, PE: 2, PC: 3 };

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
  return found.sort((x, y) => severityOrder[x.severity] - severityOrder[y.severity]);
}

interface DrugRuleRow extends RuleRow {
  text_ci: string;
  text_ad: string;
  text_pe: string;
  text_pc: string;
}

/** "CI - ASDEC - APEC Contre-indication avec…" → "Contre-indication avec…" (the codes say what `levels` says). */
export const withoutLevelCodes = (text: string) => text.trim().replace(/^(?:CI|ASDEC|PE|APEC)(?:\s*-\s*(?:CI|ASDEC|PE|APEC))*\s+/, '');

/** A single-level description opens with its level's name, which the card shows as a heading. */
const withoutLevelName = (text: string) =>
  withoutLevelCodes(text)
    .replace(/^(?:contre-indication|association d[ée]conseill[ée]e|pr[ée]caution d'emploi|a prendre en compte)\s*/i, '')
    .trim();

/** Rules whose protagonist1 or protagonist2 is among `count` names (index use: interactions.test.ts). */
export const rulesOfSql = (count: number) => {
  const placeholders = Array.from({ length: count }, () => '?').join(',');
  return `SELECT id, protagonist1, protagonist2, levels, severity, description, mechanism, text_ci, text_ad, text_pe, text_pc FROM rule
       WHERE protagonist1 IN (${placeholders}) OR protagonist2 IN (${placeholders}) ORDER BY id`;
};

/**
 * Every thesaurus rule that names one of these substances (a drug's composition) or one of their
 * classes, with the other protagonist, the risk and what to do; most severe first.
 */
export function interactionsOfSubstances(rules: Db, referential: Db, substanceCodes: readonly string[]): DrugInteractionItem[] {
  const own = new Set<string>();
  for (const code of new Set(substanceCodes)) for (const name of protagonistsOf(rules, referential, code).all) own.add(name);
  if (own.size === 0) return [];
  const names = [...own];
  const rows = rules.prepare(rulesOfSql(names.length)).all(...names, ...names) as DrugRuleRow[];
  const isMolecule = rules.prepare('SELECT 1 FROM molecule WHERE name = ?').pluck();
  const isClass = rules.prepare('SELECT 1 FROM molecule_class WHERE class = ? LIMIT 1').pluck();
  const kinds = new Map<string, Protagonist['kind']>();
  const protagonist = (name: string): Protagonist => {
    let kind = kinds.get(name);
    if (kind === undefined) {
      kind = isClass.get(name) !== undefined ? 'class' : isMolecule.get(name) !== undefined ? 'substance' : 'other';
      kinds.set(name, kind);
    }
    return { name, kind };
  };
  const found: DrugInteractionItem[] = [];
  for (const row of rows) {
    const forward = own.has(row.protagonist1);
    const via = forward ? row.protagonist1 : row.protagonist2;
    const other = forward ? row.protagonist2 : row.protagonist1;
    // A class this drug belongs to named with itself says nothing about another drug.
    if (other === via) continue;
    const risk = row.mechanism.trim() !== '' ? row.mechanism.trim() : withoutLevelName(row.description);
    const levelText = [row.text_ci, row.text_ad, row.text_pe, row.text_pc].map((t) => t.trim()).find((t) => t !== '');
    const fromDescription = withoutLevelName(row.description);
    const advice = levelText !== undefined ? withoutLevelCodes(levelText) : fromDescription !== risk ? fromDescription : '';
    found.push({
      ruleId: row.id,
      severity: row.severity,
      levels: row.levels.split(',') as InteractionLevel[],
      via: protagonist(via),
      with: protagonist(other),
      risk,
      advice,
    });
  }
  return found.sort((x, y) => severityOrder[x.severity] - severityOrder[y.severity] || x.with.name.localeCompare(y.with.name, 'fr'));
}
