import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../electron/app';
import { migrate, schemaVersion } from '../../electron/db/migrate';
import { migrations } from '../../electron/db/migrations';
import { openSqlite } from '../../electron/db/open';
import { rpc, runOrdo, serveOrdo } from '../support/cli';
import { validProfile } from '../support/fixtures';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-cli-');
afterAll(() => tmp.remove());

describe('ordo CLI', () => {
  it('prints its help in French', () => {
    const result = runOrdo(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Utilisation : ordo <commande>');
    for (const command of ['serve', 'doctor', 'check']) expect(result.stdout).toContain(`ordo ${command}`);
  });

  it('reports an unknown command on stderr, without a stack trace', () => {
    const result = runOrdo(['frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Commande inconnue : « frobnicate »');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('serve prints one JSON line whose url opens the app with its token', async () => {
    const dataDir = join(tmp.dir, 'serve');
    const served = await serveOrdo(dataDir);
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
      expect(new URL(served.url).hash).toBe(`#token=${served.token}`);
      expect(served.token.length).toBeGreaterThanOrEqual(32);
      expect(await rpc(served, 'profile.save', validProfile)).toMatchObject({ status: 200, body: { ok: true } });
    } finally {
      await served.stop();
    }
    const again = await serveOrdo(dataDir);
    try {
      expect(again.token).not.toBe(served.token);
      expect(await rpc(again, 'profile.get', {})).toMatchObject({ body: { ok: true, value: { lastName: validProfile.lastName } } });
    } finally {
      await again.stop();
    }
  });

  it('doctor reports a sound database as JSON', () => {
    const dataDir = join(tmp.dir, 'doctor');
    createApp({ dataDir, mode: 'host' }).close();
    const result = runOrdo(['doctor', '--data-dir', dataDir]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ ok: true, integrity: 'ok', schemaVersion: report['appSchemaVersion'], pendingMigrations: [], problems: [], dataDir });
  });

  it('doctor opens read-only: it reports pending migrations and applies none', () => {
    const dataDir = join(tmp.dir, 'older');
    const db = openSqlite(join(dataDir, 'ordo.db'));
    migrate(db, migrations.slice(0, 2));
    db.close();
    const result = runOrdo(['doctor', '--data-dir', dataDir]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, schemaVersion: 2, pendingMigrations: migrations.slice(2).map((m) => m.name) });
    expect(result.stderr).toContain('Migrations en attente');
    const after = openSqlite(join(dataDir, 'ordo.db'), { readonly: true });
    expect(schemaVersion(after)).toBe(2);
    after.close();
  });

  it('doctor does not create a database where there is none', () => {
    const dataDir = join(tmp.dir, 'empty');
    const result = runOrdo(['doctor', '--data-dir', dataDir]);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, problems: [expect.stringMatching(/Aucune base de données/)] });
    expect(existsSync(join(dataDir, 'ordo.db'))).toBe(false);
  });

  it('doctor exits non-zero on a database from a newer Ordo', () => {
    const dataDir = join(tmp.dir, 'newer');
    const db = openSqlite(join(dataDir, 'ordo.db'));
    db.pragma('user_version = 999');
    db.close();
    const result = runOrdo(['doctor', '--data-dir', dataDir]);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, problems: [expect.stringMatching(/version plus récente/)] });
    expect(result.stderr).toMatch(/version plus récente/);
  });

  it('check prints one JSON line per value and exits 0', () => {
    const result = runOrdo(['check', 'rpps', '10003154589', '10003154588']);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { value: '10003154589', valid: true, reason: null },
      { value: '10003154588', valid: false, reason: 'Le numéro RPPS est incorrect : la clé de contrôle ne correspond pas.' },
    ]);
  });

  it('the installed command (bin/ordo.cjs → dist) runs the bundled CLI', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'ordo.cjs'), 'check', 'am', '751234568'], { encoding: 'utf8' });
    if (result.stderr.includes('npm run build')) return; // not built: covered once npm test has built it
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ value: '751234568', valid: true, reason: null });
  });

  it('rejects a bad option with a French message', () => {
    const result = runOrdo(['serve', '--port', 'abc', '--data-dir', join(tmp.dir, 'x')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Port invalide');
  });
});
