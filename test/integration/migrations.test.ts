/**
 * Every migration applied to a database of the version before it that holds data (a profile,
 * an audit chain, patients, settings, jobs), not only to an empty one: nothing is lost, the
 * audit chain still verifies, the foreign keys and the file stay sound.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../../electron/audit/audit';
import { migrate, schemaVersion } from '../../electron/db/migrate';
import { migrations } from '../../electron/db/migrations';
import { openSqlite } from '../../electron/db/open';
import type { Db } from '../../electron/db/types';
import { syntheticPatients } from '../../electron/patients/synthetic';
import { readSetting } from '../../electron/settings/repository';
import { validProfile } from '../support/fixtures';
import { insertPatientBefore0006 } from '../support/legacy-patients';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-migrations-');
afterAll(() => tmp.remove());
const at = '2026-11-01T08:00:00.000Z';
const now = new Date(at);

/** What a practice had in its database at each version, written as that version would. */
const seeds: Record<number, (db: Db) => void> = {
  1: (db) => {
    db.prepare(
      `INSERT INTO prescriber_profile (id, last_name, first_name, specialty, rpps, am_number, practice_name, address, postal_code, city, phone, email, updated_at)
       VALUES (1, @lastName, @firstName, @specialty, @rpps, @amNumber, @practiceName, @address, @postalCode, @city, @phone, @email, '${at}')`,
    ).run(validProfile);
    appendAudit(db, { actor: 'prescriber', action: 'profile.created', subject: 'profile', details: {} }, now);
  },
  2: (db) => {
    for (const p of syntheticPatients(50, 7)) insertPatientBefore0006(db, p, at);
    appendAudit(db, { actor: 'prescriber', action: 'patients.demo', subject: 'patients', details: { count: 50 } }, now);
  },
  3: (db) => {
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('drugs.bdpmBaseUrl', 'https://miroir.exemple.fr/bdpm/', ?)").run(at);
  },
  4: (db) => {
    db.prepare(
      `INSERT INTO jobs (kind, state, input, attempts, max_attempts, next_run_at, created_at, updated_at) VALUES ('patients.import', 'queued', '{"fileName":"a.csv","bytes":3}', 0, 3, ?, ?, ?)`,
    ).run(at, at, at);
    db.prepare("INSERT INTO job_payloads (job_id, name, bytes) VALUES (1, 'file', x'616263')").run();
    db.prepare(
      `INSERT INTO jobs (kind, state, input, attempts, max_attempts, result, finished_at, created_at, updated_at) VALUES ('drugs.update', 'done', '{"source":"download","baseUrl":"https://x/"}', 1, 5, '{}', ?, ?, ?)`,
    ).run(at, at, at);
  },
};

const tablesOf = (db: Db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
const countsOf = (db: Db) => Object.fromEntries(tablesOf(db).map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));

describe('each migration on a database of the version before it, with data', () => {
  it.each(migrations.filter((m) => m.version > 1).map((m) => [m.name, m.version] as const))('%s', (_name, version) => {
    const db = openSqlite(join(tmp.dir, `v${version}.db`));
    // Each seed written by its own version, as a practice's data accumulated.
    for (let v = 1; v < version; v++) {
      migrate(db, migrations.slice(0, v));
      seeds[v]?.(db);
    }
    const before = countsOf(db);
    const audit = verifyAudit(db);

    migrate(db, migrations.slice(0, version));
    expect(schemaVersion(db)).toBe(version);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const after = countsOf(db);
    for (const [table, rows] of Object.entries(before)) expect(after[table], `${table} after ${_name}`).toBe(rows);
    expect(verifyAudit(db)).toEqual(audit);
    expect(audit.ok).toBe(true);
    if (version === 5) {
      // The address stored as text by 0003 is now a JSON value its schema accepts.
      expect(readSetting(db, 'drugs.bdpmBaseUrl')).toBe('https://miroir.exemple.fr/bdpm/');
    }
    db.close();
  });

  it('the whole chain on a database seeded at each step ends at the latest version with everything', () => {
    const db = openSqlite(join(tmp.dir, 'chain.db'));
    for (const m of migrations) {
      migrate(db, migrations.slice(0, m.version));
      seeds[m.version]?.(db);
    }
    expect(countsOf(db)).toMatchObject({ prescriber_profile: 1, patients: 50, settings: 1, jobs: 2, job_payloads: 1 });
    expect(verifyAudit(db).ok).toBe(true);
    db.close();
  });
});
