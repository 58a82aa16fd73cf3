/**
 * Imports the ANSM interaction thesaurus as tables (thesaurus.tsv, molecule-classes.tsv,
 * molecules.txt) into a new, versioned rule-set file, installed atomically like the referential.
 * Protagonists are matched to the BDPM substances of the current referential by normalised
 * name (salts, accents and case aside); the names that match nothing are reported.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { InteractionLevel } from '../../shared/calls/drugs';
import { keyPrefixes, substanceKey } from '../../shared/domain/drugs';
import { OrdoError } from '../../shared/errors';
import type { Db, OpenOptions } from '../db/types';
import { createLogger } from '../log';
import { buildAndInstall } from './files';
import { INTERACTIONS_VERSION, interactionsSchema } from './interactions-schema';
import { openLines } from './lines';

const log = createLogger('drugs.interactions');

export const interactionFiles = { rules: 'thesaurus.tsv', classes: 'molecule-classes.tsv', molecules: 'molecules.txt' } as const;

export interface InteractionImportSummary {
  version: string;
  rules: number;
  molecules: number;
  classes: number;
  rejected: { file: string; line: number; reason: string }[];
  /** Against which referential the names were matched ("demo" matches few). */
  matchedAgainst: 'demo' | 'real' | 'none';
  matchedMolecules: number;
  /** Molecules used by the rules that no BDPM substance of the referential matches. */
  unmatchedMolecules: string[];
  /** Protagonists neither a known molecule nor a class (food, alcohol, routes…). */
  otherProtagonists: string[];
}

const levelColumns: InteractionLevel[] = ['CI', 'AD', 'PE', 'PC'];

