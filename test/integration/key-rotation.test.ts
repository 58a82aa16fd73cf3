/**
 * Changing the signing key (`keys.rotate`, Réglages, `ordo key rotate`): the current key is
 * retired (its private half renamed aside, its public half kept), the next one signs from then on,
 * and what the old one signed still verifies; a wrong passphrase or no confirmation changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { fixedClock } from '../../electron/clock';
import { passphraseKeyProvider, publicKeysDir, verificationKeys } from '../../electron/keys/signing-key';
import { keyStoreDir } from '../../electron/keys/store';
import { verifyPayload } from '../../electron/signing/seal';
import type { Draft } from '../../shared/calls/prescriptions';
import { callsOn } from '../support/calls';
import { runOrdo } from '../support/cli';
import { validProfile } from '../support/fixtures';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';

const distCli = join(repoRoot, 'dist', 'electron', 'cli.mjs');

const tmp = tempDir('ordo-key-rotation-');
afterAll(() => tmp.remove());
const PASS = { ORDO_KEY_PASSPHRASE: 'une phrase de passe de test' };
let app: OrdoApp | undefined;
afterEach(() => app?.close());
const { call, value } = callsOn(() => app!);
let n = 0;

function open(dataDir: string, env: NodeJS.ProcessEnv = PASS): OrdoApp {
  app?.close();
  app = createApp({ dataDir, mode: 'host', clock: fixedClock('2026-12-03T10:00:00Z'), jobs: { threads: false }, signingKey: passphraseKeyProvider(dataDir, env) });
  return app;
}

async function sign(): Promise<Draft> {
  const patient = await value<{ id: number }>('patients.create', { patient: { birthName: `Rotation${'abcdefghijklmnop'[n++]}`, firstNames: 'Anne', sex: 'F', birthDate: '01/02/1970' }, confirmed: ['duplicate', 'nearDuplicate'] });
  const draft = await value<Draft>('prescriptions.create', { patientId: patient.id });
  await value('prescriptions.save', {
    id: draft.id,
    version: draft.version,
    lines: [{ kind: 'drug', key: '00000000-0000-4000-8000-000000000001', cis: '69999008', posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 3 } }, duration: { value: 5, unit: 'days' } }],
  });
  return value<Draft>('prescriptions.sign', { id: draft.id, requestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` });
}

describe('changing the signing key', () => {
  it('retires the key, signs with the next, and what the old one signed still verifies', async () => {
    const dataDir = join(tmp.dir, 'cabinet');
    open(dataDir);
    await value('profile.save', validProfile);
    const before = await sign();
    const rotated = await value<{ retired: string; keyId: string }>('keys.rotate', { confirm: true });
    expect(rotated.retired).toBe(before.signature!.keyId);
    expect(rotated.keyId).not.toBe(rotated.retired);
    const after = await sign();
    expect(after.signature!.keyId).toBe(rotated.keyId);
    // The export names the new key; both public halves are kept, and both codes verify.
    expect(await value<{ keyId: string }>('keys.export', {})).toMatchObject({ keyId: rotated.keyId });
    expect(readdirSync(publicKeysDir(dataDir)).sort()).toEqual([`${rotated.retired}.pem`, `${rotated.keyId}.pem`].sort());
    expect(existsSync(join(keyStoreDir(dataDir), `signing-retired-${rotated.retired}.key`))).toBe(true);
    for (const d of [before, after]) expect(verifyPayload(d.signature!.qrPayload, verificationKeys(dataDir)).status).toBe('valid');
    const audit = app!.db.prepare("SELECT details FROM audit_log WHERE action = 'signing.key.rotated'").pluck().all() as string[];
    expect(audit.map((d) => JSON.parse(d) as unknown)).toEqual([{ retired: rotated.retired, keyId: rotated.keyId }]);
    // The diagnostic (`ordo doctor`) finds the chain and every signature sound after the change.
    expect(await value<{ ok: boolean }>('app.diagnose', {})).toMatchObject({ ok: true });
    // A new process opens the new key.
    open(dataDir);
    expect((await sign()).signature!.keyId).toBe(rotated.keyId);
  });

  it('changes nothing without the confirmation, or with a wrong passphrase', async () => {
    const dataDir = join(tmp.dir, 'refus');
    open(dataDir);
    await value('profile.save', validProfile);
    const signed = await sign();
    expect(await call('keys.rotate', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('keys.rotate', { confirm: false })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { confirm: 'Confirmez le changement de clé (confirm: true).' } } });
    open(dataDir, { ORDO_KEY_PASSPHRASE: 'une autre phrase' });
    const wrong = await call('keys.rotate', { confirm: true });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'KEY_UNAVAILABLE' } });
    expect(readdirSync(publicKeysDir(dataDir))).toEqual([`${signed.signature!.keyId}.pem`]);
    expect(readdirSync(keyStoreDir(dataDir)).filter((f) => f.includes('retired'))).toEqual([]);
    expect(app!.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'signing.key.rotated'").pluck().get()).toBe(0);
    // The right passphrase again: the same key still signs.
    open(dataDir);
    expect((await sign()).signature!.keyId).toBe(signed.signature!.keyId);
  });

  it('answers a French CONFLICT when the key given to the app cannot be changed', async () => {
    const dataDir = join(tmp.dir, 'fixe');
    const provider = passphraseKeyProvider(dataDir, PASS);
    app?.close();
    app = createApp({ dataDir, mode: 'host', jobs: { threads: false }, signingKey: () => provider() });
    expect(await call('keys.rotate', { confirm: true })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/clé de signature/) as unknown } });
    expect(existsSync(publicKeysDir(dataDir))).toBe(false);
  });

  it('ordo key rotate prints the retired and the new key ids', async () => {
    const dataDir = join(tmp.dir, 'cli');
    open(dataDir);
    await value('profile.save', validProfile);
    const signed = await sign();
    app!.close();
    app = undefined;
    const result = runOrdo(['key', 'rotate', '--data-dir', dataDir], { env: PASS });
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout.trim()) as { retired: string; keyId: string };
    expect(json.retired).toBe(signed.signature!.keyId);
    expect(json.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(json.keyId).not.toBe(json.retired);
    expect(result.stderr).toContain('retirée');
    expect(Object.keys(json).sort()).toEqual(['keyId', 'retired']);
    expect(readdirSync(publicKeysDir(dataDir)).sort()).toEqual([`${json.retired}.pem`, `${json.keyId}.pem`].sort());
    // A wrong passphrase: French, exit 1, nothing changed.
    const wrong = runOrdo(['key', 'rotate', '--data-dir', dataDir], { env: { ORDO_KEY_PASSPHRASE: 'une autre phrase' } });
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toContain('la phrase de passe est incorrecte');
    expect(readdirSync(publicKeysDir(dataDir))).toHaveLength(2);
    expect(runOrdo(['key', 'rotate', 'maintenant', '--data-dir', dataDir], { env: PASS }).status).toBe(2);
  });

  it.skipIf(!existsSync(distCli))('ordo key rotate works from the built bundle (dist/electron/cli.mjs)', async () => {
    const dataDir = join(tmp.dir, 'dist');
    open(dataDir);
    await value('profile.save', validProfile);
    const signed = await sign();
    app!.close();
    app = undefined;
    const result = spawnSync(process.execPath, [distCli, 'key', 'rotate', '--data-dir', dataDir], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ORDO_LOG: 'warn', ...PASS }, input: '', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ retired: signed.signature!.keyId, keyId: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown });
  });
});
