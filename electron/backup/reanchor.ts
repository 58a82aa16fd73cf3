/**
 * After a restore the audit journal is the backup's: shorter than the anchor kept outside the
 * database says (electron/audit/anchor.ts). The anchor is set to the restored journal's head
 * right after the « backup.restored » entry, and the chain records it (`audit.reanchored`), so
 * that `doctor` checks the restored chain against its own head.
 */
import { reanchorAudit } from '../audit/reanchor';
import { hasKeyedColumns } from '../audit/chain';
import type { Db } from '../db/types';

export function reanchorAfterRestore(db: Db, dataDir: string, now: Date): void {
  // A restored database is migrated before this runs; the check only guards a build without 0007.
  if (hasKeyedColumns(db)) reanchorAudit(db, dataDir, now, 'restore');
}