/** The level when the extraction left the level columns empty: it opens the description. */
function levelsFromDescription(description: string): InteractionLevel[] {
  const text = description.trim();
  const coded = /^((?:CI|ASDEC|PE|APEC)(?:\s*-\s*(?:CI|ASDEC|PE|APEC))*)\s/.exec(text);
  if (coded) {
    const codes = coded[1]!.split(/\s*-\s*/);
    return levelColumns.filter((l) => codes.includes({ CI: 'CI', AD: 'ASDEC', PE: 'PE', PC: 'APEC' }[l]));
  }
  if (/^contre-indication/i.test(text)) return ['CI'];
  if (/^association d[ée]conseill[ée]e/i.test(text)) return ['AD'];
  if (/^pr[ée]caution d'emploi/i.test(text)) return ['PE'];
  if (/^a prendre en compte/i.test(text)) return ['PC'];
  return [];
}

async function* rowsOf(path: string, skipHeader: boolean): AsyncGenerator<{ line: number; fields: string[] }> {
  const reader = await openLines(path);
  for await (const line of reader.lines()) {
    if (line.text.trim() === '') continue;
    if (skipHeader && line.number === 1) continue;
    yield { line: line.number, fields: line.text.split('\t').map((f) => f.trim()) };
  }
}

async function hashFiles(paths: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex').slice(0, 12);
}

export interface InteractionImportOptions {
  sqlite: OpenOptions;
  now: () => Date;
  /** Substances of the current drug referential, to match names against. */
  substances: { code: string; name: string }[];
  matchedAgainst: 'demo' | 'real' | 'none';
}

export async function importInteractions(sourceDir: string, dataDir: string, options: InteractionImportOptions): Promise<InteractionImportSummary> {
  const paths = Object.values(interactionFiles).map((f) => join(sourceDir, f));
  const absent = Object.values(interactionFiles).filter((_, i) => !existsSync(paths[i]!));
  if (absent.length > 0) throw new OrdoError('IMPORT_FAILED', `Fichier absent de « ${sourceDir} » : ${absent.join(', ')}. Le jeu de règles précédent est conservé.`);
  const build = { kind: 'interactions', dataDir, sqlite: options.sqlite, now: options.now, schema: interactionsSchema, version: INTERACTIONS_VERSION, log } as const;
  const summary = await buildAndInstall(build, async (db) => {
    const version = `${basename(sourceDir)}-${await hashFiles(paths)}`;
    const rejected: InteractionImportSummary['rejected'] = [];
    const addMolecule = db.prepare('INSERT OR IGNORE INTO molecule (name, match_key) VALUES (?, ?)');
    const addClass = db.prepare('INSERT OR IGNORE INTO molecule_class (molecule, class) VALUES (?, ?)');
    const addRule = db.prepare(
      `INSERT INTO rule (protagonist1, protagonist2, levels, severity, description, drug_text, mechanism, text_ci, text_ad, text_pe, text_pc, source_line)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );

    for await (const { fields } of rowsOf(paths[2]!, false)) {
      const name = fields[0]!;
      addMolecule.run(name, substanceKey(name));
    }
    for await (const { line, fields } of rowsOf(paths[1]!, true)) {
      const [molecule = '', cls = ''] = fields;
      if (molecule === '' || cls === '') {
        rejected.push({ file: interactionFiles.classes, line, reason: 'molécule ou classe vide' });
        continue;
      }
      addMolecule.run(molecule, substanceKey(molecule));
      addClass.run(molecule, cls);
    }
    let rules = 0;
    for await (const { line, fields } of rowsOf(paths[0]!, true)) {
      if (fields.length < 5) {
        rejected.push({ file: interactionFiles.rules, line, reason: `${fields.length} colonnes au lieu de 9` });
        continue;
      }
      const [p1 = '', p2 = '', description = '', drugText = '', mechanism = '', ci = '', ad = '', pe = '', pc = ''] = fields;
      if (p1 === '' || p2 === '') {
        rejected.push({ file: interactionFiles.rules, line, reason: 'protagoniste vide' });
        continue;
      }
      const texts = [ci, ad, pe, pc];
      let levels = levelColumns.filter((_, i) => texts[i] !== '');
      if (levels.length === 0) levels = levelsFromDescription(description);
      if (levels.length === 0) {
        rejected.push({ file: interactionFiles.rules, line, reason: 'niveau de l’interaction introuvable' });
        continue;
      }
      addRule.run(p1, p2, levels.join(','), levels[0]!, description, drugText, mechanism, ci, ad, pe, pc, line);
      rules += 1;
    }
    if (rules === 0) throw new OrdoError('IMPORT_FAILED', 'Aucune interaction lue dans thesaurus.tsv. Le jeu de règles précédent est conservé.');

    const report = matchReport(db, options.substances);
    const summary: InteractionImportSummary = {
      version,
      rules,
      molecules: db.prepare('SELECT count(*) FROM molecule').pluck().get() as number,
      classes: db.prepare('SELECT count(DISTINCT class) FROM molecule_class').pluck().get() as number,
      rejected,
      matchedAgainst: options.matchedAgainst,
      ...report,
    };
    return {
      result: summary,
      meta: { version, source: sourceDir, imported_at: options.now().toISOString(), summary: JSON.stringify(summary) },
    };
  });
  log.info('interaction thesaurus imported', { version: summary.version, rules: summary.rules, unmatched: summary.unmatchedMolecules.length });
  return summary;
}

/** Which molecules the rules need (directly or through a class) and which the BDPM names match. */
function matchReport(db: Db, substances: { code: string; name: string }[]) {
  const bdpmKeys = new Set(substances.flatMap((s) => keyPrefixes(substanceKey(s.name))));
  const molecules = new Map((db.prepare('SELECT name, match_key FROM molecule').all() as { name: string; match_key: string }[]).map((m) => [m.name, m.match_key]));
  const classes = new Set(db.prepare('SELECT DISTINCT class FROM molecule_class').pluck().all() as string[]);
  const protagonists = db.prepare('SELECT protagonist1 FROM rule UNION SELECT protagonist2 FROM rule').pluck().all() as string[];
  const needed = new Set<string>();
  const other: string[] = [];
  const inClass = db.prepare('SELECT molecule FROM molecule_class WHERE class = ?').pluck();
  for (const p of protagonists) {
    if (molecules.has(p)) needed.add(p);
    else if (classes.has(p)) for (const m of inClass.all(p) as string[]) needed.add(m);
    else other.push(p);
  }
  const unmatched = [...needed].filter((m) => !bdpmKeys.has(molecules.get(m) ?? '')).sort();
  return { matchedMolecules: needed.size - unmatched.length, unmatchedMolecules: unmatched, otherProtagonists: other.sort() };
}
