/**
 * The clinical checks of a draft (DOMAIN.md §7): pregnancy and breast-feeding, the kidneys (the
 * recorded creatinine clearance) and the maximum doses per 24 h (adult in mg, child in mg/kg from
 * the recorded weight), for the substances of clinical-rules.data.ts. A contraindication blocks
 * signing until the GP overrides it with a written reason; a threshold passed is a warning.
 *
 * What the record does not say is not invented: no clearance, no renal check; no weight for a
 * child, a note that the dose per kg could not be checked; a pregnancy without its start date,
 * the contraindications that depend on the term become warnings (« terme non renseigné »).
 */
import { clinicalRules, clinicalRulesVersion, type ClinicalRule, type DoseLimit, type PregnancyRule, type RenalThreshold, type RuleSource } from './clinical-rules.data';
import { lineSubstanceDoses, type SubstanceDose } from './daily-dose';
import { ageOn, formatDate, parseDate } from './dates';
import { moietyKey } from './duplicate-checks';
import { frenchCount, frenchNumber } from './numbers';
import type { CheckKind, CheckLine, CheckPatient, Finding, RuleSet } from './prescription';

export const CLINICAL_SOURCE = `Règles cliniques Ordo ${clinicalRulesVersion}`;

const combinations = clinicalRules.filter((r) => r.together !== undefined).length;
export const clinicalRuleSet: RuleSet = {
  name: 'Règles cliniques Ordo',
  version: clinicalRulesVersion,
  coverage: `${frenchCount(clinicalRules.length - combinations, 'substance', 'substances')}${combinations > 0 ? ` et ${frenchCount(combinations, 'association', 'associations')}` : ''} : grossesse, allaitement, rein, doses maximales`,
  partial: true,
};

/** Routes through which a drug reaches the blood: what the renal and dose rules are about. */
export const SYSTEMIC_ROUTES: ReadonlySet<string> = new Set(['orale', 'rectale', 'sublinguale', 'intraveineuse', 'intramusculaire', 'sous-cutanée', 'transdermique']);

/** Under this age a missing weight is worth a note when a dose per kg could not be checked. */
const CHILD_UNDER_YEARS = 18;

type KeyedRule = { rule: ClinicalRule; order: number; names: ReadonlySet<string>; together: readonly string[] };

/** Each rule set's rules by the moiety keys they name, built once (the checks run at every keystroke). */
const byKeyOf = new WeakMap<readonly ClinicalRule[], Map<string, KeyedRule[]>>();
function rulesByKey(rules: readonly ClinicalRule[]): Map<string, KeyedRule[]> {
  let index = byKeyOf.get(rules);
  if (index === undefined) {
    index = new Map();
    for (const [order, rule] of rules.entries()) {
      const keyed: KeyedRule = { rule, order, names: new Set(rule.names.map(moietyKey)), together: (rule.together ?? []).map(moietyKey) };
      for (const k of keyed.names) index.set(k, [...(index.get(k) ?? []), keyed]);
    }
    byKeyOf.set(rules, index);
  }
  return index;
}

/** A rule that applies to one substance of a line, with that substance's doses. */
export interface RuleMatch {
  rule: ClinicalRule;
  substance: SubstanceDose;
}

/** The line's routes: the posology's when the GP wrote one, else the drug's (BDPM). */
function lineRoutes(l: CheckLine): string[] {
  const written = l.line.posology?.route?.trim().toLocaleLowerCase('fr');
  if (written !== undefined && written !== '') return [written];
  return (l.drug?.routes ?? []).map((r) => r.trim().toLocaleLowerCase('fr'));
}

/**
 * The rules for each substance of a drug line: those naming it whose routes the line has, a
 * combination's rule (« amoxicilline + acide clavulanique ») instead of the single substance's
 * when the line holds the whole combination. One match per rule and line.
 */
