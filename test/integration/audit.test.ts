import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAnchor } from '../../electron/audit/anchor';
import { appendAudit, verifyAudit } from '../../electron/audit/audit';
import { checkAudit } from '../../electron/audit/check';
import { reanchorAudit } from '../../electron/audit/reanchor';
import { createApp, diagnoseDataDir } from '../../electron/app';
import { fixedClock } from '../../electron/clock';
import { OrdoError } from '../../shared/errors';
import { migrate } from '../../electron/db/migrate';
import { migrations } from '../../electron/db/migrations';
import { openDatabase, openSqlite } from '../../electron/db/open';
import { writeTransaction } from '../../electron/db/transaction';
import type { Db } from '../../electron/db/types';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';

const tmp = tempDir();
afterAll(() => tmp.remove());
const at = new Date('2026-11-25T10:00:00Z');
let dirs = 0;
const freshDir = () => {
  const dir = join(tmp.dir, `d${++dirs}`);
  mkdirSync(dir);
  return dir;
};
const audit = (db: Db, subject: string) => writeTransaction(db, () => appendAudit(db, { actor: 'prescriber', action: 'test', subject, details: {} }, at));
const anchorSeq = (dir: string) => {
  const read = readAnchor(join(dir, 'ordo.db.anchor'));
  return read.state === 'ok' ? read.anchor.seq : read.state;
};

