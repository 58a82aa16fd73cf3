/**
 * The interaction rule set as the prescription checks read it: the installed ANSM thesaurus, or,
 * until one is installed, Ordo's starter set (assets/interactions-starter, the same format,
 * « partiel »). Loaded whole into memory once per version (about a thousand molecules and 1 500
 * rules), so the checks of a draft are pure lookups.
 *
 * Matching is by name, never by code: a line's frozen copy holds the BDPM substance names of the
 * release it was written with, and they must keep matching after a new import. A name goes
 * through the DCI rules (salts, hydrates, inverted names: « SODIUM (FUSIDATE DE) » is fusidic
 * acid, « WARFARINE SODIQUE » warfarin) to the thesaurus' molecules, then to their classes
 * (warfarin is an ANTIVITAMINE K).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { memoized } from '../../shared/domain/memo';
import type { Allergen } from '../../shared/calls/prescriptions';
import { keyPrefixes, substanceKey } from '../../shared/domain/dci';
import type { CheckLine, CheckPatient, Finding, RuleSet } from '../../shared/domain/prescription';
import { normalizeText } from '../../shared/domain/text';
import type { Db, OpenOptions } from '../db/types';
import { createLogger } from '../log';
import { assetDir } from '../assets';
import { pointerStamp, referentialDir } from './files';
import { withoutLevelCodes } from './interactions';
import { hashFiles, importInteractions, interactionFiles } from './interactions-import';
import { openInteractions, type InteractionsHandle } from './interactions-store';

const log = createLogger('drugs.rules');

type Severity = 'CI' | 'AD' | 'PE' | 'PC';
const levelOf: Record<Severity, Finding['level']> = { CI: 'CI', AD: 'ASDEC', PE: 'PE', PC: 'APEC' };
const levelWords: Record<Severity, string> = { CI: 'contre-indication', AD: 'association déconseillée', PE: 'précaution d’emploi', PC: 'à prendre en compte' };

interface Rule {
  p1: string;
  p2: string;
  severity: Severity;
  risk: string;
  advice: string;
}

/** What one rule set knows, in memory. */
export interface LoadedRuleSet {
  ruleSet: RuleSet;
  /** match key (substanceKey of the molecule) → molecule names. */
  byKey: Map<string, string[]>;
  classesOf: Map<string, string[]>;
  molecules: Set<string>;
  classes: Set<string>;
  rulesOf: Map<string, Rule[]>;
  /** Answers already computed for this rule set (the checks run at every keystroke), bounded (shared/domain/memo.ts). */
  memo: { names: (name: string) => Protagonists; allergens: (text: string) => Target | null; classBySpelling: Map<string, string> | undefined };
}

type Protagonists = { molecules: ReadonlySet<string>; all: ReadonlySet<string> };
type Target = { kind: 'substance' | 'class'; name: string };

export function loadRuleSet(db: Db, ruleSet: RuleSet): LoadedRuleSet {
  const byKey = new Map<string, string[]>();
  const molecules = new Set<string>();
  for (const { name, match_key: key } of db.prepare('SELECT name, match_key FROM molecule').all() as { name: string; match_key: string }[]) {
    molecules.add(name);
    byKey.set(key, [...(byKey.get(key) ?? []), name]);
  }
  const classesOf = new Map<string, string[]>();
  const classes = new Set<string>();
  for (const { molecule, class: c } of db.prepare('SELECT molecule, class FROM molecule_class').all() as { molecule: string; class: string }[]) {
    classes.add(c);
    classesOf.set(molecule, [...(classesOf.get(molecule) ?? []), c]);
  }
  const rulesOf = new Map<string, Rule[]>();
  const rows = db.prepare('SELECT protagonist1, protagonist2, severity, description, mechanism, text_ci, text_ad, text_pe, text_pc FROM rule ORDER BY id').all() as {
    protagonist1: string;
    protagonist2: string;
    severity: Severity;
    description: string;
    mechanism: string;
    text_ci: string;
    text_ad: string;
    text_pe: string;
    text_pc: string;
  }[];
  for (const r of rows) {
    const levelText = { CI: r.text_ci, AD: r.text_ad, PE: r.text_pe, PC: r.text_pc }[r.severity].trim();
    const risk = r.mechanism.trim() !== '' ? r.mechanism.trim() : withoutLevelCodes(r.description);
    const rule: Rule = { p1: r.protagonist1, p2: r.protagonist2, severity: r.severity, risk, advice: levelText !== '' ? withoutLevelCodes(levelText) : '' };
    for (const p of new Set([r.protagonist1, r.protagonist2])) rulesOf.set(p, [...(rulesOf.get(p) ?? []), rule]);
  }
  const set: LoadedRuleSet = {
    ruleSet,
    byKey,
    classesOf,
    molecules,
    classes,
    rulesOf,
    memo: { names: memoized((name) => computeProtagonists(set, name)), allergens: memoized((text) => computeAllergen(set, text)), classBySpelling: undefined },
  };
  return set;
}

