/**
 * The checks of `ordo doctor` and of Réglages → Diagnostic: the practice database opened
 * read-only (never migrated, never written), its integrity, its schema version and the migrations
 * pending, its schema against the migrations' (triggers included), the audit chain with its key
 * and its anchor, each signature's audit entry (signatures.ts), jobs left running by a dead
 * process, and the installed referential files. Runs as a task (a thread of its own in the app):
 * `integrity_check` reads the whole file.
 *
 * `problems` are what is wrong now (`ok` is false, the exit code of `ordo doctor` non-zero);
 * `warnings` are past events worth knowing that nothing can clear, such as an audit anchor or key
 * Ordo had to re-create (check.ts): they never make `ok` false.
 *
 * It never throws: a damaged file (a page overwritten, a header that is not SQLite's) is a report
 * that says so in French, whatever check found it first.
 */
import { existsSync } from 'node:fs';
import type { Diagnostic } from '../../shared/calls/app';
import { OrdoError } from '../../shared/errors';
import { checkAudit } from '../audit/check';
import { latestVersion, schemaVersion } from '../db/migrate';
import { migrations } from '../db/migrations';
import { openSqlite } from '../db/open';
import type { Db, OpenOptions } from '../db/types';
import { referentialHealth } from '../drugs/api';
import { pidAlive } from '../jobs/liveness';
import { databasePath } from '../paths';
import { checkSchema, schemaProblem } from './schema';
import { signatureAuditProblems } from './signatures';
import { DAMAGED } from '../backup/messages';

export const DAMAGED_MESSAGE = DAMAGED; // the one sentence, shared with the start-up check and the degraded mode

function jobsOf(db: Db, now: Date): Diagnostic['jobs'] {
  const hasJobs = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'jobs'").pluck().get() === 1;
  if (!hasJobs) return { active: 0, interrupted: 0 };
  const active = db.prepare("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running', 'retrying')").pluck().get() as number;
  const running = db.prepare("SELECT owner_pid, lease_until FROM jobs WHERE state = 'running'").all() as { owner_pid: number; lease_until: string }[];
  const interrupted = running.filter((r) => r.lease_until < now.toISOString() || (r.owner_pid !== process.pid && !pidAlive(r.owner_pid))).length;
  return { active, interrupted };
}

/** SQLite's word for a file it cannot read as a database, wholly or in part. */
function isDamage(error: unknown): boolean {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB|FORMAT|IOERR)/.test(code);
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
    schema: null,
    damaged: false,
    jobs: { active: 0, interrupted: 0 },
    referential: { drugs: 'unreadable', interactions: 'unreadable' },
    problems: [],
    warnings: [],
    checkedAt: now.toISOString(),
  };
  const problems: string[] = [];
  let damaged = false;
  /** One check; a damaged file is said once, anything else unexpected names the check. */
  const attempt = (what: string, check: () => void) => {
    try {
      check();
    } catch (error) {
      if (isDamage(error)) damaged = true;
      else problems.push(`La vérification « ${what} » n’a pas pu aller au bout : le fichier de la base de données est peut-être endommagé.`);
    }
  };
  const finish = () => {
    report.damaged = damaged;
    report.problems = damaged ? [DAMAGED_MESSAGE, ...problems] : problems;
    report.ok = report.problems.length === 0;
    return report;
  };

  attempt('bases de référence', () => {
    report.referential = referentialHealth(args.dataDir, args.sqlite);
    if (report.referential.drugs === 'unreadable') problems.push('La base des médicaments installée est illisible : relancez sa mise à jour.');
    if (report.referential.interactions === 'unreadable') problems.push('Le thésaurus des interactions installé est illisible : réimportez-le.');
  });
  if (!existsSync(file)) {
    problems.unshift(`Aucune base de données dans ce dossier (${file}) : Ordo la créera à son premier démarrage.`);
    return finish();
  }
  let db: Db;
  try {
    db = openSqlite(file, { ...args.sqlite, readonly: true });
  } catch (error) {
    if (isDamage(error)) damaged = true;
    else problems.unshift('La base de données n’a pas pu être ouverte (fichier illisible ou droits d’accès insuffisants).');
    return finish();
  }
  try {
    attempt('version du schéma', () => {
      const version = schemaVersion(db);
      report.schemaVersion = version;
      if (version > appSchemaVersion) {
        problems.push(new OrdoError('DATABASE_TOO_NEW', `Cette base de données (version ${version}) a été créée par une version plus récente d’Ordo (qui connaît la version ${appSchemaVersion}). Mettez Ordo à jour pour l’ouvrir.`).message);
      }
      report.pendingMigrations = migrations.filter((m) => m.version > version).map((m) => m.name);
    });
    attempt('intégrité', () => {
      const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
      report.integrity = integrity.join('; ');
      if (!(integrity.length === 1 && integrity[0] === 'ok')) damaged = true;
    });
    const known = report.schemaVersion;
    if (known !== null && known <= appSchemaVersion) {
      attempt('schéma', () => {
        const schema = checkSchema(db, known, args.sqlite);
        report.schema = schema;
        if (!schema.ok) problems.push(schemaProblem(schema));
      });
    }
    attempt('journal d’audit', () => {
      const { problems: auditProblems, warnings, ...audit } = checkAudit(db, args.dataDir, file);
      report.audit = audit;
      report.warnings = warnings;
      problems.push(...auditProblems);
    });
    // The audit head each signature covers, and its own entry right after it: a deleted tail shows even re-anchored.
    attempt('signatures et journal d’audit', () => {
      problems.push(...signatureAuditProblems(db));
    });
    attempt('tâches', () => {
      report.jobs = jobsOf(db, now);
    });
  } finally {
    try {
      db.close();
    } catch {
      // closing a damaged file changes nothing to the report
    }
  }
  return finish();
}

export const diagnoseTask = (args: { dataDir: string; sqlite: OpenOptions }): Diagnostic => diagnose(args);
