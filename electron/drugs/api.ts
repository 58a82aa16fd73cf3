/**
 * What other folders of electron/ may use of the drug domain (the dependency-cruiser rule
 * "no-reaching-into-drugs" holds the rest private): the health of the installed files, for the
 * diagnostic.
 */
import { missingPartsOf, type ReferentialPart } from '../../shared/domain/bdpm-parts';
import type { OpenOptions } from '../db/types';
import { currentFile, referentialDir } from './files';
import { openInteractions } from './interactions-store';
import { openReferential, readMeta } from './referential';

export interface ReferentialHealth {
  drugs: 'real' | 'demo' | 'none' | 'unreadable';
  interactions: 'installed' | 'none' | 'unreadable';
  /** What a partial drug base lacks (imported on purpose, `--allow-partial`). */
  missingParts?: ReferentialPart[];
}

/** Which drug referential and interaction rule set are installed, and whether they open. */
export function referentialHealth(dataDir: string, sqlite: OpenOptions): ReferentialHealth {
  const dir = referentialDir(dataDir);
  let drugs: ReferentialHealth['drugs'] = 'none';
  let missingParts: ReferentialPart[] = [];
  const file = currentFile(dir, 'drugs');
  if (file !== undefined) {
    try {
      const db = openReferential(file, sqlite);
      const meta = db === undefined ? undefined : readMeta(db);
      drugs = meta === undefined ? 'unreadable' : meta.demo ? 'demo' : 'real';
      missingParts = meta === undefined ? [] : missingPartsOf(meta.missingFiles);
      db?.close();
    } catch {
      drugs = 'unreadable';
    }
  }
  let interactions: ReferentialHealth['interactions'] = 'none';
  if (currentFile(dir, 'interactions') !== undefined) {
    const handle = openInteractions(dir, sqlite);
    interactions = handle === undefined ? 'unreadable' : 'installed';
    handle?.db.close();
  }
  return { drugs, interactions, ...(missingParts.length > 0 ? { missingParts } : {}) };
}

/** The search thread's inside and its start-up data, for the threads' entry (worker/thread.ts). */
export { runSearchThread } from './search-thread';
export type { SearchThreadData } from './searcher';

/** The drug service as the prescriptions use it (built by app.ts, the composition root). */
export type { DrugService } from './service';

/** The interaction rule set the prescription checks read (thesaurus or starter set). */
export { allergyFindings, interactionFindings, ruleSetProvider, searchAllergens, type LoadedRuleSet } from './rule-set';