export function matchRules(l: CheckLine, rules: readonly ClinicalRule[] = clinicalRules): RuleMatch[] {
  if (l.line.kind !== 'drug' || l.drug === null) return [];
  const substances = lineSubstanceDoses(l);
  const onLine = new Set(substances.flatMap((s) => s.keys));
  const routes = lineRoutes(l);
  const matches: RuleMatch[] = [];
  const seen = new Set<string>();
  const index = rulesByKey(rules);
  for (const substance of substances) {
    // In the rule set's order, as the rules are written.
    const candidates = new Set(substance.keys.flatMap((k) => index.get(k) ?? []));
    const named = [...candidates]
      .filter((keys) => keys.together.every((k) => onLine.has(k)) && (keys.rule.routes === undefined || routes.some((r) => keys.rule.routes!.includes(r))))
      .sort((a, b) => a.order - b.order)
      .map((keys) => keys.rule);
    const combined = named.filter((r) => r.together !== undefined);
    for (const rule of combined.length > 0 ? combined : named) {
      if (seen.has(rule.id)) continue;
      seen.add(rule.id);
      matches.push({ rule, substance });
    }
  }
  return matches;
}

/**
 * Completed weeks of amenorrhoea (SA) on `day`, or null when the record has no valid start date.
 * The record's « début de grossesse » is read as the first day of the last menstrual period,
 * the day the SA that the RCPs and the CRAT write count from.
 */
export function amenorrhoeaWeeks(patient: Pick<CheckPatient, 'pregnancyStartedOn'>, day: string): number | null {
  const start = patient.pregnancyStartedOn ?? null;
  if (start === null || parseDate(start) !== start || start > day) return null;
  const days = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
  return Math.floor(days / 7);
}

const mg = (value: number) => `${frenchNumber(value)} mg`;
const sourceText = (source: RuleSource) => `(source : ${source.source}).`;

interface Context {
  l: CheckLine;
  index: number;
  patient: CheckPatient;
  age: number | null;
  term: number | null;
}

function finding(kind: CheckKind, rule: string, ctx: Context, level: 'CI' | 'warning' | 'info', body: string, source: RuleSource): Finding {
  return {
    id: `${kind}:${rule}:${ctx.l.line.key}`,
    kind,
    level,
    blocking: level === 'CI',
    overridable: level === 'CI',
    message: `Ligne ${ctx.index + 1} (${ctx.l.drug?.dciLabel ?? ''}) : ${body} ${sourceText(source)}`,
    lines: [ctx.index],
    source: CLINICAL_SOURCE,
  };
}

function pregnancyFinding(m: RuleMatch, ctx: Context): Finding | null {
  const entries = m.rule.pregnancy ?? [];
  if (!ctx.patient.pregnant || entries.length === 0) return null;
  const dose = m.substance.peakMgPer24h;
  const applicable: { entry: PregnancyRule; level: 'CI' | 'warning'; doseUnknown: boolean }[] = [];
  for (const entry of entries) {
    if (entry.aboveMgPer24h !== undefined && dose !== null && dose <= entry.aboveMgPer24h) continue;
    const from = entry.fromWeek ?? 0;
    if (ctx.term !== null && (from > ctx.term || (entry.untilWeek !== undefined && ctx.term >= entry.untilWeek))) continue;
    const doseUnknown = entry.aboveMgPer24h !== undefined && dose === null;
    // Unknown term or dose: the contraindication may not apply yet; it is said, not imposed.
    const level = entry.level === 'CI' && ((ctx.term === null && from > 0) || doseUnknown) ? 'warning' : entry.level;
    applicable.push({ entry, level, doseUnknown });
  }
  if (applicable.length === 0) return null;
  // The most severe; between warnings, the one a contraindication became (it names the threshold).
  const rank = (a: (typeof applicable)[number]) => (a.level === 'CI' ? 0 : a.entry.level === 'CI' ? 1 : 2);
  const chosen = [...applicable].sort((a, b) => rank(a) - rank(b))[0]!;
  const parts = [`${m.substance.dci}, ${chosen.entry.text}`];
  if (ctx.term !== null) {
    parts.push(`la patiente en est à ${frenchNumber(ctx.term)} SA (début de grossesse le ${formatDate(ctx.patient.pregnancyStartedOn!)})`);
  } else if ((chosen.entry.fromWeek ?? 0) > 0 || chosen.entry.untilWeek !== undefined) {
    parts.push('la patiente est enceinte, terme non renseigné : indiquez la date de début de grossesse dans son dossier pour vérifier le terme');
  } else {
    parts.push('la patiente est enceinte');
  }
  if (chosen.entry.aboveMgPer24h !== undefined) {
    parts.push(
      chosen.doseUnknown
        ? `dose par 24 h non calculable depuis la posologie : vérifiez qu’elle ne dépasse pas ${mg(chosen.entry.aboveMgPer24h)}`
        : `dose prescrite : ${mg(dose!)} par 24 h`,
    );
  }
  return finding('pregnancy', `${m.rule.id}.grossesse`, ctx, chosen.level, parts.join(' ; '), chosen.entry.source);
}

