/**
 * `keys.export` and `ordo key export`: the prescriber's public signing key as PEM and a
 * self-signed X.509 certificate naming the prescriber (CN « Dr Prénom Nom », serialNumber = RPPS),
 * signed by the key itself in the main process; the private key never in an answer; the same
 * French KEY_UNAVAILABLE as a signature when the key cannot be opened.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, sign, verify, webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../electron/app';
import { dispatch } from '../../electron/dispatch';
import { passphraseProtector } from '../../electron/keys/passphrase';
import { ensureSigningKey, passphraseKeyProvider, publicKeysDir, signingKeyIdOf, verificationKeys } from '../../electron/keys/signing-key';
import { keyFile } from '../../electron/keys/store';
import { pemBundle, type KeyExport } from '../../shared/calls/keys';
import type { PrescriberProfileInput } from '../../shared/domain/profile';
import type { Result } from '../../shared/errors';
import { runOrdo } from '../support/cli';
import { validProfile } from '../support/fixtures';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-key-export-');
afterAll(() => tmp.remove());
const PASSPHRASE = 'une phrase de passe de test';
const PASS = { ORDO_KEY_PASSPHRASE: PASSPHRASE };
const crypto = webcrypto as unknown as Crypto;
let n = 0;

/** A data folder with the prescriber's profile saved (and no key yet). */
async function practice(profile: PrescriberProfileInput = validProfile): Promise<string> {
  const dataDir = join(tmp.dir, `cabinet${n++}`);
  const app = createApp({ dataDir, mode: 'host', jobs: { threads: false }, signingKey: passphraseKeyProvider(dataDir, {}) });
  try {
    const saved = await dispatch(app.services, 'profile.save', profile);
    expect(saved.ok).toBe(true);
  } finally {
    app.close();
  }
  return dataDir;
}

/** `keys.export` through dispatch, on an app whose key provider reads `env`. */
async function exportKey(dataDir: string, env: NodeJS.ProcessEnv = PASS): Promise<Result<KeyExport>> {
  const app = createApp({ dataDir, mode: 'host', jobs: { threads: false }, signingKey: passphraseKeyProvider(dataDir, env) });
  try {
    return (await dispatch(app.services, 'keys.export', {})) as Result<KeyExport>;
  } finally {
    app.close();
  }
}

