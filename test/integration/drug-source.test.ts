/**
 * The download address of the drug database as a setting of the practice (Réglages): checked by
 * the contract, stored in ordo.db with its audit entry, used by the next update, and overridden
 * by `ORDO_BDPM_BASE_URL` when that is set.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bdpmBaseUrlSchema, isAllowedDownloadAddress, type DrugSource, type DrugStatus, type DrugUpdateJob } from '../../shared/calls/drugs';
import { createApp, type OrdoApp } from '../../electron/app';
import { verifyAudit } from '../../electron/audit/audit';
import { openDatabase } from '../../electron/db/open';
import { dispatch } from '../../electron/dispatch';
import { demoReferentialDir } from '../../electron/drugs/assets';
import { DEFAULT_BDPM_BASE_URL } from '../../electron/drugs/download';
import { drugSource } from '../../electron/drugs/source';
import { readSetting, writeSetting } from '../../electron/settings/repository';
import { OrdoError } from '../../shared/errors';
import { serveDirectory, type StaticServer } from '../support/static-server';
import { tempDir } from '../support/tmp';

const ENV = 'ORDO_BDPM_BASE_URL';
const tmp = tempDir('ordo-source-');
const savedEnv = process.env[ENV];
let app: OrdoApp | undefined;
let server: StaticServer | undefined;
beforeEach(() => {
  delete process.env['ORDO_BDPM_BASE_URL'];
  // The embedded sample served on 127.0.0.1 stands for a release (45 specialties).
  process.env['ORDO_BDPM_ALLOW_SMALL_RELEASE'] = '1';
});
afterEach(async () => {
  await app?.shutdown();
  app = undefined;
  await server?.close();
  server = undefined;
});
afterAll(() => {
  delete process.env['ORDO_BDPM_ALLOW_SMALL_RELEASE'];
  if (savedEnv === undefined) delete process.env['ORDO_BDPM_BASE_URL'];
  else process.env[ENV] = savedEnv;
  tmp.remove();
});

let n = 0;
const freshDir = () => join(tmp.dir, `data-${n++}`);
function open(dataDir: string): OrdoApp {
  app?.close();
  // Jobs run inline; random() = 0 makes every retry immediate (full jitter over [0, delay)).
  app = createApp({ dataDir, mode: 'host', jobs: { autoRun: true, threads: false, random: () => 0 } });
  return app;
}

async function call<T>(a: OrdoApp, name: string, input: unknown = {}): Promise<T> {
  const result = await dispatch(a.services, name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error.fields)}`);
  return result.value as T;
}

/** Starts an update and waits for its end (its retries included). */
async function update(a: OrdoApp): Promise<DrugUpdateJob> {
  const job = await call<DrugUpdateJob>(a, 'drugs.update');
  return (await a.jobs.whenFinished(job.id)) as DrugUpdateJob;
}