/**
 * The acid a salt's anion names, as the thesaurus calls the molecule: « fusidate de sodium »
 * (the BDPM's SODIUM (FUSIDATE DE)) is ACIDE FUSIDIQUE, « valproate de sodium » ACIDE VALPROIQUE,
 * « acétylsalicylate de lysine » ACIDE ACETYLSALICYLIQUE.
 */
function acidOf(key: string): string[] {
  const m = /^([a-z]+)ate(?: (?:de |d')?[a-z]+)?$/.exec(key);
  return m === null ? [] : [`acide ${m[1]!}ique`];
}

/** The molecules and classes a BDPM substance name stands for. */
function protagonistsOfName(set: LoadedRuleSet, name: string): Protagonists {
  return set.memo.names(name);
}

function computeProtagonists(set: LoadedRuleSet, name: string): Protagonists {
  const molecules = new Set<string>();
  const key = substanceKey(name);
  for (const k of [...keyPrefixes(key), ...acidOf(key)]) for (const m of set.byKey.get(k) ?? []) molecules.add(m);
  // A name already spelt as the rule set spells it (a treatment picked from the list).
  const upper = name.trim().toUpperCase();
  if (set.molecules.has(upper)) molecules.add(upper);
  const all = new Set(molecules);
  for (const m of molecules) for (const c of set.classesOf.get(m) ?? []) all.add(c);
  if (set.classes.has(upper)) all.add(upper);
  return { molecules, all };
}

interface Side {
  label: string;
  molecules: Set<string>;
  all: Set<string>;
}

function sideOfLine(set: LoadedRuleSet, l: CheckLine): Side | null {
  if (l.drug === null) return null;
  const molecules = new Set<string>();
  const all = new Set<string>();
  for (const s of l.drug.substances) {
    const p = protagonistsOfName(set, s.name);
    for (const m of p.molecules) molecules.add(m);
    for (const a of p.all) all.add(a);
  }
  return { label: l.drug.dciLabel, molecules, all };
}

function rulesBetween(set: LoadedRuleSet, a: Side, b: Side): { rule: Rule; forward: boolean }[] {
  // The same substance on both sides is the duplicate check's business, not an interaction.
  if ([...a.molecules].some((m) => b.molecules.has(m))) return [];
  const found: { rule: Rule; forward: boolean }[] = [];
  const seen = new Set<Rule>();
  for (const p of a.all) {
    for (const rule of set.rulesOf.get(p) ?? []) {
      if (seen.has(rule)) continue;
      const forward = a.all.has(rule.p1) && b.all.has(rule.p2);
      const backward = b.all.has(rule.p1) && a.all.has(rule.p2);
      if (!forward && !backward) continue;
      seen.add(rule);
      found.push({ rule, forward });
    }
  }
  const order: Record<Severity, number> = { CI: 0, AD: 1, PE: 2, PC: 3 };
  return found.sort((x, y) => order[x.rule.severity] - order[y.rule.severity]);
}

const sourceOf = (set: LoadedRuleSet) => `${set.ruleSet.name} ${set.ruleSet.version}`;

function interactionFinding(set: LoadedRuleSet, rule: Rule, keys: string, what: string, lines: number[]): Finding {
  const ci = rule.severity === 'CI';
  return {
    id: `interaction:${rule.p1}|${rule.p2}:${keys}`,
    kind: 'interaction',
    level: levelOf[rule.severity],
    blocking: ci,
    overridable: ci,
    message: `${what} : ${levelWords[rule.severity]} (${rule.p1.toLowerCase()} et ${rule.p2.toLowerCase()}). ${rule.risk}${rule.advice !== '' && rule.advice !== rule.risk ? ` ${rule.advice}` : ''}`,
    lines,
    source: sourceOf(set),
  };
}

export function interactionFindings(set: LoadedRuleSet, lines: readonly CheckLine[], treatments: CheckPatient['treatments']): Finding[] {
  const sides = lines.map((l) => sideOfLine(set, l));
  const findings: Finding[] = [];
  for (let i = 0; i < sides.length; i++) {
    const a = sides[i];
    if (a === null || a === undefined) continue;
    for (let j = i + 1; j < sides.length; j++) {
      const b = sides[j];
      if (b === null || b === undefined) continue;
      for (const { rule } of rulesBetween(set, a, b)) {
        findings.push(interactionFinding(set, rule, `${lines[i]!.line.key}|${lines[j]!.line.key}`, `Lignes ${i + 1} et ${j + 1} (${a.label} + ${b.label})`, [i, j]));
      }
    }
    treatments.forEach((t, k) => {
      const names = t.substanceNames.length > 0 ? t.substanceNames : [t.label];
      const side: Side = { label: t.label, molecules: new Set(), all: new Set() };
      for (const n of names) {
        const p = protagonistsOfName(set, n);
        for (const m of p.molecules) side.molecules.add(m);
        for (const x of p.all) side.all.add(x);
      }
      for (const { rule } of rulesBetween(set, a, side)) {
        findings.push(interactionFinding(set, rule, `${lines[i]!.line.key}|traitement-${k}`, `Ligne ${i + 1} (${a.label}) et le traitement au long cours « ${t.label} »`, [i]));
      }
    });
  }
  return findings;
}

/** « Pénicillines », « penicilline », « AINS » → the rule set's words, singular, without accents. */
const words = (text: string) =>
  normalizeText(text)
    .replace(/[’']/g, ' ')
    .split(/[^a-z0-9-]+/)
    .filter((w) => w !== '')
    .map((w) => w.replace(/(?:s|x)$/, ''));

const ALIASES: Readonly<Record<string, string>> = {
  ains: 'ANTI-INFLAMMATOIRES NON STEROIDIENS',
  'anti-inflammatoire': 'ANTI-INFLAMMATOIRES NON STEROIDIENS',
  'anti-inflammatoire non steroidien': 'ANTI-INFLAMMATOIRES NON STEROIDIENS',
  aspirine: 'ACIDE ACETYLSALICYLIQUE',
  statine: 'INHIBITEURS DE L\'HMG-COA REDUCTASE (STATINES)',
  iec: 'INHIBITEURS DE L\'ENZYME DE CONVERSION',
  avk: 'ANTIVITAMINES K',
  'produit de contraste iode': 'PRODUITS DE CONTRASTE IODES',
  iode: 'PRODUITS DE CONTRASTE IODES',
};

/** The names of a class a GP may write: the name without « (SAUF …) », or the one in brackets. */
function classSpellings(name: string): string[] {
  const bare = name.replace(/\s*\((?:sauf|y compris)[^)]*\)/gi, '').trim();
  const inner = /\(([^)]+)\)/.exec(name)?.[1];
  return [name, bare, ...(inner !== undefined && !/^(?:sauf|y compris)/i.test(inner) ? [inner] : [])].map((s) => words(s).join(' '));
}

/** What a free-text allergy names in the rule set: a molecule or a class, or nothing. */
export function resolveAllergen(set: LoadedRuleSet, text: string): Target | null {
  return set.memo.allergens(text);
}

/** Every spelling of every class → the class (the first class that has it, in the rule set's order). */
function classBySpelling(set: LoadedRuleSet): Map<string, string> {
  if (set.memo.classBySpelling === undefined) {
    const spellings = new Map<string, string>();
    for (const c of set.classes) for (const spelling of classSpellings(c)) if (!spellings.has(spelling)) spellings.set(spelling, c);
    set.memo.classBySpelling = spellings;
  }
  return set.memo.classBySpelling;
}

function computeAllergen(set: LoadedRuleSet, text: string): Target | null {
  const written = words(text).join(' ');
  if (written === '') return null;
  const alias = ALIASES[normalizeText(text).trim()] ?? ALIASES[written];
  if (alias !== undefined) return { kind: set.classes.has(alias) ? 'class' : 'substance', name: alias };
  const c = classBySpelling(set).get(written);
  if (c !== undefined) return { kind: 'class', name: c };
  const molecules = protagonistsOfName(set, text).molecules;
  const first = [...molecules][0];
  if (first !== undefined) return { kind: 'substance', name: first };
  for (const m of set.molecules) if (words(m).join(' ') === written) return { kind: 'substance', name: m };
  return null;
}

export function allergyFindings(set: LoadedRuleSet, lines: readonly CheckLine[], allergies: CheckPatient['allergies']): Finding[] {
  const sides = lines.map((l) => sideOfLine(set, l));
  const findings: Finding[] = [];
  allergies.forEach((a, k) => {
    const target = a.code ?? resolveAllergen(set, a.substance);
    const allergy = a.kind === 'allergy';
    const what = `${allergy ? 'Allergie' : 'Intolérance'} connue à « ${a.substance} »${a.reaction !== '' ? ` (${a.reaction})` : ''}`;
    if (target === null) {
      findings.push({
        id: `allergy:unmatched:${k}:${normalizeText(a.substance)}`,
        kind: 'allergy',
        level: 'info',
        blocking: false,
        overridable: false,
        message: `${what} : ni une substance ni une classe du jeu de règles, elle n’est pas vérifiée automatiquement. Vérifiez vous-même les lignes.`,
        lines: [],
        source: sourceOf(set),
      });
      return;
    }
    sides.forEach((side, i) => {
      if (side === null || side === undefined || !side.all.has(target.name)) return;
      const via = target.kind === 'class' ? `${side.label} appartient à la classe ${target.name.toLowerCase()}` : `${side.label} contient ${target.name.toLowerCase()}`;
      findings.push({
        id: `allergy:${target.kind}:${target.name}:${lines[i]!.line.key}`,
        kind: 'allergy',
        level: allergy ? 'CI' : 'warning',
        blocking: allergy,
        overridable: allergy,
        message: `Ligne ${i + 1} : ${what} : ${via}.`,
        lines: [i],
        source: sourceOf(set),
      });
    });
  });
  return findings;
}

/** Substances and classes whose name holds the query's words, classes first. */
export function searchAllergens(set: LoadedRuleSet, query: string, limit: number): Allergen[] {
  const q = words(query);
  if (q.length === 0) return [];
  const hit = (name: string) => {
    const w = words(name);
    return q.every((x) => w.some((y) => y.startsWith(x)));
  };
  const readable = (name: string, capital: boolean) => {
    const lower = name.toLowerCase();
    return capital ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower;
  };
  const classes = [...set.classes].filter(hit).sort().map((name): Allergen => ({ kind: 'class', name, label: readable(name, true) }));
  const molecules = [...set.molecules].filter(hit).sort().map((name): Allergen => ({ kind: 'substance', name, label: readable(name, false) }));
  return [...classes, ...molecules].slice(0, limit);
}

const fr = (n: number) => new Intl.NumberFormat('fr-FR').format(n);

export const STARTER_NAME = 'Jeu de départ Ordo';

/**
 * The rule set in use: the installed thesaurus when there is one, else the starter set, imported
 * once into `<dataDir>/starter-rules` (rebuilt when its files change: the version is their hash).
 */
export function ruleSetProvider(options: { dataDir: string; sqlite: OpenOptions; now: () => Date; installed: () => InteractionsHandle | undefined }): () => Promise<LoadedRuleSet | undefined> {
  let cache: { key: string; set: LoadedRuleSet } | undefined;
  let starter: InteractionsHandle | undefined;
  let starterBuild: Promise<void> | undefined;
  const starterData = join(options.dataDir, 'starter-rules');

  const ensureStarter = async (): Promise<InteractionsHandle | undefined> => {
    if (starter !== undefined) return starter;
    const source = assetDir('interactions-starter', interactionFiles.rules);
    if (source === undefined) {
      log.warn('starter interaction rules not found');
      return undefined;
    }
    const dir = referentialDir(starterData);
    // The version names the files' hash: a newer Ordo with a revised starter set rebuilds it.
    const expected = `interactions-starter-${await hashFiles(Object.values(interactionFiles).map((f) => join(source, f)))}`;
    const opened = existsSync(dir) ? openInteractions(dir, options.sqlite) : undefined;
    if (opened !== undefined && opened.version === expected) {
      starter = opened;
      return starter;
    }
    opened?.db.close();
    starterBuild ??= importInteractions(source, starterData, { sqlite: options.sqlite, now: options.now, substances: [], matchedAgainst: 'none', sourceName: 'interactions-starter' })
      .then(() => undefined)
      .finally(() => (starterBuild = undefined));
    await starterBuild;
    starter = openInteractions(dir, options.sqlite);
    return starter;
  };

  return async () => {
    const installed = options.installed();
    if (installed !== undefined) {
      const key = `installed:${installed.version}`;
      if (cache?.key !== key) {
        cache = {
          key,
          set: loadRuleSet(installed.db, {
            name: 'Thésaurus des interactions ANSM',
            version: installed.edition ?? installed.version,
            coverage: `${fr(installed.rules)} interactions, ${fr(installed.molecules)} substances, ${fr(installed.classes)} classes`,
            partial: false,
          }),
        };
      }
      return cache.set;
    }
    const handle = await ensureStarter().catch((error: unknown) => {
      log.error('starter interaction rules unusable', { error: error instanceof Error ? error.message : String(error) });
      return undefined;
    });
    if (handle === undefined) return undefined;
    const key = `starter:${handle.version}:${pointerStamp(referentialDir(starterData), 'interactions')}`;
    if (cache?.key !== key) {
      cache = {
        key,
        set: loadRuleSet(handle.db, {
          name: STARTER_NAME,
          version: handle.version.replace(/^interactions-starter-/, ''),
          coverage: `${fr(handle.rules)} interactions courantes, ${fr(handle.molecules)} substances, ${fr(handle.classes)} classes ; installez le thésaurus de l’ANSM dans Réglages`,
          partial: true,
        }),
      };
    }
    return cache.set;
  };
}
