/**
 * Backups (issue 9, point 7) and the degraded mode of a damaged database (point 6, the app's
 * half): daily backups with the backup API, checked, kept 7 days and 4 weeks; `ordo backup` and
 * `ordo restore` with their refusals; the restore in the app, which reopens the database; and a
 * backup taken while the host writes patients, restored to a consistent database.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupList } from '../../shared/calls/backup';
import type { Diagnostic } from '../../shared/calls/app';
import type { PushedEvent } from '../../shared/events';
import { createApp } from '../../electron/app';
import { createBackupService } from '../../electron/backup/api';
import { backupsDir, checkRecordPath, listBackups } from '../../electron/backup/files';
import { DAMAGED, describeFailure, fileErrorCause, integritySummary } from '../../electron/backup/messages';
import { restoreBackup } from '../../electron/backup/restore';
import { retention } from '../../electron/backup/names';
import type { Clock } from '../../electron/clock';
import { diagnose } from '../../electron/diagnostic/diagnose';
import { dispatch } from '../../electron/dispatch';
import { migrate } from '../../electron/db/migrate';
import { migrations } from '../../electron/db/migrations';
import { openSqlite } from '../../electron/db/open';
import { databasePath } from '../../electron/paths';
import { tasks } from '../../electron/tasks';
import { superviseApp } from '../../electron/worker/supervisor';
import { taskRunner } from '../../electron/worker/tasks';
import { runOrdo, ordoCommand, type CliResult } from '../support/cli';
import { overwritePage } from '../support/damage';
import { validProfile } from '../support/fixtures';
import { startInProcessHost } from '../support/host';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';
import { letterCode } from '../support/names';

const tmp = tempDir('ordo-backup-');
let n = 0;
afterAll(() => tmp.remove());

const freshDir = () => join(tmp.dir, `d${n++}`);
const patient = (i: number) => ({ patient: { birthName: `Sauvegarde${letterCode(i)}`, firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980' }, confirmed: [] });

/** A data folder with a profile and `count` patients, closed. */
async function practice(count = 3): Promise<string> {
  const dataDir = freshDir();
  const app = createApp({ dataDir, mode: 'host', jobs: { threads: false } });
  expect(await dispatch(app.services, 'profile.save', validProfile)).toMatchObject({ ok: true });
  for (let i = 0; i < count; i++) expect(await dispatch(app.services, 'patients.create', patient(i))).toMatchObject({ ok: true });
  app.close();
  return dataDir;
}

const integrityOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
};

const countPatients = (dataDir: string) => {
  const db = new Database(databasePath(dataDir), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM patients').pluck().get() as number;
  } finally {
    db.close();
  }
};