describe('audit log', () => {
  it('chains entries and refuses updates and deletes', () => {
    const db = openDatabase(join(tmp.dir, 'audit.db'));
    for (let i = 0; i < 3; i++) appendAudit(db, { actor: 'prescriber', action: 'test', subject: `s${i}`, details: { i } }, at);
    expect(verifyAudit(db)).toEqual({ ok: true, entries: 3 });
    expect(() => db.prepare("UPDATE audit_log SET action = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    db.close();
  });

  it('detects tampering done around the triggers', () => {
    const db = openDatabase(join(tmp.dir, 'tamper.db'));
    for (let i = 0; i < 3; i++) appendAudit(db, { actor: 'prescriber', action: 'test', subject: `s${i}`, details: {} }, at);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET subject = 'forged' WHERE seq = 2").run();
    expect(verifyAudit(db)).toEqual({ ok: false, entries: 1, brokenAt: 2 });
    db.close();
  });
});

describe('the audit key', () => {
  it('is made at the first open, kept in the key store of the data folder (0600), never in the database', () => {
    const dir = freshDir();
    const db = openDatabase(join(dir, 'ordo.db'));
    const keyFile = join(dir, 'keys', 'audit.key');
    expect(existsSync(keyFile)).toBe(true);
    if (process.platform !== 'win32') {
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    }
    audit(db, 'a');
    const row = db.prepare('SELECT alg, key_id FROM audit_log').get() as { alg: string; key_id: string };
    const stored = JSON.parse(readFileSync(keyFile, 'utf8')) as { id: string; sealed: string; protector: string };
    expect(row).toEqual({ alg: 'hmac-sha256', key_id: stored.id });
    expect(stored.protector).toBe('plain');
    db.close();
    const secret = Buffer.from(stored.sealed, 'base64');
    expect(secret).toHaveLength(32);
    const file = readFileSync(join(dir, 'ordo.db'));
    for (const form of [secret, Buffer.from(secret.toString('hex')), Buffer.from(stored.sealed)]) expect(file.includes(form)).toBe(false);
  });

  it('the schema refuses an unkeyed row, even with a correct SHA-256', () => {
    const db = openDatabase(join(freshDir(), 'ordo.db'));
    expect(() =>
      db.prepare("INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (1, 'x', 'a', 'b', 'c', '{}', ?, 'h')").run('0'.repeat(64)),
    ).toThrow(/keyed rows only/);
    db.close();
  });

  it('the diagnostic never makes one: a folder Ordo has not opened since keeps no key', () => {
    const dir = freshDir();
    const db = openSqlite(join(dir, 'ordo.db'));
    migrate(db, migrations.slice(0, 6));
    appendAudit(db, { actor: 'prescriber', action: 'profile.created', subject: 'profile', details: {} }, at);
    db.close();
    const report = diagnoseDataDir(dir);
    expect(report.audit).toMatchObject({ ok: true, legacy: 1, keyed: 0, key: 'none', anchor: { state: 'none' } });
    expect(existsSync(join(dir, 'keys'))).toBe(false);
    expect(existsSync(join(dir, 'ordo.db.anchor'))).toBe(false);
  });

  it('a key file that cannot be read is moved aside at start, never overwritten, and its replacement recorded', () => {
    const dir = freshDir();
    const db = openDatabase(join(dir, 'ordo.db'));
    audit(db, 'a');
    db.close();
    writeFileSync(join(dir, 'keys', 'audit.key'), 'pas une clé');
    const reopened = openDatabase(join(dir, 'ordo.db'));
    audit(reopened, 'b');
    const actions = reopened.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all();
    reopened.close();
    expect(actions).toEqual(['test', 'audit.anchor.recreated', 'audit.key.replaced', 'test']);
    const aside = readdirSync(join(dir, 'keys')).filter((f) => f.startsWith('audit.key.illisible-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, 'keys', aside[0]!), 'utf8')).toBe('pas une clé');
    // Row 1 was made with the lost key: said so, the rest verifies.
    const report = diagnoseDataDir(dir);
    expect(report.problems).toEqual([expect.stringMatching(/^L’entrée 1 du journal d’audit a été faite avec une clé \([0-9a-f]{16}\) absente du dossier des clés/)]);
    expect(report.audit).toMatchObject({ key: 'ok', anchor: { state: 'ok', seq: 4 } });
  });
});

describe('the audit key when it cannot be had', () => {
  /** What an audited write throws, or undefined. */
  const failureOf = (db: Db): unknown => {
    try {
      audit(db, 'x');
      return undefined;
    } catch (error) {
      return error;
    }
  };

  it('a key file that cannot be read (not damaged) is left alone, and audited writes are refused in French', () => {
    const dir = freshDir();
    const db = openDatabase(join(dir, 'ordo.db'));
    audit(db, 'a');
    db.close();
    const keyFile = join(dir, 'keys', 'audit.key');
    const original = readFileSync(keyFile);
    // A read error (as EACCES or EBUSY would give): a folder where the file was.
    rmSync(keyFile);
    mkdirSync(keyFile);
    const reopened = openDatabase(join(dir, 'ordo.db'));
    const error = failureOf(reopened);
    const actions = reopened.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all();
    reopened.close();
    expect(error).toBeInstanceOf(OrdoError);
    expect((error as OrdoError).message).toMatch(/^La clé du journal d’audit ne peut pas être lue \(.*audit\.key\) : le fichier ne peut pas être lu/);
    expect(actions).toEqual(['test']);
    expect(readdirSync(join(dir, 'keys'))).toEqual(['audit.key']);
    expect(statSync(keyFile).isDirectory()).toBe(true);
    // Once readable again, nothing was replaced: the chain goes on under the same key.
    rmSync(keyFile, { recursive: true });
    writeFileSync(keyFile, original);
    const again = openDatabase(join(dir, 'ordo.db'));
    audit(again, 'b');
    again.close();
    expect(diagnoseDataDir(dir)).toMatchObject({ ok: true, warnings: [], audit: { entries: 2, anchor: { state: 'ok', seq: 2 } } });
  });

  it('a key that disappears while Ordo runs is not re-created by another connection: its writes are refused in French', () => {
    const dir = freshDir();
    const file = join(dir, 'ordo.db');
    const app = openDatabase(file);
    audit(app, 'a');
    rmSync(join(dir, 'keys', 'audit.key'));
    // A job thread or a CLI command: its own connection, no start of its own.
    const other = openSqlite(file);
    const error = failureOf(other);
    other.close();
    app.close();
    expect(error).toBeInstanceOf(OrdoError);
    expect((error as OrdoError).message).toMatch(/^La clé du journal d’audit a disparu \(.*audit\.key\) alors qu’Ordo fonctionne/);
    expect(existsSync(join(dir, 'keys', 'audit.key'))).toBe(false);
  });

  it('a key store that cannot be created makes audited writes fail with a French error, not an unexpected one', () => {
    const dir = freshDir();
    // A file where the keys folder should be: mkdir fails, as on a read-only or full folder.
    writeFileSync(join(dir, 'keys'), '');
    const db = openDatabase(join(dir, 'ordo.db'));
    const error = failureOf(db);
    db.close();
    expect(error).toBeInstanceOf(OrdoError);
    expect((error as OrdoError).message).toMatch(/^La clé du journal d’audit n’a pas pu être créée \(.*audit\.key : E[A-Z]+\)/);
  });
});

describe('what the start repaired stays visible', () => {
  it('an anchor deleted, then a start: the re-creation is dated by the app’s clock, and the diagnostic warns of it without failing', () => {
    const dir = freshDir();
    const first = createApp({ dataDir: dir, mode: 'host', jobs: { threads: false }, clock: fixedClock('2026-12-01T09:00:00Z') });
    audit(first.db, 'a');
    first.close();
    rmSync(join(dir, 'ordo.db.anchor'));
    const restart = new Date('2026-12-02T17:05:00Z');
    const second = createApp({ dataDir: dir, mode: 'host', jobs: { threads: false }, clock: fixedClock(restart.toISOString()) });
    const row = second.db.prepare("SELECT seq, at FROM audit_log WHERE action = 'audit.anchor.recreated'").get() as { seq: number; at: string };
    second.close();
    expect(row.at).toBe(restart.toISOString());
    const report = diagnoseDataDir(dir);
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(new RegExp(`^Le \\d{2}/12/2026 à \\d{2}:\\d{2}, l’ancre du journal d’audit était absente : elle a été recréée \\(entrée ${row.seq}\\)\\. Si personne n’a restauré ni déplacé le dossier des données, le journal a pu être modifié\\.$`));
  });

  it('a key deleted, then a start: both the new anchor and the new key are warned of', () => {
    const dir = freshDir();
    const db = openDatabase(join(dir, 'ordo.db'));
    audit(db, 'a');
    db.close();
    rmSync(join(dir, 'keys', 'audit.key'));
    openDatabase(join(dir, 'ordo.db'), {}, { now: at }).close();
    const report = diagnoseDataDir(dir);
    expect(report.warnings).toEqual([
      expect.stringMatching(/, l’ancre du journal d’audit était fausse : elle a été recréée \(entrée 2\)/),
      expect.stringMatching(/, la clé du journal d’audit était absente : Ordo en a créé une nouvelle \(entrée 3\)/),
    ]);
  });
});

describe('the legacy prefix', () => {
  /** A practice whose log was written before the key (migration 0006), then opened by this Ordo. */
  function legacyPractice(): { dir: string; db: Db } {
    const dir = freshDir();
    const old = openSqlite(join(dir, 'ordo.db'));
    migrate(old, migrations.slice(0, 6));
    for (let i = 0; i < 3; i++) appendAudit(old, { actor: 'prescriber', action: 'legacy', subject: `s${i}`, details: {} }, at);
    old.close();
    return { dir, db: openDatabase(join(dir, 'ordo.db')) };
  }

  it('stays verifiable; the first keyed row chains to the last legacy hash; the anchor starts at the legacy head', () => {
    const { dir, db } = legacyPractice();
    expect(anchorSeq(dir)).toBe(3);
    audit(db, 'k1');
    audit(db, 'k2');
    const rows = db.prepare('SELECT seq, alg, prev_hash, hash FROM audit_log ORDER BY seq').all() as { seq: number; alg: string; prev_hash: string; hash: string }[];
    expect(rows.map((r) => r.alg)).toEqual(['sha256', 'sha256', 'sha256', 'hmac-sha256', 'hmac-sha256']);
    expect(rows[3]!.prev_hash).toBe(rows[2]!.hash);
    expect(verifyAudit(db)).toEqual({ ok: true, entries: 5 });
    expect(checkAudit(db, dir, join(dir, 'ordo.db'))).toMatchObject({ ok: true, legacy: 3, keyed: 2, anchor: { state: 'ok', seq: 5 } });
    db.close();
    // The first anchor of a folder upgraded from before the key is a normal event, not a warning.
    expect(diagnoseDataDir(dir)).toMatchObject({ ok: true, warnings: [] });
  });

  it('a legacy row edited with every legacy SHA-256 after it recomputed no longer reaches the keyed rows', () => {
    const { dir, db } = legacyPractice();
    audit(db, 'k1');
    db.exec('DROP TRIGGER audit_log_no_update');
    const rows = db.prepare('SELECT * FROM audit_log WHERE seq <= 3 ORDER BY seq').all() as { seq: number; at: string; actor: string; action: string; subject: string; details: string; prev_hash: string }[];
    let prev = '0'.repeat(64);
    for (const row of rows) {
      const edited = { ...row, subject: row.seq === 2 ? 'forged' : row.subject, prev_hash: prev };
      const hash = createHash('sha256').update(JSON.stringify([edited.seq, edited.at, edited.actor, edited.action, edited.subject, edited.details, edited.prev_hash])).digest('hex');
      db.prepare('UPDATE audit_log SET subject = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(edited.subject, prev, hash, row.seq);
      prev = hash;
    }
    const report = checkAudit(db, dir, join(dir, 'ordo.db'));
    expect(report).toMatchObject({ ok: false, brokenAt: 4 });
    expect(report.problems).toContain('Le journal d’audit a été modifié en dehors d’Ordo : l’entrée 4 n’est plus chaînée à la précédente.');
    db.close();
  });
});

describe('the anchor', () => {
  it('follows each commit, is written after it (not inside the transaction), and a rollback leaves it', () => {
    const dir = freshDir();
    const db = openDatabase(join(dir, 'ordo.db'));
    expect(anchorSeq(dir)).toBe(0);
    audit(db, 'a');
    expect(anchorSeq(dir)).toBe(1);
    let inside: number | string = -1;
    writeTransaction(db, () => {
      appendAudit(db, { actor: 'prescriber', action: 'test', subject: 'b', details: {} }, at);
      appendAudit(db, { actor: 'prescriber', action: 'test', subject: 'c', details: {} }, at);
      inside = anchorSeq(dir);
    });
    expect(inside).toBe(1);
    expect(anchorSeq(dir)).toBe(3);
    expect(() =>
      writeTransaction(db, () => {
        appendAudit(db, { actor: 'prescriber', action: 'test', subject: 'd', details: {} }, at);
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(anchorSeq(dir)).toBe(3);
    audit(db, 'e');
    expect(anchorSeq(dir)).toBe(4);
    db.close();
  });

  it('a temporary file of an anchor write older than ten minutes is removed at the next start, not a recent one (possibly being written)', () => {
    const dir = freshDir();
    openDatabase(join(dir, 'ordo.db')).close();
    const stale = join(dir, '.ordo.db.anchor.4242.1.abc.tmp');
    const fresh = join(dir, '.ordo.db.anchor.4243.2.def.tmp');
    writeFileSync(stale, '{');
    writeFileSync(fresh, '{');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stale, hourAgo, hourAgo);
    openDatabase(join(dir, 'ordo.db')).close();
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('processes appending at once: it never moves back and ends at the head', async () => {
    const dir = freshDir();
    const file = join(dir, 'ordo.db');
    openDatabase(file).close();
    const count = 60;
    const run = (name: string) =>
      new Promise<number[]>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/support/audit-appender-process.ts'), file, String(count), name], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ORDO_LOG: 'warn' } });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`appender exited ${code}: ${err}`))));
      });
    const seen = await Promise.all([run('a'), run('b'), run('c')]);
    for (const s of seen) {
      expect(s).toHaveLength(count);
      // What each process read after its commits only grows.
      for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThanOrEqual(s[i - 1]!);
    }
    expect(anchorSeq(dir)).toBe(3 * count);
    const report = diagnoseDataDir(dir);
    expect(report).toMatchObject({ ok: true, audit: { ok: true, entries: 3 * count, anchor: { state: 'ok', seq: 3 * count } } });
  });

  it('after a restore, is set back to the restored head on purpose, and the log says so', () => {
    const dir = freshDir();
    const file = join(dir, 'ordo.db');
    const db = openDatabase(file);
    for (let i = 0; i < 3; i++) audit(db, `before-${i}`);
    db.exec('VACUUM INTO ' + `'${join(dir, 'backup.db')}'`);
    for (let i = 0; i < 3; i++) audit(db, `after-${i}`);
    db.close();
    // The older file in place: the anchor is ahead of it, as after a deletion of the tail.
    writeFileSync(file, readFileSync(join(dir, 'backup.db')));
    const restored = openDatabase(file);
    expect(checkAudit(restored, dir, file)).toMatchObject({ ok: false, anchor: { state: 'ahead', seq: 6 } });
    const outcome = reanchorAudit(restored, dir, at, 'restore');
    expect(outcome).toMatchObject({ anchor: 'reset', seq: 3, chain: { ok: true, entries: 4 } });
    const last = restored.prepare('SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string; details: string };
    expect(last.action).toBe('audit.reanchored');
    expect(JSON.parse(last.details)).toMatchObject({ reason: 'restore', previous: { seq: 6 }, head: 3 });
    expect(checkAudit(restored, dir, file)).toMatchObject({ ok: true, anchor: { state: 'ok', seq: 4 } });
    restored.close();
  });
});