describe('the download address as typed in Réglages', () => {
  it.each([
    ['https://miroir.exemple.fr/bdpm/', 'https://miroir.exemple.fr/bdpm/'],
    ['  https://Miroir.Exemple.FR/bdpm  ', 'https://miroir.exemple.fr/bdpm/'],
    ['HTTPS://miroir.exemple.fr', 'https://miroir.exemple.fr/'],
    ['https://miroir.exemple.fr:8443/a/b', 'https://miroir.exemple.fr:8443/a/b/'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/'],
    ['http://localhost/bdpm', 'http://localhost/bdpm/'],
    ['', ''],
  ])('accepts %j as %j', (typed, stored) => {
    expect(bdpmBaseUrlSchema.parse(typed)).toBe(stored);
  });

  it.each([
    ['http://miroir.exemple.fr/', /https:\/\//],
    ['ftp://miroir.exemple.fr/', /commençant par https:\/\//],
    ['miroir.exemple.fr/bdpm/', /commençant par https:\/\//],
    ['https://', /commençant par https:\/\//],
    ['https://miroir exemple.fr/', /commençant par https:\/\//],
    ['https://miroir.exemple.fr:99999/', /commençant par https:\/\//],
    ['https://miroir.exemple.fr/?fichier=', /ni « \? » ni « # »/],
    ['https://jean:secret@miroir.exemple.fr/', /ni identifiant ni mot de passe/],
    ['http://127.0.0.1.exemple.fr/', /https:\/\//],
    [`https://miroir.exemple.fr/${'a'.repeat(500)}`, /500 caractères/],
  ])('refuses %j with a French message', (typed, message) => {
    const parsed = bdpmBaseUrlSchema.safeParse(typed);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(message);
  });
});

describe('the rule a redirect of the download must pass', () => {
  it.each([
    ['https://miroir.exemple.fr/bdpm/CIS_bdpm.txt', true],
    ['https://cdn.exemple.fr:8443/f/CIS_bdpm.txt?jeton=abc', true],
    ['http://127.0.0.1:8080/CIS_bdpm.txt', true],
    ['http://localhost/bdpm/CIS_bdpm.txt', true],
    ['http://miroir.exemple.fr/CIS_bdpm.txt', false],
    ['http://127.0.0.1.exemple.fr/CIS_bdpm.txt', false],
    ['http://10.0.0.1/CIS_bdpm.txt', false],
    ['http://[::1]/CIS_bdpm.txt', false],
    ['ftp://127.0.0.1/CIS_bdpm.txt', false],
    ['file:///etc/passwd', false],
    ['https://jean:secret@miroir.exemple.fr/CIS_bdpm.txt', false],
    ['https://miroir.exemple.fr:99999/', false],
  ])('%j: %s', (address, allowed) => {
    expect(isAllowedDownloadAddress(address)).toBe(allowed);
  });

  it('is the setting’s: every address the setting accepts passes it, every scheme or host it refuses fails it', () => {
    for (const typed of ['https://miroir.exemple.fr/bdpm/', 'HTTPS://miroir.exemple.fr', 'http://127.0.0.1:8080/', 'http://localhost/bdpm']) {
      expect(isAllowedDownloadAddress(bdpmBaseUrlSchema.parse(typed)), typed).toBe(true);
    }
    for (const typed of ['http://miroir.exemple.fr/', 'ftp://miroir.exemple.fr/', 'https://jean:secret@miroir.exemple.fr/', 'http://127.0.0.1.exemple.fr/']) {
      expect(bdpmBaseUrlSchema.safeParse(typed).success, typed).toBe(false);
      expect(isAllowedDownloadAddress(typed), typed).toBe(false);
    }
  });
});

describe('the stored download address', { timeout: 60_000 }, () => {
  it('is the official one until changed, then survives a restart and is used by the next update', async () => {
    server = await serveDirectory(demoReferentialDir()!);
    const dataDir = freshDir();
    let a = open(dataDir);
    expect(await call<DrugSource>(a, 'drugs.getSource')).toEqual({
      baseUrl: DEFAULT_BDPM_BASE_URL,
      default: DEFAULT_BDPM_BASE_URL,
      stored: null,
      overriddenByEnvironment: false,
    });

    const saved = await call<DrugSource>(a, 'drugs.setSource', { baseUrl: server.url.slice(0, -1) });
    expect(saved).toMatchObject({ baseUrl: server.url, stored: server.url, overriddenByEnvironment: false });
    expect((await call<DrugStatus>(a, 'drugs.status')).downloadUrl).toBe(server.url);

    a = open(dataDir);
    expect((await call<DrugSource>(a, 'drugs.getSource')).baseUrl).toBe(server.url);
    expect(await update(a)).toMatchObject({ state: 'done', error: null });
    expect(server.requests).toContain('CIS_bdpm.txt');
    expect(await call<DrugStatus>(a, 'drugs.status')).toMatchObject({ state: 'real', source: server.url });
  });

  it('applies a change to the next update without restarting', async () => {
    server = await serveDirectory(demoReferentialDir()!, { failWith: 503 });
    const a = open(freshDir());
    // Nothing listens on port 9 of this machine: the official address is never reached from a test.
    await call(a, 'drugs.setSource', { baseUrl: 'http://127.0.0.1:9/' });
    expect(await update(a)).toMatchObject({ state: 'failed', error: { message: expect.stringContaining('injoignable (127.0.0.1:9)') } });
    await call(a, 'drugs.setSource', { baseUrl: server.url });
    expect(await update(a)).toMatchObject({ state: 'failed', attempts: 5, error: { message: expect.stringContaining('HTTP 503') } });
    // Each attempt asked the new address for its first file, and stopped there.
    expect(server.requests).toEqual(Array(5).fill('CIS_bdpm.txt'));
  });

  it('records each change in the audit log, and an empty address goes back to the official one', async () => {
    const dataDir = freshDir();
    const a = open(dataDir);
    await call(a, 'drugs.setSource', { baseUrl: 'https://miroir.exemple.fr/bdpm/' });
    await call(a, 'drugs.setSource', { baseUrl: 'https://miroir.exemple.fr/bdpm' }); // the same: nothing written
    const reset = await call<DrugSource>(a, 'drugs.setSource', { baseUrl: '' });
    expect(reset).toMatchObject({ baseUrl: DEFAULT_BDPM_BASE_URL, stored: null });
    await call(a, 'drugs.setSource', { baseUrl: DEFAULT_BDPM_BASE_URL }); // the official one: nothing stored
    const rows = a.db.prepare("SELECT action, details FROM audit_log WHERE subject = 'settings:drugs.bdpmBaseUrl' ORDER BY seq").all();
    expect(rows).toEqual([
      { action: 'drugs.source.updated', details: JSON.stringify({ previous: null, baseUrl: 'https://miroir.exemple.fr/bdpm/' }) },
      { action: 'drugs.source.reset', details: JSON.stringify({ previous: 'https://miroir.exemple.fr/bdpm/', baseUrl: null }) },
    ]);
    expect(verifyAudit(a.db).ok).toBe(true);
    expect(a.db.prepare('SELECT count(*) AS n FROM settings').get()).toEqual({ n: 0 });
  });

  it('refuses an invalid address with a French field error and writes nothing', async () => {
    const a = open(freshDir());
    const changes = a.db.prepare('SELECT total_changes()').pluck();
    const before = changes.get();
    const result = await dispatch(a.services, 'drugs.setSource', { baseUrl: 'http://miroir.exemple.fr/' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { baseUrl: expect.stringContaining('https://') } } });
    expect(changes.get()).toBe(before);
  });

  it('is overridden by ORDO_BDPM_BASE_URL, which the update then uses', async () => {
    server = await serveDirectory(demoReferentialDir()!, { failWith: 503 });
    const a = open(freshDir());
    await call(a, 'drugs.setSource', { baseUrl: 'http://127.0.0.1:9/' });
    process.env[ENV] = server.url;
    expect(await call<DrugSource>(a, 'drugs.getSource')).toEqual({
      baseUrl: server.url,
      default: DEFAULT_BDPM_BASE_URL,
      stored: 'http://127.0.0.1:9/',
      overriddenByEnvironment: true,
    });
    expect(await update(a)).toMatchObject({ state: 'failed', error: { message: expect.stringContaining('HTTP 503') } });
    expect(new Set(server.requests)).toEqual(new Set(['CIS_bdpm.txt']));
  });

  it('is validated by its schema (shared/settings.ts) when written and when read; the table holds JSON only', () => {
    const db = openDatabase(join(freshDir(), 'ordo.db'));
    const insert = (key: string, value: string) => db.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, '2026-11-26T00:00:00Z')").run(key, value);
    expect(() => insert('drugs.bdpmBaseUrl', 'https://pas-du-json/')).toThrow(/CHECK constraint/);
    expect(() => insert('Clé invalide', '"x"')).toThrow(/CHECK constraint/);
    const now = new Date('2026-11-26T00:00:00Z');
    for (const bad of ['http://miroir.exemple.fr/', 'ftp://x/', 'https://a/?x=/', 'http://127.0.0.1.exemple.fr/', '']) {
      expect(() => writeSetting(db, 'drugs.bdpmBaseUrl', bad, now), bad).toThrow(OrdoError);
    }
    expect(db.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(0);
    // Written by another tool, a value its schema refuses reads as absent: the official address applies.
    insert('drugs.bdpmBaseUrl', JSON.stringify('http://miroir.exemple.fr/'));
    expect(readSetting(db, 'drugs.bdpmBaseUrl')).toBeUndefined();
    expect(drugSource(db, {}).baseUrl).toBe(DEFAULT_BDPM_BASE_URL);
    writeSetting(db, 'drugs.bdpmBaseUrl', 'http://127.0.0.1:8080/bdpm/', now);
    expect(db.prepare('SELECT value FROM settings').pluck().all()).toEqual(['"http://127.0.0.1:8080/bdpm/"']);
    expect(readSetting(db, 'drugs.bdpmBaseUrl')).toBe('http://127.0.0.1:8080/bdpm/');
    db.close();
  });
});