/** `ordo …` in a child process without blocking this one (the in-process host keeps answering). */
function runOrdoAsync(args: string[]): Promise<CliResult> {
  const [node, ...pre] = ordoCommand;
  const child = spawn(node, [...pre, ...args], { cwd: repoRoot, env: { ...process.env, ORDO_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

const json = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('daily backups', () => {
  it('keeps the 7 newest daily backups and the newest of each of the 4 ISO weeks before them, over 60 simulated days', async () => {
    const dataDir = await practice(1);
    let now = new Date(2026, 9, 1, 9, 30); // Thursday 1 October 2026, local time
    const clock: Clock = { now: () => now };
    const service = createBackupService({ dataDir, sqlite: {}, clock, runTask: taskRunner(tasks, false) });
    for (let day = 0; day < 60; day++) {
      now = new Date(2026, 9, 1 + day, 9, 30);
      expect((await service.daily())?.written).toBe(true);
      // A second start the same day does not make another one.
      expect(await service.daily()).toBeNull();
    }
    const names = (kind: string) => listBackups(backupsDir(dataDir)).filter((b) => b.kind === kind).map((b) => b.day).sort();
    // 29 November 2026 is a Sunday: the daily window is ISO week 48 whole.
    expect(names('daily')).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    // Weeks 47, 46, 45 and 44: each kept by its newest backup, a Sunday.
    expect(names('weekly')).toEqual(['2026-11-01', '2026-11-08', '2026-11-15', '2026-11-22']);
    const files = readdirSync(backupsDir(dataDir)).filter((f) => f.endsWith('.db'));
    expect(files).toHaveLength(11);
    // Each one passed its check when written, and is a whole database now.
    for (const b of listBackups(backupsDir(dataDir))) {
      expect(b).toMatchObject({ check: 'ok', schemaVersion: migrations.length });
      expect(integrityOf(join(backupsDir(dataDir), b.name))).toBe('ok');
    }

    // A practice closed for a month: its backups are still there when it comes back, one more is made.
    now = new Date(2026, 11, 30, 9, 30);
    expect((await service.daily())?.pruned).toEqual(['ordo-2026-11-23.db']);
    expect(names('daily')).toEqual(['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-12-30']);
    expect(names('weekly')).toEqual(['2026-11-01', '2026-11-08', '2026-11-15', '2026-11-22']);
  });

  it('the weekly rule skips the weeks the daily window covers and takes the newest backup of each other week', () => {
    // Open Monday to Friday only, then a gap.
    const days = ['2026-11-02', '2026-11-03', '2026-11-06', '2026-11-09', '2026-11-13', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-23', '2026-11-24'];
    const { kept, dropped } = retention(days);
    expect([...kept].filter(([, k]) => k === 'daily').map(([d]) => d)).toEqual(['2026-11-24', '2026-11-23', '2026-11-20', '2026-11-19', '2026-11-18', '2026-11-17', '2026-11-16']);
    expect([...kept].filter(([, k]) => k === 'weekly').map(([d]) => d)).toEqual(['2026-11-13', '2026-11-06']);
    expect(dropped.sort()).toEqual(['2026-11-02', '2026-11-03', '2026-11-09']);
  });

  it('a backup of a damaged database fails its check: nothing is kept and the failure is reported', async () => {
    const dataDir = await practice(2);
    overwritePage(databasePath(dataDir), { table: 'patients' });
    const service = createBackupService({ dataDir, sqlite: {}, clock: { now: () => new Date(2026, 11, 2, 9) }, runTask: taskRunner(tasks, false) });
    await expect(service.create()).rejects.toMatchObject({ code: 'DATABASE_ERROR', message: expect.stringMatching(/a échoué à sa vérification .* supprimée/) });
    await expect(service.daily()).rejects.toMatchObject({ code: 'DATABASE_ERROR' });
    expect(readdirSync(backupsDir(dataDir))).toEqual([]);
    const list = service.list({ open: true, problem: null });
    expect(list.backups).toEqual([]);
    expect(list.lastFailure?.message).toMatch(/a échoué à sa vérification/);
  });

  it('a backup killed halfway leaves no file that looks like a backup; the next one removes its leftovers', { timeout: 120_000 }, async () => {
    const dataDir = await practice(1);
    // A bigger database, so that the copy takes long enough to be killed during it.
    const db = openSqlite(databasePath(dataDir));
    db.exec('CREATE TABLE ballast (b BLOB)');
    const insert = db.prepare('INSERT INTO ballast VALUES (randomblob(65536))');
    db.transaction(() => {
      for (let i = 0; i < 800; i++) insert.run();
    })();
    db.close();
    const [node, ...pre] = ordoCommand;
    for (const delay of [150, 400, 700, 1000, 1300]) {
      const child = spawn(node, [...pre, 'backup', '--data-dir', dataDir], { cwd: repoRoot, env: { ...process.env, ORDO_LOG: 'silent' }, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await exited;
      // Whatever the moment: every file named as a backup is one that passed its check.
      for (const b of listBackups(backupsDir(dataDir))) {
        expect(b.check).toBe('ok');
        expect(integrityOf(join(backupsDir(dataDir), b.name))).toBe('ok');
      }
    }
    const result = runOrdo(['backup', '--data-dir', dataDir]);
    expect(result.status).toBe(0);
    expect(readdirSync(backupsDir(dataDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('ordo backup and ordo restore', () => {
  it('backs up to --out, restores it: the current database kept aside, stale -wal removed, the audit entry with the hash, doctor ok', async () => {
    const dataDir = await practice(2);
    const out = join(tmp.dir, `copie-${n++}.db`);
    const made = runOrdo(['backup', '--out', out, '--data-dir', dataDir]);
    expect(made.status, made.stderr).toBe(0);
    expect(json(made.stdout)).toMatchObject({ file: out, check: 'ok', schemaVersion: migrations.length });
    expect(integrityOf(out)).toBe('ok');
    expect(runOrdo(['backup', '--out', out, '--data-dir', dataDir])).toMatchObject({ status: 1, stderr: expect.stringContaining('existe déjà') });

    // One more patient after the backup, then a stale -wal lying beside the database.
    const app = createApp({ dataDir, mode: 'host', jobs: { threads: false } });
    expect(await dispatch(app.services, 'patients.create', patient(9))).toMatchObject({ ok: true });
    app.close();
    expect(countPatients(dataDir)).toBe(3);
    writeFileSync(`${databasePath(dataDir)}-wal`, Buffer.alloc(0));

    const restored = runOrdo(['restore', out, '--data-dir', dataDir]);
    expect(restored.status, restored.stderr).toBe(0);
    const result = json(restored.stdout) as { keptAside: string; sha256: string; restored: string };
    expect(result.keptAside).toMatch(/^avant-restauration-\d{8}-\d{6}\.db$/);
    expect(restored.stderr).toContain('restaurée');
    expect(countPatients(dataDir)).toBe(2);
    // The database in use before is kept, whole.
    const aside = join(backupsDir(dataDir), result.keptAside);
    expect(integrityOf(aside)).toBe('ok');
    const asideDb = new Database(aside, { readonly: true });
    expect(asideDb.prepare('SELECT count(*) FROM patients').pluck().get()).toBe(3);
    asideDb.close();
    // The audit says what was restored, with the hash of the file given.
    const db = new Database(databasePath(dataDir), { readonly: true });
    const entry = db.prepare("SELECT details FROM audit_log WHERE action = 'backup.restored'").pluck().get() as string;
    db.close();
    const { createHash } = await import('node:crypto');
    expect(JSON.parse(entry)).toMatchObject({ file: result.restored, sha256: createHash('sha256').update(readFileSync(out)).digest('hex'), keptAside: result.keptAside });
    // The restored journal is anchored again: the diagnostic finds nothing wrong.
    const report = diagnose({ dataDir, sqlite: {} });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('refuses a damaged file, a file that is not an Ordo database and a backup of a newer Ordo, in French, changing nothing', async () => {
    const dataDir = await practice(2);
    const before = readFileSync(databasePath(dataDir));
    const damaged = join(tmp.dir, `abime-${n++}.db`);
    expect(runOrdo(['backup', '--out', damaged, '--data-dir', dataDir]).status).toBe(0);
    overwritePage(damaged, { table: 'patients' });
    const notOrdo = join(tmp.dir, `autre-${n++}.db`);
    const other = new Database(notOrdo);
    other.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    other.close();
    const text = join(tmp.dir, `texte-${n++}.db`);
    writeFileSync(text, 'ceci n’est pas une base de données\n'.repeat(200));
    const newer = join(tmp.dir, `futur-${n++}.db`);
    expect(runOrdo(['backup', '--out', newer, '--data-dir', dataDir]).status).toBe(0);
    const future = new Database(newer);
    future.pragma(`user_version = ${migrations.length + 1}`);
    future.close();

    const refusals: [string, RegExp][] = [
      [damaged, /est endommagé \((le contrôle d’intégrité a échoué : \d+ pages? endommagées?|le fichier est illisible[^)]*)\) .* Rien n’a été changé/],
      [notOrdo, /n’est pas une sauvegarde d’Ordo/],
      [text, /n’est pas une (sauvegarde|base de données) (d’)?Ordo/],
      [newer, /version plus récente d’Ordo .* mettez Ordo à jour/],
      [join(tmp.dir, 'absent.db'), /n’existe pas/],
    ];
    for (const [file, message] of refusals) {
      const result = runOrdo(['restore', file, '--data-dir', dataDir]);
      expect(result.status, file).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/Erreur inattendue|at .*\.ts|\*\*\*|in database|page \d+:|file is not/);
    }
    expect(readFileSync(databasePath(dataDir)).equals(before)).toBe(true);
    expect(existsSync(backupsDir(dataDir)) ? readdirSync(backupsDir(dataDir)) : []).toEqual([]);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('migrates a backup of an older Ordo when it restores it', async () => {
    const dataDir = await practice(1);
    const older = join(tmp.dir, `ancienne-${n++}.db`);
    const db = openSqlite(older);
    migrate(db, migrations.slice(0, 6));
    db.close();
    const result = runOrdo(['restore', older, '--data-dir', dataDir]);
    expect(result.status, result.stderr).toBe(0);
    expect(json(result.stdout)).toMatchObject({ fromVersion: 6, toVersion: migrations.length });
    const restored = new Database(databasePath(dataDir), { readonly: true });
    expect(restored.pragma('user_version', { simple: true })).toBe(migrations.length);
    restored.close();
  });

  it('refuses to restore while Ordo holds the data folder, and says how to go on', async () => {
    const dataDir = await practice(1);
    const out = join(tmp.dir, `tenu-${n++}.db`);
    expect(runOrdo(['backup', '--out', out, '--data-dir', dataDir]).status).toBe(0);
    const app = createApp({ dataDir, mode: 'electron', jobs: { threads: false } });
    try {
      const result = runOrdo(['restore', out, '--data-dir', dataDir]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/ouvert par l’application Ordo \(processus \d+\) : fermez-la/);
    } finally {
      app.close();
    }
    // Closed: the mark is gone, the restore goes through.
    expect(runOrdo(['restore', out, '--data-dir', dataDir]).status).toBe(0);
  });
});

describe('the app: backup calls, restore that reopens, degraded mode', () => {
  it('makes today’s backup at start when it is missing, off the answering thread, and not again the same day', async () => {
    const dataDir = await practice(1);
    const clock: Clock = { now: () => new Date(2026, 11, 2, 8, 15) };
    const first = superviseApp({ dataDir, mode: 'host', clock, jobs: { threads: true }, dailyBackups: { firstMs: 0 } });
    try {
      await expect.poll(() => listBackups(backupsDir(dataDir)).map((b) => [b.name, b.kind, b.check]), { timeout: 20_000 }).toEqual([['ordo-2026-12-02.db', 'daily', 'ok']]);
    } finally {
      await first.shutdown();
    }
    const written = readFileSync(join(backupsDir(dataDir), 'ordo-2026-12-02.db'));
    const second = superviseApp({ dataDir, mode: 'host', clock, jobs: { threads: true }, dailyBackups: { firstMs: 0 } });
    try {
      const list = (await dispatch(second.services, 'backup.list', {})) as { ok: true; value: BackupList };
      expect(list.value.last?.name).toBe('ordo-2026-12-02.db');
    } finally {
      await second.shutdown();
    }
    expect(readFileSync(join(backupsDir(dataDir), 'ordo-2026-12-02.db')).equals(written)).toBe(true);
  });

  it('Réglages: lists, makes one now, restores one with confirmation; the database is reopened under the same services', async () => {
    const dataDir = await practice(2);
    const events: PushedEvent[] = [];
    const app = superviseApp({ dataDir, mode: 'host', jobs: { threads: false }, onEvent: (e) => events.push(e) });
    try {
      const made = await dispatch(app.services, 'backup.create', {});
      expect(made).toMatchObject({ ok: true, value: { kind: 'manual', check: 'ok' } });
      const name = (made as { value: { name: string } }).value.name;
      expect(await dispatch(app.services, 'patients.create', patient(7))).toMatchObject({ ok: true });
      const list = (await dispatch(app.services, 'backup.list', {})) as { ok: true; value: BackupList };
      expect(list.value).toMatchObject({ folder: backupsDir(dataDir), database: { open: true }, last: { name } });
      expect(await dispatch(app.services, 'backup.restore', { name })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(await dispatch(app.services, 'backup.restore', { name: '../ordo.db', confirmed: true })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(await dispatch(app.services, 'backup.restore', { name: 'ordo-2020-01-01.db', confirmed: true })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const restored = await dispatch(app.services, 'backup.restore', { name, confirmed: true });
      expect(restored).toMatchObject({ ok: true, value: { restored: name, keptAside: expect.stringMatching(/^avant-restauration-/) } });
      // The same service table answers from the restored database.
      expect(await dispatch(app.services, 'patients.search', { query: 'helene' })).toMatchObject({ ok: true, value: { total: 2 } });
      expect(events.find((e) => e.name === 'database.reopened')?.payload).toMatchObject({ reason: 'restored' });
      const after = (await dispatch(app.services, 'backup.list', {})) as { ok: true; value: BackupList };
      expect(after.value.backups.map((b) => b.kind).sort()).toEqual(['before-restore', 'manual']);
    } finally {
      await app.shutdown();
    }
  });

  it('a database that cannot be opened starts the degraded mode: the backups answer, the rest says why; a restore brings Ordo back', async () => {
    const dataDir = await practice(2);
    expect(runOrdo(['backup', '--data-dir', dataDir]).status).toBe(0);
    overwritePage(databasePath(dataDir), { page: 1 });
    const app = superviseApp({ dataDir, mode: 'host', jobs: { threads: false }, startupCheck: true });
    try {
      expect(app.current()).toBeNull();
      expect(await dispatch(app.services, 'app.info', {})).toMatchObject({ ok: true, value: { dataDir } });
      const list = (await dispatch(app.services, 'backup.list', {})) as { ok: true; value: BackupList };
      expect(list.value.database).toEqual({ open: false, problem: DAMAGED });
      expect(list.value.backups).toHaveLength(1);
      const diagnosis = (await dispatch(app.services, 'app.diagnose', {})) as { ok: true; value: Diagnostic };
      expect(diagnosis.value.ok).toBe(false);
      expect(diagnosis.value.problems.join(' ')).toMatch(/endommagé|n’a pas pu être ouverte/);
      expect(await dispatch(app.services, 'patients.search', { query: 'helene' })).toMatchObject({ ok: false, error: { code: 'DATABASE_ERROR', message: expect.stringContaining('seules les sauvegardes') } });
      expect(await dispatch(app.services, 'backup.create', {})).toMatchObject({ ok: false, error: { code: 'DATABASE_ERROR' } });
      const restored = await dispatch(app.services, 'backup.restore', { name: list.value.backups[0]!.name, confirmed: true });
      expect(restored).toMatchObject({ ok: true });
      expect(app.current()).not.toBeNull();
      expect(await dispatch(app.services, 'patients.search', { query: 'helene' })).toMatchObject({ ok: true, value: { total: 2 } });
      // The damaged file is kept aside as it was, unchecked.
      const aside = listBackups(backupsDir(dataDir)).find((b) => b.kind === 'before-restore');
      expect(aside).toMatchObject({ check: 'unchecked' });
    } finally {
      await app.shutdown();
    }
  });

  it('a page overwritten that still lets the file open is found by the start-up check: the app closes it and says so', async () => {
    const dataDir = await practice(2);
    overwritePage(databasePath(dataDir), { table: 'patients' });
    const events: PushedEvent[] = [];
    const app = superviseApp({ dataDir, mode: 'host', jobs: { threads: false }, startupCheck: true, onEvent: (e) => events.push(e) });
    try {
      await app.checked();
      expect(app.current()).toBeNull();
      expect(events.find((e) => e.name === 'database.reopened')?.payload).toMatchObject({ reason: 'damaged', message: expect.stringMatching(/endommagé/) });
      expect(await dispatch(app.services, 'backup.list', {})).toMatchObject({ ok: true, value: { database: { open: false, problem: expect.stringMatching(/endommagé/) } } });
    } finally {
      await app.shutdown();
    }
  });
});

describe('damage found during the session', () => {
  it('a call that meets a damaged page runs the same check: the app closes the database and says so', async () => {
    const dataDir = await practice(2);
    const events: PushedEvent[] = [];
    const app = superviseApp({ dataDir, mode: 'host', jobs: { threads: false }, onEvent: (e) => events.push(e) });
    try {
      expect(await dispatch(app.services, 'patients.search', { query: 'helene' })).toMatchObject({ ok: true, value: { total: 2 } });
      overwritePage(databasePath(dataDir), { table: 'patients' });
      expect(await dispatch(app.services, 'patients.get', { id: 1 })).toMatchObject({ ok: false, error: { code: 'DATABASE_ERROR' } });
      await app.checked();
      expect(app.current()).toBeNull();
      expect(events.find((e) => e.name === 'database.reopened')?.payload).toMatchObject({ reason: 'damaged', message: expect.stringMatching(/endommagé/) });
      expect(await dispatch(app.services, 'patients.search', { query: 'helene' })).toMatchObject({ ok: false, error: { code: 'DATABASE_ERROR', message: expect.stringContaining('seules les sauvegardes') } });
    } finally {
      await app.shutdown();
    }
  });
});

describe('a backup taken while the host writes patients', () => {
  it('restores to a consistent database: integrity ok, audit chain ok, every patient with its audit row', { timeout: 180_000 }, async () => {
    const host = await startInProcessHost(undefined, { backend: 'worker' });
    const post = async (name: string, input: unknown) => {
      const response = await fetch(`${host.origin}/rpc/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` }, body: JSON.stringify(input) });
      return (await response.json()) as { ok: boolean; value?: { name: string } };
    };
    let copies: string[];
    const keys = join(tmp.dir, `keys-${n++}`);
    try {
      expect((await post('profile.save', validProfile)).ok).toBe(true);
      let writing = true;
      let created = 0;
      const writer = (async () => {
        for (let i = 0; writing; i++) {
          const result = await post('patients.create', patient(i));
          if (!result.ok) throw new Error(`patients.create failed: ${JSON.stringify(result)}`);
          created += 1;
        }
      })();
      // Backups through the app and through the command line, while the writer goes on.
      const names: string[] = [];
      for (let round = 0; round < 3; round++) {
        while (created < (round + 1) * 15) await new Promise((resolve) => setTimeout(resolve, 20));
        const made = await post('backup.create', {});
        expect(made.ok).toBe(true);
        names.push(made.value!.name);
      }
      const out = join(tmp.dir, `pendant-${n++}.db`);
      // In a child process, without blocking this one: the host and its writer go on meanwhile.
      const before = created;
      const cli = await runOrdoAsync(['backup', '--out', out, '--data-dir', host.dataDir]);
      expect(cli.status, cli.stderr).toBe(0);
      expect(created).toBeGreaterThan(before);
      writing = false;
      await writer;
      copies = [...names.map((name) => join(backupsDir(host.dataDir), name)), out].map((file) => {
        const kept = join(tmp.dir, `copie-${n++}.db`);
        copyFileSync(file, kept);
        return kept;
      });
      expect(created).toBeGreaterThan(45);
    } finally {
      // The folder's keys go with the restores below: the audit key lives outside the database.
      if (existsSync(join(host.dataDir, 'keys'))) cpSync(join(host.dataDir, 'keys'), keys, { recursive: true });
      await host.close();
    }
    {
      for (const file of copies) {
        expect(integrityOf(file)).toBe('ok');
        const target = freshDir();
        mkdirSync(target, { recursive: true });
        if (existsSync(keys)) cpSync(keys, join(target, 'keys'), { recursive: true });
        const result = runOrdo(['restore', file, '--data-dir', target]);
        expect(result.status, result.stderr).toBe(0);
        const report = diagnose({ dataDir: target, sqlite: {} });
        expect(report.integrity).toBe('ok');
        expect(report.audit.ok).toBe(true);
        expect(report.problems).toEqual([]);
        const db = new Database(databasePath(target), { readonly: true });
        const patients = db.prepare('SELECT id FROM patients').pluck().all() as number[];
        const audited = new Set(db.prepare("SELECT subject FROM audit_log WHERE action = 'patient.created'").pluck().all() as string[]);
        db.close();
        expect(patients.length).toBeGreaterThan(0);
        expect(patients.filter((id) => !audited.has(`patient:${id}`))).toEqual([]);
        expect(audited.size).toBe(patients.length);
        rmSync(target, { recursive: true, force: true });
      }
    }
  });
});

describe('review of the backups (--out, races, journals, errors, checks)', () => {
  it('ordo backup --out leaves the GP’s folder alone: FILE.json beside it and files that look like leftovers are kept, no record written', async () => {
    const dataDir = await practice(1);
    const folder = join(tmp.dir, `dossier-${n++}`);
    mkdirSync(folder, { recursive: true });
    const out = join(folder, 'cabinet.db');
    writeFileSync(checkRecordPath(out), '{"mine":true}');
    // Named like a temporary of a dead process: outside the backups folder, not Ordo's to remove.
    const lookalike = join(folder, '.notes.db.999999999-abcdef.tmp');
    writeFileSync(lookalike, 'à moi');
    const made = runOrdo(['backup', '--out', out, '--data-dir', dataDir]);
    expect(made.status, made.stderr).toBe(0);
    expect(readFileSync(checkRecordPath(out), 'utf8')).toBe('{"mine":true}');
    expect(readFileSync(lookalike, 'utf8')).toBe('à moi');
    expect(readdirSync(folder).sort()).toEqual(['.notes.db.999999999-abcdef.tmp', 'cabinet.db', 'cabinet.db.json']);
    expect(integrityOf(out)).toBe('ok');
  });

  it('a backup overwritten in place after its check is no longer « vérifiée », and is refused by a restore', async () => {
    const dataDir = await practice(2);
    const service = createBackupService({ dataDir, sqlite: {}, clock: { now: () => new Date(2026, 11, 2, 9) }, runTask: taskRunner(tasks, false) });
    const info = await service.create();
    const file = join(backupsDir(dataDir), info.name);
    expect(listBackups(backupsDir(dataDir))[0]).toMatchObject({ name: info.name, check: 'ok' });
    const size = statSync(file).size;
    overwritePage(file, { table: 'patients' });
    expect(statSync(file).size).toBe(size);
    expect(listBackups(backupsDir(dataDir))[0]).toMatchObject({ name: info.name, check: 'unchecked' });
    const before = readFileSync(databasePath(dataDir));
    const result = runOrdo(['restore', file, '--data-dir', dataDir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/a été modifiée depuis sa vérification .* Rien n’a été changé/);
    expect(readFileSync(databasePath(dataDir)).equals(before)).toBe(true);
    // Without its record, the integrity check still refuses it.
    rmSync(checkRecordPath(file));
    const unrecorded = runOrdo(['restore', file, '--data-dir', dataDir]);
    expect(unrecorded.status).toBe(1);
    expect(unrecorded.stderr).toMatch(/est endommagé .* Rien n’a été changé/);
  });

  it('a restore is refused while another connection keeps the -wal from being checkpointed: nothing changed, nothing left', async () => {
    const dataDir = await practice(2);
    const out = join(tmp.dir, `occupee-${n++}.db`);
    expect(runOrdo(['backup', '--out', out, '--data-dir', dataDir]).status).toBe(0);
    const writer = openSqlite(databasePath(dataDir));
    const reader = new Database(databasePath(dataDir));
    try {
      writer.pragma('wal_autocheckpoint = 0');
      writer.exec('CREATE TABLE scratch (x); INSERT INTO scratch VALUES (1)');
      // A reader in the middle of the -wal (a quick_check, a diagnostic, a job thread not yet gone).
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM patients').pluck().get();
      writer.exec('INSERT INTO scratch VALUES (2)');
      const wal = readFileSync(`${databasePath(dataDir)}-wal`);
      expect(wal.length).toBeGreaterThan(0);
      await expect(restoreBackup({ dataDir, sqlite: {}, file: out, now: new Date(2026, 11, 2, 9).toISOString(), actor: 'cli' })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/encore utilisée par une autre tâche d’Ordo .* rien n’a été changé/),
      });
      expect(readFileSync(`${databasePath(dataDir)}-wal`).length).toBeGreaterThanOrEqual(wal.length);
      expect(existsSync(backupsDir(dataDir)) ? readdirSync(backupsDir(dataDir)) : []).toEqual([]);
      expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp') || f.includes('.tmp-'))).toEqual([]);
    } finally {
      reader.exec('COMMIT');
      reader.close();
      writer.close();
    }
    expect(countPatients(dataDir)).toBe(2);
    // The reader gone, the same restore goes through.
    await expect(restoreBackup({ dataDir, sqlite: {}, file: out, now: new Date(2026, 11, 2, 9).toISOString(), actor: 'cli' })).resolves.toMatchObject({ restored: basenameOf(out) });
    expect(existsSync(`${databasePath(dataDir)}-wal`)).toBe(false);
  });

  it('a second restore while one runs gets CONFLICT, not a second restore after the first', async () => {
    const dataDir = await practice(2);
    const app = superviseApp({ dataDir, mode: 'host', jobs: { threads: false } });
    try {
      const made = (await dispatch(app.services, 'backup.create', {})) as { ok: true; value: { name: string } };
      const first = dispatch(app.services, 'backup.restore', { name: made.value.name, confirmed: true });
      const second = dispatch(app.services, 'backup.restore', { name: made.value.name, confirmed: true });
      expect(await second).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'Une restauration est déjà en cours.' } });
      expect(await first).toMatchObject({ ok: true });
      expect(listBackups(backupsDir(dataDir)).filter((b) => b.kind === 'before-restore')).toHaveLength(1);
    } finally {
      await app.shutdown();
    }
  });

  it('a start-up check still reading the old file when a restore is asked does not close the restored database', async () => {
    const dataDir = await practice(2);
    expect(runOrdo(['backup', '--data-dir', dataDir]).status).toBe(0);
    const name = listBackups(backupsDir(dataDir))[0]!.name;
    // The old file is damaged: its check, held until the restore is under way, finds it so.
    overwritePage(databasePath(dataDir), { table: 'patients' });
    let answer!: (found: string) => void;
    const held = new Promise<string>((resolve) => (answer = resolve));
    const app = superviseApp({
      dataDir,
      mode: 'host',
      jobs: { threads: false },
      startupCheck: true,
      // Only the first check (of the old file) is held; the restored database's own check runs.
      wrapTasks: (run) => {
        let checks = 0;
        return (task, args) => (task === 'backup.quickCheck' && checks++ === 0 ? (held as Promise<never>) : run(task, args));
      },
    });
    try {
      expect(app.current()).not.toBeNull();
      const restoring = dispatch(app.services, 'backup.restore', { name, confirmed: true });
      // Before the fix the restore went on without the check and was done long before this.
      const settled = await Promise.race([restoring.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 3000))]);
      answer(DAMAGED);
      expect(await restoring).toMatchObject({ ok: true });
      await app.checked();
      expect(settled).toBe(false);
      expect(app.current()).not.toBeNull();
      expect(await dispatch(app.services, 'patients.search', { query: 'helene' })).toMatchObject({ ok: true, value: { total: 2 } });
    } finally {
      await app.shutdown();
    }
  });

  it('a backup that cannot be written says why in French and is not taken for damage of the database in use', async () => {
    const dataDir = await practice(1);
    writeFileSync(backupsDir(dataDir), 'un fichier à la place du dossier');
    const run: string[] = [];
    const app = superviseApp({ dataDir, mode: 'host', jobs: { threads: false }, wrapTasks: (inner) => (task, args) => (run.push(task), inner(task, args)) });
    try {
      const made = await dispatch(app.services, 'backup.create', {});
      expect(made).toMatchObject({ ok: false, error: { code: 'DATABASE_ERROR', message: expect.stringMatching(/^La sauvegarde n’a pas pu être écrite : « .*backups » n’a pas pu être ouvert/) } });
      expect(JSON.stringify(made)).not.toMatch(/EEXIST|ENOTDIR|file already exists|inattendue/);
      await app.checked();
      expect(run).not.toContain('backup.quickCheck');
      expect(app.current()).not.toBeNull();
    } finally {
      await app.shutdown();
    }
  });

  it('names the cause of a file error in French: full disk, read-only disk, refused; integrity lines summarised', () => {
    const err = (code: string) => Object.assign(new Error('English text'), { code });
    expect(fileErrorCause(err('ENOSPC'), '/x')).toMatch(/^Le disque est plein : /);
    expect(fileErrorCause(err('SQLITE_FULL'), '/x')).toMatch(/^Le disque est plein : /);
    expect(fileErrorCause(err('EROFS'), '/x')).toMatch(/^Le disque est en lecture seule/);
    expect(fileErrorCause(err('EACCES'), '/x')).toMatch(/droits/);
    expect(describeFailure(err('EWHATEVER'), '/x')).toBe('Erreur imprévue sur « /x » (code EWHATEVER).');
    expect(describeFailure(new Error('English text'), '/x')).not.toMatch(/English/);
    expect(integritySummary(['*** in database main ***\nOn tree page 5 cell 0: invalid page number 4294967295', 'On tree page 7 cell 2: 2nd reference to page 9'])).toBe('3 pages endommagées');
    expect(integritySummary(['row 3 missing from index x'])).toBe('1 anomalie relevée');
  });

  const canMount = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
  it.skipIf(!canMount)('a full disk during ordo backup --out: « Le disque est plein », nothing left there (needs root to mount a small tmpfs)', async (ctx) => {
    const dataDir = await practice(1);
    const db = openSqlite(databasePath(dataDir));
    db.exec('CREATE TABLE ballast (b BLOB)');
    const insert = db.prepare('INSERT INTO ballast VALUES (randomblob(65536))');
    db.transaction(() => {
      for (let i = 0; i < 40; i++) insert.run();
    })();
    db.close();
    const small = join(tmp.dir, `petit-${n++}`);
    mkdirSync(small);
    // A container may refuse the mount even to root: skipped, with the reason.
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', small]).status !== 0) ctx.skip('a tmpfs cannot be mounted here');
    try {
      const result = runOrdo(['backup', '--out', join(small, 'copie.db'), '--data-dir', dataDir]);
      expect(result.status).toBe(1);
      const said = result.stderr.split('\n').filter((line) => line.startsWith('ordo :')).join('\n');
      expect(said).toMatch(/^ordo : La sauvegarde n’a pas pu être écrite : Le disque est plein : /);
      expect(said).not.toMatch(/inattendue|SQLITE_|database or disk is full/);
      expect(readdirSync(small)).toEqual([]);
    } finally {
      spawnSync('umount', [small]);
    }
  });
});

const basenameOf = (file: string) => file.split(/[\\/]/).at(-1)!;
