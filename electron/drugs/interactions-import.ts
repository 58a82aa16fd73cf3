/**
 * Imports the ANSM interaction thesaurus as tables (thesaurus.tsv, molecule-classes.tsv,
 * molecules.txt) into a new, versioned rule-set file, installed atomically like the referential.
 * Protagonists are matched to the BDPM substances of the current referential by normalised
 * name (salts, accents and case aside); the names that match nothing are reported.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { InteractionLevel } from '../../shared/calls/drugs';
import type { InteractionInstallReport } from '../../shared/calls/interactions';
import { keyPrefixes, substanceKey } from '../../shared/domain/dci';
import { OrdoError } from '../../shared/errors';
import type { Db, OpenOptions } from '../db/types';
import { createLogger } from '../log';
import { buildAndInstall } from './files';
import { INTERACTIONS_VERSION, interactionsSchema } from './interactions-schema';
import { openLines } from './lines';

const log = createLogger('drugs.interactions');

export const interactionFiles = { rules: 'thesaurus.tsv', classes: 'molecule-classes.tsv', molecules: 'molecules.txt' } as const;

/** What one import read and matched (the job's report, the CLI's JSON). */
export type InteractionImportSummary = InteractionInstallReport;

export interface InteractionImportProgress {
  phase: 'rules' | 'matching';
  done: number;
  total: number;
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

/** The content hash a rule set's version carries (12 hex digits of SHA-256 over the files, in order). */
export async function hashFiles(paths: string[]): Promise<string> {
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
  /** How the GP named the source (a folder, a zip): the version and the edition come from it. */
  sourceName?: string | undefined;
  onProgress?: ((progress: InteractionImportProgress) => void) | undefined;
  /** Aborted: the import stops at its next step and the previous thesaurus stays installed. */
  signal?: AbortSignal | undefined;
  /** Runs once the rule set is built, before it is swapped in: throw to abandon it. */
  beforeInstall?: (() => Promise<void>) | undefined;
}

const KEPT = 'Le thésaurus précédent est conservé.';
const PROGRESS_ROWS = 100;

/** The year of the edition when the source's name carries one ("ansm-interactions-2016.zip"). */
export function editionOf(sourceName: string): string | null {
  return /(?:^|\D)((?:19|20)\d{2})(?!\d)/.exec(sourceName)?.[1] ?? null;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new OrdoError('IMPORT_FAILED', `Installation interrompue. ${KEPT}`);
}

/** The first line of each table names its columns: anything else is not this thesaurus. */
function checkHeaders(paths: { rules: string; classes: string }): void {
  const firstLine = (path: string) => (readFileSync(path, 'latin1').split(/\r?\n/, 1)[0] ?? '').replace(/^\uFEFF|^\u00ef\u00bb\u00bf/, '').split('\t').map((f) => f.trim().toLowerCase());
  const rules = firstLine(paths.rules);
  if (rules[0] !== 'protagoniste1' || rules[1] !== 'protagoniste2') {
    throw new OrdoError(
      'IMPORT_FAILED',
      `Ce n’est pas le thésaurus des interactions de l’ANSM : la première ligne de ${interactionFiles.rules} doit nommer les colonnes « protagoniste1 », « protagoniste2 »… ${KEPT}`,
    );
  }
  const classes = firstLine(paths.classes);
  if (classes[0] !== 'molecule' || classes[1] !== 'famille') {
    throw new OrdoError(
      'IMPORT_FAILED',
      `Ce n’est pas le thésaurus des interactions de l’ANSM : la première ligne de ${interactionFiles.classes} doit nommer les colonnes « molecule » et « famille ». ${KEPT}`,
    );
  }
}

const countLines = (path: string) => {
  const bytes = readFileSync(path);
  let count = 0;
  for (const byte of bytes) if (byte === 0x0a) count += 1;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? count + 1 : count;
};

export async function importInteractions(sourceDir: string, dataDir: string, options: InteractionImportOptions): Promise<InteractionImportSummary> {
  const paths = Object.values(interactionFiles).map((f) => join(sourceDir, f));
  const absent = Object.values(interactionFiles).filter((_, i) => !existsSync(paths[i]!));
  const sourceName = options.sourceName ?? basename(sourceDir);
  if (absent.length > 0) {
    throw new OrdoError(
      'IMPORT_FAILED',
      `Ce n’est pas le thésaurus des interactions de l’ANSM : fichier absent de « ${sourceName} » : ${absent.join(', ')} (attendus : ${Object.values(interactionFiles).join(', ')}). ${KEPT}`,
    );
  }
  checkHeaders({ rules: paths[0]!, classes: paths[1]! });
  const totalRows = Math.max(0, countLines(paths[0]!) - 1);
  const build = {
    kind: 'interactions',
    dataDir,
    sqlite: options.sqlite,
    now: options.now,
    schema: interactionsSchema,
    version: INTERACTIONS_VERSION,
    log,
    beforeInstall: () => checkAborted(options.signal),
  } as const;
  const summary = await buildAndInstall(build, async (db) => {
    const version = `${sourceName.replace(/\.zip$/i, '')}-${await hashFiles(paths)}`;
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
    let read = 0;
    options.onProgress?.({ phase: 'rules', done: 0, total: totalRows });
    for await (const { line, fields } of rowsOf(paths[0]!, true)) {
      read += 1;
      if (read % PROGRESS_ROWS === 0) {
        checkAborted(options.signal);
        options.onProgress?.({ phase: 'rules', done: read, total: totalRows });
      }
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
    if (rules === 0) throw new OrdoError('IMPORT_FAILED', `Ce n’est pas le thésaurus des interactions de l’ANSM : aucune interaction lue dans ${interactionFiles.rules}. ${KEPT}`);
    checkAborted(options.signal);

    options.onProgress?.({ phase: 'matching', done: 0, total: options.substances.length });
    const report = matchReport(db, options.substances);
    options.onProgress?.({ phase: 'matching', done: options.substances.length, total: options.substances.length });
    const edition = editionOf(sourceName);
    const summary: InteractionImportSummary = {
      version,
      edition,
      sourceName,
      rules,
      molecules: db.prepare('SELECT count(*) FROM molecule').pluck().get() as number,
      classes: db.prepare('SELECT count(DISTINCT class) FROM molecule_class').pluck().get() as number,
      rejected,
      matchedAgainst: options.matchedAgainst,
      ...report,
    };
    await options.beforeInstall?.();
    return {
      result: summary,
      meta: { version, source: sourceName, edition: edition ?? '', imported_at: options.now().toISOString(), summary: JSON.stringify(summary) },
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