async function exported(dataDir: string): Promise<KeyExport> {
  const result = await exportKey(dataDir);
  if (!result.ok) throw new Error(`keys.export: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const spkiOf = (pem: string) => createPublicKey(pem).export({ format: 'der', type: 'spki' });
const keyIdOfSpki = (der: Buffer) => createHash('sha256').update(der).digest().subarray(0, 8).toString('hex');

describe('keys.export', () => {
  it('returns the public key and a self-signed certificate naming the prescriber and the RPPS, verified with the exported key', async () => {
    const dataDir = await practice();
    const value = await exported(dataDir);
    expect(value.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(value.fileName).toBe(`ordo-cle-publique-${value.keyId}.pem`);
    // The exported PEM is the key of the data folder, under its key id.
    expect(signingKeyIdOf(createPublicKey(value.publicKeyPem))).toBe(value.keyId);
    expect(readFileSync(join(publicKeysDir(dataDir), `${value.keyId}.pem`), 'utf8')).toBe(value.publicKeyPem);

    const cert = new x509.X509Certificate(value.certificatePem);
    // Subject: C=FR, surname, givenName, serialNumber = RPPS, CN = « Dr Prénom Nom »; self-issued.
    expect(cert.subjectName.getField('CN')).toEqual([`Dr ${validProfile.firstName} ${validProfile.lastName}`]);
    expect(cert.subjectName.getField('2.5.4.5')).toEqual([validProfile.rpps]);
    expect(cert.subjectName.getField('C')).toEqual(['FR']);
    expect(cert.subjectName.getField('2.5.4.4')).toEqual([validProfile.lastName]);
    expect(cert.subjectName.getField('2.5.4.42')).toEqual([validProfile.firstName]);
    expect(cert.issuer).toBe(cert.subject);
    // Its self-signature verifies (with its own key, which is the exported one), and not under another key.
    expect(await cert.isSelfSigned(crypto)).toBe(true);
    expect(await cert.verify({ signatureOnly: true }, crypto)).toBe(true);
    expect(await cert.verify({ signatureOnly: true, publicKey: await crypto.subtle.importKey('spki', spkiOf(value.publicKeyPem), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']) }, crypto)).toBe(true);
    const other = ensureSigningKey(join(tmp.dir, 'ailleurs'), passphraseProtector(PASSPHRASE)).publicKey;
    expect(new NodeX509(value.certificatePem).verify(other)).toBe(false);
    expect(new NodeX509(value.certificatePem).verify(createPublicKey(value.publicKeyPem))).toBe(true);
    // The certificate's public key is the exported PEM, and its key id is the key id; so is the serial.
    const certSpki = Buffer.from(cert.publicKey.rawData);
    expect(certSpki.equals(spkiOf(value.publicKeyPem))).toBe(true);
    expect(keyIdOfSpki(certSpki)).toBe(value.keyId);
    expect(cert.serialNumber.toLowerCase().replace(/^0+/, '')).toBe(value.keyId.replace(/^0+/, ''));
    // ES256; an end-entity key for signatures; valid from the key's creation, for 3 years.
    expect(cert.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(cert.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
    const created = Math.floor(statSync(keyFile(dataDir, 'signing')).mtime.getTime() / 1000) * 1000;
    expect(cert.notBefore.getTime()).toBe(created);
    const threeYears = new Date(created);
    threeYears.setUTCFullYear(threeYears.getUTCFullYear() + 3);
    expect(cert.notAfter.getTime()).toBe(threeYears.getTime());
    // What the key signs, the certificate's key verifies (the key opened with the same passphrase).
    const key = ensureSigningKey(dataDir, passphraseProtector(PASSPHRASE));
    const signature = sign('sha256', Buffer.from('ordonnance'), key.privateKey);
    expect(verify('sha256', Buffer.from('ordonnance'), new NodeX509(value.certificatePem).publicKey, signature)).toBe(true);
    // Nothing private in the answer.
    const text = JSON.stringify(value);
    expect(text).not.toContain('PRIVATE');
    const scalar = key.privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(36, 68);
    for (const form of [scalar.toString('hex'), scalar.toString('base64')]) expect(text).not.toContain(form);
  });

  it('gives the same certificate twice (same key, same profile), and a bundle `ordo verify --keys` reads', async () => {
    const dataDir = await practice();
    const app = createApp({ dataDir, mode: 'host', jobs: { threads: false }, signingKey: passphraseKeyProvider(dataDir, PASS) });
    try {
      const first = (await dispatch(app.services, 'keys.export', {})) as Result<KeyExport>;
      const second = (await dispatch(app.services, 'keys.export', {})) as Result<KeyExport>;
      expect(first.ok && second.ok).toBe(true);
      if (!first.ok || !second.ok) return;
      expect(second.value).toEqual(first.value);
      const dir = join(tmp.dir, `bundle${n++}`);
      mkdirSync(dir);
      writeFileSync(join(dir, first.value.fileName), pemBundle(first.value));
      expect([...verificationKeys(null, [dir]).keys()]).toEqual([first.value.keyId]);
    } finally {
      app.close();
    }
  });

  it('names a prescriber whose name is not ASCII, as UTF-8', async () => {
    const dataDir = await practice({ ...validProfile, firstName: 'Hélène', lastName: 'D’Aubigné-Çelik' });
    const value = await exported(dataDir);
    const cert = new x509.X509Certificate(value.certificatePem);
    expect(cert.subjectName.getField('CN')).toEqual(['Dr Hélène D’Aubigné-Çelik']);
    expect(new NodeX509(value.certificatePem).subject).toContain('CN=Dr Hélène D’Aubigné-Çelik');
  });

  it('refuses a wrong passphrase, or none, with the French KEY_UNAVAILABLE of signing, and changes no key', async () => {
    const dataDir = await practice();
    const { keyId } = await exported(dataDir);
    const before = readFileSync(keyFile(dataDir, 'signing'));
    const wrong = await exportKey(dataDir, { ORDO_KEY_PASSPHRASE: 'une autre phrase' });
    expect(wrong).toEqual({ ok: false, error: { code: 'KEY_UNAVAILABLE', message: 'La clé de signature ne peut pas être ouverte : la phrase de passe est incorrecte.' } });
    const none = await exportKey(dataDir, {});
    expect(none.ok).toBe(false);
    if (!none.ok) {
      expect(none.error.code).toBe('KEY_UNAVAILABLE');
      expect(none.error.message).toMatch(/phrase de passe.*ORDO_KEY_PASSPHRASE/);
    }
    expect(readFileSync(keyFile(dataDir, 'signing')).equals(before)).toBe(true);
    expect((await exported(dataDir)).keyId).toBe(keyId);
  });

  it('needs the prescriber’s profile, saying so in French', async () => {
    const dataDir = join(tmp.dir, `vide${n++}`);
    const result = await exportKey(dataDir);
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/profil du prescripteur/) as unknown } });
    expect(existsSync(keyFile(dataDir, 'signing'))).toBe(false);
  });
});

/** `ordo` as built (`node scripts/build-electron.mjs`): the bundle a GP runs, reflect-metadata loaded before the X.509 library. */
const distCli = join(repoRoot, 'dist', 'electron', 'cli.mjs');
function runDist(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [distCli, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ORDO_LOG: 'warn', ORDO_KEY_PASSPHRASE: '', ...env }, input: '', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('ordo key export', () => {
  it('prints {keyId, publicKeyPem, certificatePem} as JSON, the same key as the app’s', async () => {
    const dataDir = await practice();
    const result = runOrdo(['key', 'export', '--data-dir', dataDir], { env: PASS });
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout.trim()) as Record<string, string>;
    expect(Object.keys(json).sort()).toEqual(['certificatePem', 'keyId', 'publicKeyPem']);
    expect(json['keyId']).toBe((await exported(dataDir)).keyId);
    expect(signingKeyIdOf(createPublicKey(json['publicKeyPem']!))).toBe(json['keyId']);
    expect(new NodeX509(json['certificatePem']!).verify(createPublicKey(json['publicKeyPem']!))).toBe(true);
    expect(result.stderr).toContain(`Clé publique ${json['keyId']}`);
  });

  it('writes the PEM bundle (public key, then certificate) with --out', async () => {
    const dataDir = await practice();
    const file = join(tmp.dir, `export${n++}.pem`);
    const result = runOrdo(['key', 'export', '--data-dir', dataDir, '--out', file], { env: PASS });
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout.trim()) as { keyId: string; file: string };
    expect(json.file).toBe(file);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    expect(text).not.toContain('PRIVATE');
    expect(signingKeyIdOf(createPublicKey(text))).toBe(json.keyId);
    expect(new x509.X509Certificate(text.slice(text.indexOf('-----BEGIN CERTIFICATE-----'))).subjectName.getField('2.5.4.5')).toEqual([validProfile.rpps]);
  });

  it('says in French that the passphrase is wrong, exit 1, no stack trace', async () => {
    const dataDir = await practice();
    expect(runOrdo(['key', 'export', '--data-dir', dataDir], { env: PASS }).status).toBe(0);
    const result = runOrdo(['key', 'export', '--data-dir', dataDir], { env: { ORDO_KEY_PASSPHRASE: 'une autre phrase' } });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe('ordo : La clé de signature ne peut pas être ouverte : la phrase de passe est incorrecte.');
    expect(runOrdo(['key', 'exporter', '--data-dir', dataDir]).status).toBe(2);
  });

  it.skipIf(!existsSync(distCli))('works from the built bundle (dist/electron/cli.mjs)', async () => {
    const dataDir = await practice();
    const result = runDist(['key', 'export', '--data-dir', dataDir], PASS);
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout.trim()) as { keyId: string; certificatePem: string };
    expect(new x509.X509Certificate(json.certificatePem).subjectName.getField('CN')).toEqual([`Dr ${validProfile.firstName} ${validProfile.lastName}`]);
    expect(runDist(['key', 'export', '--data-dir', dataDir], { ORDO_KEY_PASSPHRASE: 'une autre phrase' }).stderr).toContain('la phrase de passe est incorrecte');
  });
});