function breastfeedingFinding(m: RuleMatch, ctx: Context): Finding | null {
  const rule = m.rule.breastfeeding;
  if (!ctx.patient.breastfeeding || rule === undefined) return null;
  return finding('pregnancy', `${m.rule.id}.allaitement`, ctx, rule.level, `${m.substance.dci}, ${rule.text} ; la patiente allaite`, rule.source);
}

const isSystemic = (ctx: Context, routes?: readonly string[]) => {
  const own = lineRoutes(ctx.l);
  return own.some((r) => SYSTEMIC_ROUTES.has(r) && (routes === undefined || routes.includes(r)));
};

function renalFinding(m: RuleMatch, ctx: Context): Finding | null {
  const clearance = ctx.patient.creatinineClearance;
  const thresholds = m.rule.renal ?? [];
  if (clearance === null || thresholds.length === 0 || !isSystemic(ctx)) return null;
  const dose = m.substance.peakMgPer24h;
  // The most stringent threshold first: the first one that fires speaks.
  const below = [...thresholds].filter((t) => clearance < t.belowMlMin).sort((a, b) => a.belowMlMin - b.belowMlMin);
  for (const t of below) {
    const body = renalBody(m, t, clearance, dose);
    if (body === null) continue;
    const level = t.maxMgPer24h !== undefined && dose === null ? 'warning' : t.level;
    return finding('renal', m.rule.id, ctx, level, body, t.source);
  }
  return null;
}

function renalBody(m: RuleMatch, t: RenalThreshold, clearance: number, dose: number | null): string | null {
  const seen = `clairance enregistrée : ${frenchNumber(clearance)} ml/min`;
  const threshold = `clairance de la créatinine inférieure à ${frenchNumber(t.belowMlMin)} ml/min`;
  if (t.maxMgPer24h === undefined) {
    const what = t.text ?? (t.level === 'CI' ? 'contre-indication' : 'posologie à adapter');
    return `${m.substance.dci}, ${what} (${threshold}) ; ${seen}`;
  }
  if (dose !== null && dose <= t.maxMgPer24h * (1 + 1e-9)) return null;
  const limit = `au plus ${mg(t.maxMgPer24h)} par 24 h${t.text === undefined ? '' : ` (${t.text})`} en cas de ${threshold}`;
  const prescribed = dose === null ? 'dose par 24 h non calculable depuis la posologie : vérifiez-la' : `dose prescrite : ${mg(dose)} par 24 h`;
  return `${m.substance.dci}, ${limit} ; ${seen}, ${prescribed}`;
}

