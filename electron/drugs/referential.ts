/**
 * One installed referential file, opened read-only: its metadata, the records the search index
 * is built from, and a specialty's full detail. Repositories are plain functions over the handle.
 */
import type { DrugDetail, ImportSummary } from '../../shared/calls/drugs';
import { releaseDateSources, type ReleaseDateSource } from '../../shared/domain/release-date';
import type { ReferentialPart } from '../../shared/domain/bdpm-parts';
import { dciOfSubstance } from '../../shared/domain/dci';
import { decodeFlags, genericTypeOf, prescriptionLimitDays } from '../../shared/domain/drugs';
import { openSqlite, type Db, type OpenOptions } from '../db/open';
import { REFERENTIAL_VERSION } from './schema';
import type { IndexRecord } from './search-index';

export interface ReferentialMeta {
  releaseDate: string | null;
  releaseDateSource: ReleaseDateSource;
  importedAt: string;
  source: string;
  demo: boolean;
  summary: ImportSummary | null;
  counts: { specialties: number; packs: number; compositions: number };
  /** The BDPM files its release lacked (a partial base, imported on purpose). */
  missingFiles: string[];
}

function stringList(json: string | undefined): string[] | undefined {
  if (json === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Opens a referential file, or returns undefined when it was built by another format version. */
export function openReferential(file: string, options: OpenOptions): Db | undefined {
  const db = openSqlite(file, { ...options, readonly: true });
  if (db.pragma('user_version', { simple: true }) !== REFERENTIAL_VERSION) {
    db.close();
    return undefined;
  }
  return db;
}

export function readMeta(db: Db): ReferentialMeta {
  const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
  const meta = new Map(rows.map((r) => [r.key, r.value]));
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  // The import's summary has the counts; counting scans whole tables (tens of ms on a cold file).
  const imported = (file: string) => summary?.files.find((f) => f.file === file)?.imported;
  const source = meta.get('release_date_source');
  let summary: ImportSummary | null;
  try {
    summary = JSON.parse(meta.get('summary') ?? 'null') as ImportSummary | null;
  } catch {
    summary = null;
  }
  const importedAt = meta.get('imported_at') ?? '';
  // A file imported before dates after the import day were refused may hold one (2924-11-29).
  const stored = meta.get('release_date') ?? '';
  const releaseDate = stored !== '' && (importedAt === '' || stored <= importedAt.slice(0, 10)) ? stored : null;
  return {
    releaseDate,
    releaseDateSource: releaseDate === null ? 'unknown' : (releaseDateSources.find((s) => s === source && s !== 'unknown') ?? 'unknown'),
    importedAt,
    source: meta.get('source') ?? '',
    demo: meta.get('demo') === '1',
    summary,
    missingFiles: stringList(meta.get('missing_files')) ?? summary?.missingFiles ?? [],
    counts: {
      specialties: imported('CIS_bdpm.txt') ?? count('specialty'),
      packs: imported('CIS_CIP_bdpm.txt') ?? count('pack'),
      compositions: imported('CIS_COMPO_bdpm.txt') ?? count('composition'),
    },
  };
}

/** Records in rank order (computed at import). */
export function readIndexRecords(db: Db): IndexRecord[] {
  const rows = db
    .prepare(
      'SELECT cis, name, form, dci_label, substances, substance_key, marketed, flags, generic_type, search_words, search_primary FROM specialty ORDER BY search_rank',
    )
    .all() as {
    cis: string;
    name: string;
    form: string;
    dci_label: string;
    substances: string;
    substance_key: string;
    marketed: number;
    flags: number;
    generic_type: number | null;
    search_words: string;
    search_primary: string;
  }[];
  return rows.map((r) => ({
    cis: r.cis,
    name: r.name,
    form: r.form,
    dciLabel: r.dci_label,
    substances: JSON.parse(r.substances) as string[],
    substanceKey: r.substance_key,
    marketed: r.marketed === 1,
    flags: r.flags,
    genericType: r.generic_type,
    searchWords: r.search_words,
    primaryWords: r.search_primary,
  }));
}

const parseList = (json: string) => JSON.parse(json) as string[];

/** The per-specialty and per-substance reads; each must use an index (see referential-schema.test.ts). */
export const referentialQueries = {
  specialty: 'SELECT * FROM specialty WHERE cis = ?',
  flags: 'SELECT flags FROM specialty WHERE cis = ?',
  packs: 'SELECT cip13, cip7, label, marketing_status, reimbursement_rate, price_with_fee_cents FROM pack WHERE cis = ? ORDER BY cip13',
  composition: 'SELECT element, substance_code, substance_name, strength, strength_reference, nature FROM composition WHERE cis = ? ORDER BY id',
  genericGroups: 'SELECT group_id, label, type FROM generic_group WHERE cis = ? ORDER BY id',
  conditions: 'SELECT condition FROM prescribing_condition WHERE cis = ? ORDER BY id',
  substanceNames: 'SELECT DISTINCT substance_name FROM composition WHERE substance_code = ?',
} as const;

/** Whether the referential has `cis` and whether it is marketed, without reading its card (the checks, at every keystroke). */
export function readPresence(db: Db, cis: string): { present: boolean; marketed: boolean } {
  const flags = db.prepare(referentialQueries.flags).pluck().get(cis) as number | undefined;
  return flags === undefined ? { present: false, marketed: false } : { present: true, marketed: !decodeFlags(flags).notMarketed };
}

/** A specialty's card; `missingParts`: what the referential lacks, said on the card rather than « aucune ». */
export function readDetail(db: Db, cis: string, missingParts: readonly ReferentialPart[] = []): DrugDetail | undefined {
  const s = db.prepare(referentialQueries.specialty).get(cis) as
    | {
        cis: string;
        name: string;
        form: string;
        routes: string;
        authorization_status: string;
        marketing_status: string;
        holders: string;
        dci_label: string;
        substances: string;
        flags: number;
        generic_type: number | null;
      }
    | undefined;
  if (s === undefined) return undefined;
  const packs = db
    .prepare(referentialQueries.packs)
    .all(cis) as { cip13: string; cip7: string; label: string; marketing_status: string; reimbursement_rate: string; price_with_fee_cents: number | null }[];
  const composition = db
    .prepare(referentialQueries.composition)
    .all(cis) as { element: string; substance_code: string; substance_name: string; strength: string; strength_reference: string; nature: 'SA' | 'FT' }[];
  const groups = db.prepare(referentialQueries.genericGroups).all(cis) as {
    group_id: string;
    label: string;
    type: number;
  }[];
  const conditions = db.prepare(referentialQueries.conditions).pluck().all(cis) as string[];
  return {
    cis: s.cis,
    name: s.name,
    form: s.form,
    routes: parseList(s.routes),
    authorizationStatus: s.authorization_status,
    marketingStatus: s.marketing_status,
    holders: parseList(s.holders),
    dciLabel: s.dci_label,
    substances: parseList(s.substances),
    flags: decodeFlags(s.flags),
    genericType: s.generic_type === null ? null : genericTypeOf(s.generic_type),
    genericGroups: groups.map((g) => ({ id: g.group_id, label: g.label, type: genericTypeOf(g.type) })),
    conditions,
    prescriptionLimitDays: prescriptionLimitDays(conditions),
    packs: packs.map((p) => ({
      cip13: p.cip13,
      cip7: p.cip7,
      label: p.label,
      // "Déclaration de commercialisation" vs "Déclaration d'arrêt de commercialisation", "Arrêt de …".
      marketed: /^déclaration de commercialisation/i.test(p.marketing_status),
      reimbursementRate: p.reimbursement_rate,
      priceCents: p.price_with_fee_cents,
    })),
    composition: composition.map((c) => ({
      element: c.element,
      substanceCode: c.substance_code,
      substanceName: c.substance_name,
      dci: dciOfSubstance(c.substance_name),
      strength: c.strength,
      strengthReference: c.strength_reference,
      nature: c.nature,
    })),
    missingParts: [...missingParts],
  };
}

/** Every distinct (substance code, substance name) of the referential, for interaction matching. */
export function readSubstances(db: Db): { code: string; name: string }[] {
  return db.prepare('SELECT DISTINCT substance_code AS code, substance_name AS name FROM composition').all() as { code: string; name: string }[];
}

export function readSubstanceNames(db: Db, code: string): string[] {
  return db.prepare(referentialQueries.substanceNames).pluck().all(code) as string[];
}
