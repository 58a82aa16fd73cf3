/**
 * Once every file of a release is loaded, each specialty gets what the files only imply: its DCI
 * label, its flags (from the prescribing conditions, marketing status and generic groups) and the
 * words the search indexes (name, DCI, CIS and pack codes) and its rank in the search's order.
 */
import { describeDci, type CompositionPart } from '../../shared/domain/dci';
import { encodeFlags, flagsFromConditions } from '../../shared/domain/drugs';
import type { Db } from '../db/types';
import { DrugSearchIndex, rankRecords, wordsOf, type IndexRecord } from './search-index';
import { storeSearchIndex } from './search-store';

/** Rows of `sql` (first column the CIS) grouped by CIS; raw arrays, the fast path of better-sqlite3. */
function byCis(db: Db, sql: string): Map<string, unknown[][]> {
  const map = new Map<string, unknown[][]>();
  for (const row of db.prepare(sql).raw().all() as unknown[][]) {
    const cis = row[0] as string;
    const list = map.get(cis);
    if (list === undefined) map.set(cis, [row]);
    else list.push(row);
  }
  return map;
}

export function deriveSpecialties(db: Db): void {
  const compositions = byCis(db, 'SELECT cis, element, substance_code, substance_name, strength, strength_reference, nature, link_number FROM composition ORDER BY cis, id');
  const conditions = byCis(db, 'SELECT cis, condition FROM prescribing_condition ORDER BY id');
  const codes = byCis(db, 'SELECT cis, cip13, cip7 FROM pack ORDER BY cis, cip13');
  const genericType = new Map<string, number>();
  for (const [cis, type] of db.prepare('SELECT cis, type FROM generic_group ORDER BY id').raw().all() as [string, number][]) {
    if (!genericType.has(cis)) genericType.set(cis, type);
  }

  const specialties = db.prepare('SELECT cis, name, form, marketed, enhanced_monitoring FROM specialty').all() as {
    cis: string;
    name: string;
    form: string;
    marketed: number;
    enhanced_monitoring: number;
  }[];
  const records: IndexRecord[] = [];
  for (const s of specialties) {
    const parts: CompositionPart[] = (compositions.get(s.cis) ?? []).map((c) => ({
      element: c[1] as string,
      substanceCode: c[2] as string,
      substanceName: c[3] as string,
      strength: c[4] as string,
      strengthReference: c[5] as string,
      nature: c[6] as 'SA' | 'FT',
      linkNumber: c[7] as number | null,
    }));
    const dci = describeDci(parts, s.form, s.name);
    const flags = flagsFromConditions(
      (conditions.get(s.cis) ?? []).map((c) => c[1] as string),
      { marketed: s.marketed === 1, enhancedMonitoring: s.enhanced_monitoring === 1 },
    );
    const packCodes = (codes.get(s.cis) ?? []).flatMap((p) => [p[1] as string, p[2] as string]);
    const words = wordsOf({ cis: s.cis, name: s.name, dciLabel: dci.label, substances: dci.substances, packCodes });
    records.push({
      cis: s.cis,
      name: s.name,
      form: s.form,
      dciLabel: dci.label,
      substances: dci.substances,
      substanceKey: dci.substanceKey,
      marketed: s.marketed === 1,
      flags: encodeFlags(flags),
      genericType: genericType.get(s.cis) ?? null,
      ...words,
    });
  }
  // The search reads specialties in this order and trusts it, with the indexes built on it.
  const ranked = rankRecords(records);
  const update = db.prepare(
    `UPDATE specialty SET dci_label = ?, substances = ?, substance_key = ?, flags = ?, generic_type = ?, search_words = ?, search_primary = ?,
       search_rank = ? WHERE cis = ?`,
  );
  ranked.forEach((r, rank) =>
    update.run(r.dciLabel, JSON.stringify(r.substances), r.substanceKey, r.flags, r.genericType, r.searchWords, r.primaryWords, rank, r.cis),
  );
  storeSearchIndex(db, DrugSearchIndex.fromRanked(ranked).toStored());
}
