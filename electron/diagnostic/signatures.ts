/**
 * The diagnostic's cross-check of the signatures against the audit log. Each signature row keeps
 * `audit_head`, the chain's head hash when it was signed (the QR code covers it), and the audit
 * row `prescription.signed` is appended right after, in the same transaction: so that row exists,
 * chained to that head (its `prev_hash`), and the row just before it has that hash (or it is the
 * first row, after the genesis value). Deleting the log's tail, then re-anchoring it (the anchor
 * file deleted too), leaves a chain that holds and an anchor at its head: the signatures still say
 * how far the log went.
 *
 * Read-only and cheap on a large log: one pass over the audit rows for the `prescription.signed`
 * ones, one over the signatures, then one lookup by primary key per signature.
 */
import { GENESIS } from '../audit/chain';
import type { Db } from '../db/types';

/** Past this many, the others are counted in one sentence. */
const LISTED = 5;

const tableExists = (db: Db, name: string) => db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) === 1;

export type SignatureAuditFault = 'head' | 'entry';

/** The French sentence for one signature whose audit entry is not where it should be. */
export function signatureAuditMessage(rxId: string, fault: SignatureAuditFault): string {
  return fault === 'entry'
    ? `Journal d’audit : la signature de l’ordonnance ${rxId} ne retrouve pas son entrée « prescription.signed » (fin du journal supprimée ?).`
    : `Journal d’audit : la signature de l’ordonnance ${rxId} ne retrouve pas son entrée à sa place, après l’état du journal qu’elle atteste (fin du journal supprimée ?).`;
}

/** The signatures whose audit entry is missing or misplaced, in signing order (rx id and why). */
export function signaturesWithoutAudit(db: Db): { rxId: string; fault: SignatureAuditFault }[] {
  if (!tableExists(db, 'prescription_signatures') || !tableExists(db, 'audit_log')) return [];
  // The `prescription.signed` rows by prescription (one each; several only in a log written by hand).
  const signedRows = new Map<string, { seq: number; prevHash: string; rxId: unknown }[]>();
  const rows = db
    .prepare("SELECT seq, prev_hash AS prevHash, subject, json_extract(CASE WHEN json_valid(details) THEN details END, '$.rxId') AS rxId FROM audit_log WHERE action = 'prescription.signed'")
    .iterate() as IterableIterator<{ seq: number; prevHash: string; subject: string; rxId: unknown }>;
  for (const row of rows) {
    const list = signedRows.get(row.subject);
    if (list === undefined) signedRows.set(row.subject, [row]);
    else list.push(row);
  }
  const hashAt = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck();
  const faults: { rxId: string; fault: SignatureAuditFault }[] = [];
  const signatures = db
    .prepare('SELECT prescription_id AS id, rx_id AS rxId, audit_head AS auditHead FROM prescription_signatures ORDER BY signed_at, prescription_id')
    .iterate() as IterableIterator<{ id: number; rxId: string; auditHead: string }>;
  for (const s of signatures) {
    const candidates = (signedRows.get(`prescription:${s.id}`) ?? []).filter((r) => r.rxId === s.rxId);
    if (candidates.length === 0) {
      faults.push({ rxId: s.rxId, fault: 'entry' });
      continue;
    }
    const inPlace = candidates.some((r) => r.prevHash === s.auditHead && (r.seq === 1 ? s.auditHead === GENESIS : hashAt.get(r.seq - 1) === s.auditHead));
    if (!inPlace) faults.push({ rxId: s.rxId, fault: 'head' });
  }
  return faults;
}

/** The problems to report: one sentence per signature, the first few by name, then how many more. */
export function signatureAuditProblems(db: Db): string[] {
  return problemsOf(signaturesWithoutAudit(db));
}

export function problemsOf(faults: readonly { rxId: string; fault: SignatureAuditFault }[]): string[] {
  const problems = faults.slice(0, LISTED).map((f) => signatureAuditMessage(f.rxId, f.fault));
  const more = faults.length - LISTED;
  if (more > 0) {
    problems.push(
      `Journal d’audit : ${more === 1 ? 'une autre signature d’ordonnance ne retrouve pas son entrée' : `${more} autres signatures d’ordonnances ne retrouvent pas leur entrée`} (fin du journal supprimée ?).`,
    );
  }
  return problems;
}