function doseFindings(m: RuleMatch, ctx: Context): Finding[] {
  const limits = m.rule.dose ?? [];
  const dose = m.substance.peakMgPer24h;
  if (ctx.age === null || limits.length === 0 || dose === null) return [];
  const weight = ctx.patient.weightKg;
  let checked = false;
  let needsWeight: DoseLimit | null = null;
  for (const limit of limits) {
    if (!isSystemic(ctx, limit.routes)) continue;
    if (ctx.age < (limit.minYears ?? 0) || ctx.age >= (limit.maxYears ?? Infinity)) continue;
    const byWeight = limit.minKg !== undefined || limit.maxKg !== undefined || limit.maxMgPerKgPer24h !== undefined;
    if (byWeight && weight === null) {
      needsWeight ??= limit;
      continue;
    }
    if (weight !== null && (weight < (limit.minKg ?? 0) || weight >= (limit.maxKg ?? Infinity))) continue;
    checked = true;
    const over = (value: number, max: number | undefined) => max !== undefined && value > max * (1 + 1e-9);
    if (limit.maxMgPerKgPer24h !== undefined && weight !== null && over(dose / weight, limit.maxMgPerKgPer24h)) {
      const body = `${m.substance.dci}, ${mg(dose)} par 24 h, soit ${frenchNumber(dose / weight, 1)} mg/kg par 24 h pour ${frenchNumber(weight)} kg ; au plus ${frenchNumber(limit.maxMgPerKgPer24h)} mg/kg par 24 h ${limit.who}`;
      return [finding('dose', m.rule.id, ctx, 'warning', body, limit.source)];
    }
    if (over(dose, limit.maxMgPer24h)) {
      const body = `${m.substance.dci}, ${mg(dose)} par 24 h ; au plus ${mg(limit.maxMgPer24h!)} par 24 h ${limit.who}`;
      return [finding('dose', m.rule.id, ctx, 'warning', body, limit.source)];
    }
  }
  if (!checked && needsWeight !== null && ctx.age < CHILD_UNDER_YEARS) {
    const max = needsWeight.maxMgPerKgPer24h === undefined ? '' : ` (au plus ${frenchNumber(needsWeight.maxMgPerKgPer24h)} mg/kg par 24 h ${needsWeight.who})`;
    const body = `${m.substance.dci}, poids non renseigné : la dose de ${mg(dose)} par 24 h n’a pas pu être rapportée au poids${max}. Indiquez un poids récent dans le dossier`;
    return [finding('dose', `${m.rule.id}.poids`, ctx, 'info', body, needsWeight.source)];
  }
  return [];
}

function onceWeeklyFinding(m: RuleMatch, ctx: Context): Finding | null {
  const rule = m.rule.onceWeekly;
  const posology = ctx.l.line.posology;
  if (rule === undefined || posology === null || posology.frequency.kind === 'perWeek') return null;
  const written =
    posology.frequency.kind === 'perDay'
      ? frenchCount(posology.frequency.times, 'prise par jour', 'prises par jour')
      : `une prise toutes les ${frenchNumber(posology.frequency.hours)} heures`;
  return finding('dose', `${m.rule.id}.hebdomadaire`, ctx, 'warning', `${m.substance.dci}, ${rule.text} ; la posologie écrite est de ${written} : vérifiez-la`, rule.source);
}

/** The birth date when it is a real day not after `day`, else null (the legal checks say why). */
function ageOnDay(patient: CheckPatient, day: string): number | null {
  const birth = parseDate(patient.birthDate);
  return birth !== null && birth === patient.birthDate && birth <= day ? ageOn(birth, day) : null;
}

/**
 * Every clinical finding of the prescription, line by line: pregnancy, breast-feeding, kidneys,
 * doses. Free lines have no coded substance and are not checked. `day` is the prescription's day (ISO).
 */
export function clinicalChecks(lines: readonly CheckLine[], patient: CheckPatient, day: string): Finding[] {
  const age = ageOnDay(patient, day);
  const term = patient.pregnant ? amenorrhoeaWeeks(patient, day) : null;
  const findings: Finding[] = [];
  lines.forEach((l, index) => {
    const ctx: Context = { l, index, patient, age, term };
    for (const m of matchRules(l)) {
      for (const f of [pregnancyFinding(m, ctx), breastfeedingFinding(m, ctx), renalFinding(m, ctx), ...doseFindings(m, ctx), onceWeeklyFinding(m, ctx)]) {
        if (f !== null) findings.push(f);
      }
    }
  });
  return findings;
}
