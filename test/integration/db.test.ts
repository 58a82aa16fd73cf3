import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { latestVersion, migrate, schemaVersion, type Migration } from '../../electron/db/migrate';
import { migrations } from '../../electron/db/migrations';
import { openDatabase, openSqlite } from '../../electron/db/open';
import { OrdoError } from '../../shared/errors';
import { tempDir } from '../support/tmp';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('practice database', () => {
  it('opens with the pragmas a legal record needs and stamps the schema version', () => {
    const db = openDatabase(join(tmp.dir, 'a', 'ordo.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(schemaVersion(db)).toBe(latestVersion(migrations));
    db.close();
  });

  it('numbers migrations 1..n in order', () => {
    migrations.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it.each(migrations.map((m) => [m.name, m] as const))('migration %s applies on a fresh database', (_name, m) => {
    const db = openSqlite(join(tmp.dir, `fresh-${m.version}.db`));
    migrate(db, migrations.slice(0, m.version));
    expect(schemaVersion(db)).toBe(m.version);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('refuses a database made by a newer Ordo, with a French message, and leaves it untouched', () => {
    const file = join(tmp.dir, 'newer.db');
    const raw = openSqlite(file);
    raw.pragma('user_version = 999');
    raw.close();
    let caught: unknown;
    try {
      openDatabase(file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OrdoError);
    expect((caught as OrdoError).code).toBe('DATABASE_TOO_NEW');
    expect((caught as OrdoError).message).toMatch(/version plus récente d’Ordo/);
    const again = openSqlite(file);
    expect(schemaVersion(again)).toBe(999);
    again.close();
  });

  it('applies pending migrations in one transaction: a failing one leaves nothing behind', () => {
    const db = openSqlite(join(tmp.dir, 'atomic.db'));
    const broken: Migration[] = [
      { version: 1, name: 'ok', up: 'CREATE TABLE a (x INTEGER) STRICT;' },
      { version: 2, name: 'broken', up: 'CREATE TABLE b (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('a','b')").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a profile that must never be stored, even written directly', () => {
    const db = openDatabase(join(tmp.dir, 'checks.db'));
    const insert = (rpps: string) =>
      db
        .prepare(
          `INSERT INTO prescriber_profile (id, last_name, first_name, specialty, rpps, am_number, practice_name, address, postal_code, city, phone, email, updated_at)
           VALUES (1, 'M', 'C', 'MG', ?, '751234568', '', '1 rue', '69003', 'Lyon', '0478000000', 'a@b.fr', '2026-01-01')`,
        )
        .run(rpps);
    expect(() => insert('1234')).toThrow(/CHECK constraint/);
    expect(() => insert('1000315458A')).toThrow(/CHECK constraint/);
    expect(() => db.prepare("INSERT INTO prescriber_profile (id) VALUES (2)").run()).toThrow();
    db.close();
  });
});
