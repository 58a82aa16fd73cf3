/**
 * The checks of `ordo doctor` and of Réglages → Diagnostic: the practice database opened
 * read-only (never migrated, never written), its integrity, its schema version and the migrations
 * pending, the audit chain, jobs left running by a dead process, and the installed referential
 * files. Runs as a task (a thread of its own in the app): `integrity_check` reads the whole file.
 */
import { existsSync } from 'node:fs';
import type { Diagnostic } from '../../shared/calls/app';
import { OrdoError } from '../../shared/errors';
import { verifyAudit } from '../audit/audit';
import { latestVersion, schemaVersion } from '../db/migrate';
import { migrations } from '../db/migrations';
import { openSqlite } from '../db/open';
import type { Db, OpenOptions } from '../db/types';
import { referentialHealth } from '../drugs/api';
import { databasePath } from '../paths';
import { pidAlive } from '../jobs/liveness';

function jobsOf(db: Db, now: Date): Diagnostic['jobs'] {
  const hasJobs = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'jobs'").pluck().get() === 1;
  if (!hasJobs) return { active: 0, interrupted: 0 };
  const active = db.prepare("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running', 'retrying')").pluck().get() as number;
  const running = db.prepare("SELECT owner_pid, lease_until FROM jobs WHERE state = 'running'").all() as { owner_pid: number; lease_until: string }[];
  const interrupted = running.filter((r) => r.lease_until < now.toISOString() || (r.owner_pid !== process.pid && !pidAlive(r.owner_pid))).length;
  return { active, interrupted };
}

export function diagnose(args: { dataDir: string; sqlite: OpenOptions; now?: string }): Diagnostic {
  const now = args.now === undefined ? new Date() : new Date(args.now);
  const file = databasePath(args.dataDir);
  const appSchemaVersion = latestVersion(migrations);
  const report: Diagnostic = {
    ok: false,
    dataDir: args.dataDir,
    database: file,
    schemaVersion: null,
    appSchemaVersion,
    pendingMigrations: [],
    integrity: '',
    audit: { ok: false, entries: 0 },
    jobs: { active: 0, interrupted: 0 },
    referential: referentialHealth(args.dataDir, args.sqlite),
    problems: [],
    checkedAt: now.toISOString(),
  };
  if (!existsSync(file)) {
    report.problems.push(`Aucune base de données dans ce dossier (${file}) : Ordo la créera à son premier démarrage.`);
    return report;
  }
  let db: Db;
  try {
    db = openSqlite(file, { ...args.sqlite, readonly: true });
  } catch {
    report.problems.push('La base de données n’a pas pu être ouverte (fichier illisible ou endommagé).');
    return report;
  }
  try {
    const version = schemaVersion(db);
    report.schemaVersion = version;
    if (version > appSchemaVersion) {
      report.problems.push(new OrdoError('DATABASE_TOO_NEW', `Cette base de données (version ${version}) a été créée par une version plus récente d’Ordo (qui connaît la version ${appSchemaVersion}). Mettez Ordo à jour pour l’ouvrir.`).message);
    }
    report.pendingMigrations = migrations.filter((m) => m.version > version).map((m) => m.name);
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    report.integrity = integrity.join('; ');
    if (!(integrity.length === 1 && integrity[0] === 'ok')) report.problems.push('Le fichier de la base de données est endommagé : restaurez une sauvegarde.');
    const hasAudit = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").pluck().get() === 1;
    report.audit = hasAudit ? verifyAudit(db) : { ok: true, entries: 0 };
    if (!report.audit.ok) report.problems.push(`Le journal d’audit a été modifié en dehors d’Ordo (à partir de l’entrée ${report.audit.brokenAt ?? '?'}).`);
    report.jobs = jobsOf(db, now);
    if (report.referential.drugs === 'unreadable') report.problems.push('La base des médicaments installée est illisible : relancez sa mise à jour.');
    if (report.referential.interactions === 'unreadable') report.problems.push('Le thésaurus des interactions installé est illisible : réimportez-le.');
  } finally {
    db.close();
  }
  report.ok = report.problems.length === 0;
  return report;
}

export const diagnoseTask = (args: { dataDir: string; sqlite: OpenOptions }): Diagnostic => diagnose(args);
