/**
 * The audit part of the diagnostic: the key store, the chain under its keys, and the anchor kept
 * beside the database. Read-only (the database is opened read-only by the caller; no key and no
 * anchor is ever created here). Every problem is a French sentence.
 */
import type { Db } from '../db/types';
import { anchorFileOf, anchorHolds, readAnchor } from './anchor';
import { GENESIS, breakMessage, hasAuditTable, hasKeyedColumns, hasKeyedRows, hashAt, headOf, verifyChain } from './chain';
import { auditKeys, readAuditKey } from './key';

export interface AuditReport {
  ok: boolean;
  /** Rows that hold, in order, up to the first break. */
  entries: number;
  brokenAt?: number;
  /** Rows of the legacy prefix (SHA-256 only) and keyed rows (HMAC). */
  legacy: number;
  keyed: number;
  /** The audit key of the store: `none` when Ordo has not made one yet and nothing needs one. */
  key: 'ok' | 'missing' | 'unreadable' | 'none';
  anchor: {
    /** ok: at the head; behind: rows after it, all holding under the key (a crash before its write; moved at the next start). */
    state: 'ok' | 'behind' | 'ahead' | 'mismatch' | 'missing' | 'invalid' | 'none';
    seq?: number;
  };
  problems: string[];
  /**
   * What Ordo's start had to repair and recorded in the chain (an anchor or a key re-created):
   * past events, not problems to fix now, that stay visible after the repair. French sentences.
   */
  warnings: string[];
}

const madeWithUnknownKey = (first: number, last: number) =>
  first === last ? `L’entrée ${first} du journal d’audit a été faite` : `Les entrées ${first} à ${last} du journal d’audit ont été faites`;

export function checkAudit(db: Db, dataDir: string, databaseFile: string): AuditReport {
  const paths = { anchorFile: anchorFileOf(databaseFile) };
  const problems: string[] = [];
  const keys = auditKeys(dataDir);
  const current = readAuditKey(dataDir);
  const chain = verifyChain(db, keys);
  const read = readAnchor(paths.anchorFile);
  const report: AuditReport = { ok: false, entries: chain.entries, legacy: chain.legacy, keyed: chain.keyed, key: 'none', anchor: { state: 'none' }, problems, warnings: [] };
  if (chain.brokenAt !== undefined) report.brokenAt = chain.brokenAt;

  const table = hasAuditTable(db);
  if (table) report.warnings = repairWarnings(db);
  const needsKey = (table && hasKeyedRows(db)) || read.state !== 'missing';
  if (current.state === 'ok') report.key = 'ok';
  else if (current.state === 'unreadable') {
    report.key = 'unreadable';
    problems.push(`La clé du journal d’audit est illisible (${current.file}) : ${current.reason}. Les entrées faites avec elle ne peuvent pas être vérifiées ; remettez le dossier « keys » d’une sauvegarde du dossier de données.`);
  } else if (needsKey) {
    report.key = 'missing';
    problems.push(`La clé du journal d’audit est absente (${current.file}) : le journal ne peut pas être vérifié. Remettez le dossier « keys » d’une sauvegarde du dossier de données.`);
  }

  if (chain.brokenAt !== undefined && chain.reason !== undefined) problems.push(breakMessage(chain.brokenAt, chain.reason));
  if (chain.unverifiable !== null && current.state === 'ok') {
    const u = chain.unverifiable;
    problems.push(
      `${madeWithUnknownKey(u.first, u.last)} avec une clé (${u.keyIds.join(', ')}) absente du dossier des clés (${dataDir}/keys) : ${u.first === u.last ? 'elle ne peut' : 'elles ne peuvent'} pas être vérifiée${u.first === u.last ? '' : 's'}. Remettez-y le fichier de cette clé.`,
    );
  }

  const head = table ? headOf(db) : { seq: 0, hash: GENESIS };
  if (read.state === 'missing') {
    if (report.key !== 'none') {
      report.anchor = { state: 'missing' };
      problems.push(`L’ancre du journal d’audit est absente (${paths.anchorFile}) : la suppression des dernières entrées ne peut pas être exclue. Ordo la recrée à son prochain démarrage, en l’inscrivant au journal.`);
    }
  } else if (read.state === 'unreadable') {
    report.anchor = { state: 'invalid' };
    problems.push(`L’ancre du journal d’audit est endommagée (${paths.anchorFile}) : la suppression des dernières entrées ne peut pas être exclue.`);
  } else {
    const anchor = read.anchor;
    const secret = keys.get(anchor.keyId);
    if (secret === undefined) {
      report.anchor = { state: 'invalid', seq: anchor.seq };
      if (current.state === 'ok') problems.push(`L’ancre du journal d’audit (${paths.anchorFile}) a été faite avec une clé absente du dossier des clés : elle ne peut pas être vérifiée.`);
    } else if (!anchorHolds(anchor, secret)) {
      report.anchor = { state: 'invalid', seq: anchor.seq };
      problems.push(`L’ancre du journal d’audit (${paths.anchorFile}) n’est pas authentique : elle a été modifiée en dehors d’Ordo.`);
    } else if (anchor.seq > head.seq) {
      report.anchor = { state: 'ahead', seq: anchor.seq };
      problems.push(
        head.seq === 0
          ? `Le journal d’audit a été vidé en dehors d’Ordo : l’ancre enregistrée hors de la base atteste ${anchor.seq} entrée${anchor.seq > 1 ? 's' : ''}, la base n’en contient plus aucune.`
          : `Des entrées ont été supprimées à la fin du journal d’audit : l’ancre enregistrée hors de la base en atteste ${anchor.seq}, la base n’en contient que ${head.seq}.`,
      );
    } else if ((table ? hashAt(db, anchor.seq) : GENESIS) !== anchor.hash) {
      report.anchor = { state: 'mismatch', seq: anchor.seq };
      problems.push(`Le journal d’audit a été réécrit en dehors d’Ordo : l’entrée ${anchor.seq} ne correspond plus à l’ancre enregistrée hors de la base.`);
    } else {
      report.anchor = { state: anchor.seq === head.seq ? 'ok' : 'behind', seq: anchor.seq };
      // Rows after the anchor are tolerated only as keyed rows that hold (the chain's walk says so).
      if (anchor.seq < head.seq && chain.brokenAt === undefined) {
        const unkeyedAfter = hasKeyedColumns(db)
          ? (db.prepare("SELECT min(seq) FROM audit_log WHERE seq > ? AND alg <> 'hmac-sha256'").pluck().get(anchor.seq) as number | null)
          : anchor.seq + 1;
        if (unkeyedAfter !== null) problems.push(`L’entrée ${unkeyedAfter} a été ajoutée au journal d’audit sans la clé d’Ordo, après l’ancre enregistrée hors de la base.`);
      }
    }
  }
  // Warnings do not make the report fail: they are in the chain for good, and nothing can clear them.
  report.ok = problems.length === 0;
  return report;
}

const AFTERWARDS = 'Si personne n’a restauré ni déplacé le dossier des données, le journal a pu être modifié.';

const dayFormat = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });

/** « Le 02/12/2026 à 18:05 », in the machine's time zone. */
function whenOf(at: string): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? `Le ${at}` : `Le ${dayFormat.format(date)} à ${timeFormat.format(date)}`;
}

function detailsOf(details: string): Record<string, unknown> {
  try {
    const value = JSON.parse(details) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The anchors and keys the start re-created (`audit.anchor.recreated`, `audit.key.replaced`,
 * reanchor.ts), one sentence each. The first anchor of a folder (a new one, or one upgraded from
 * before the key) is not recorded, so it is not among them.
 */
function repairWarnings(db: Db): string[] {
  const rows = db
    .prepare("SELECT seq, at, action, details FROM audit_log WHERE action IN ('audit.anchor.recreated', 'audit.key.replaced') AND actor = 'ordo' ORDER BY seq")
    .all() as { seq: number; at: string; action: string; details: string }[];
  return rows.map((row) => {
    const reason = detailsOf(row.details)['reason'];
    if (row.action === 'audit.key.replaced') {
      const was = reason === 'unreadable' ? 'était endommagée' : 'était absente';
      return `${whenOf(row.at)}, la clé du journal d’audit ${was} : Ordo en a créé une nouvelle (entrée ${row.seq}) ; les entrées faites avec l’ancienne ne peuvent être vérifiées que si son fichier est remis dans le dossier « keys ». ${AFTERWARDS}`;
    }
    const was = reason === 'missing' ? 'était absente' : reason === 'unreadable' ? 'était endommagée' : reason === 'other-key' || reason === 'invalid' ? 'était fausse' : 'était absente ou fausse';
    return `${whenOf(row.at)}, l’ancre du journal d’audit ${was} : elle a été recréée (entrée ${row.seq}). ${AFTERWARDS}`;
  });
}
