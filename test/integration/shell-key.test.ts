/**
 * The app's signing key and print dialog, the way Electron provides them: the main process's
 * `safeStorage` and print dialog reach the service worker over its private port (worker/shell.ts),
 * here with a stand-in keychain (AES-256-GCM under a key only this test holds) and a recording
 * printer. The worker signs without any passphrase, the key file on disk is the keychain's blob,
 * a keychain that refuses gives the French KEY_UNAVAILABLE, and « Imprimer » opens the dialog on
 * the kept copy.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ShellHandlers } from '../../electron/worker/shell';
import { startServiceWorker, type ServiceWorkerClient } from '../../electron/worker/client';
import { validProfile } from '../support/fixtures';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-shell-key-');
afterAll(() => tmp.remove());
let client: ServiceWorkerClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const keychainKey = randomBytes(32);
const keychain: Required<Pick<ShellHandlers, 'seal' | 'open'>> = {
  seal(secret) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keychainKey, iv);
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return Buffer.concat([Buffer.from('KEYCHAIN'), iv, cipher.getAuthTag(), body]);
  },
  open(sealed) {
    if (sealed.subarray(0, 8).toString() !== 'KEYCHAIN') throw new Error('not ours');
    const decipher = createDecipheriv('aes-256-gcm', keychainKey, sealed.subarray(8, 20));
    decipher.setAuthTag(sealed.subarray(20, 36));
    return Buffer.concat([decipher.update(sealed.subarray(36)), decipher.final()]);
  },
};

async function value<T>(c: ServiceWorkerClient, name: string, input: unknown): Promise<T> {
  const result = await c.call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

async function signOne(c: ServiceWorkerClient, n: number) {
  await value(c, 'profile.save', validProfile);
  const patient = await value<{ id: number }>(c, 'patients.create', { patient: { birthName: `Keychain${'abcdefgh'[n]}`, firstNames: 'Anne', sex: 'F', birthDate: '01/02/1970' }, confirmed: ['duplicate', 'nearDuplicate'] });
  const draft = await value<{ id: number; version: number }>(c, 'prescriptions.create', { patientId: patient.id });
  await value(c, 'prescriptions.save', {
    id: draft.id,
    version: draft.version,
    lines: [{ kind: 'drug', key: '00000000-0000-4000-8000-000000000001', cis: '69999008', posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 3 } }, duration: { value: 5, unit: 'days' } }],
  });
  return c.call('prescriptions.sign', { id: draft.id, requestId: `00000000-0000-4000-8000-00000000010${n}` });
}

describe('the signing key sealed by the main process’s keychain, over the private port', () => {
  it('signs without a passphrase; the key file holds the keychain’s blob; « Imprimer » opens the dialog on the kept copy', async () => {
    const dataDir = join(tmp.dir, 'ok');
    const printed: string[] = [];
    const previous = process.env['ORDO_KEY_PASSPHRASE'];
    delete process.env['ORDO_KEY_PASSPHRASE'];
    try {
      client = await startServiceWorker({
        dataDir,
        mode: 'electron',
        shell: {
          ...keychain,
          print: (file) => {
            printed.push(file);
            return Promise.resolve(true);
          },
        },
      });
      const signed = await signOne(client, 0);
      expect(signed.ok, JSON.stringify(signed)).toBe(true);
      const id = (signed as { value: { id: number } }).value.id;
      const file = JSON.parse(readFileSync(join(dataDir, 'keys', 'signing.key'), 'utf8')) as { protector: string; sealed: string };
      expect(file.protector).toBe('safeStorage');
      const blob = Buffer.from(file.sealed, 'base64');
      expect(blob.subarray(0, 8).toString()).toBe('KEYCHAIN');
      // The PKCS#8 itself is nowhere in the file.
      const pkcs8 = keychain.open(blob);
      expect(readFileSync(join(dataDir, 'keys', 'signing.key')).includes(pkcs8)).toBe(false);
      expect(readdirSync(join(dataDir, 'keys', 'public'))).toHaveLength(1);

      const print = await value<{ printed: boolean; savedAs: string }>(client, 'prescriptions.print', { id });
      expect(print.printed).toBe(true);
      expect(printed).toEqual([print.savedAs]);
      expect(existsSync(print.savedAs)).toBe(true);
    } finally {
      if (previous !== undefined) process.env['ORDO_KEY_PASSPHRASE'] = previous;
    }
  });

  it('a keychain that cannot open the key (another OS session): KEY_UNAVAILABLE in French, nothing signed', async () => {
    const dataDir = join(tmp.dir, 'refused');
    client = await startServiceWorker({ dataDir, mode: 'electron', shell: keychain });
    expect((await signOne(client, 1)).ok).toBe(true);
    await client.close();
    client = await startServiceWorker({
      dataDir,
      mode: 'electron',
      shell: {
        seal: keychain.seal,
        open: () => {
          throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
        },
      },
    });
    const refused = await signOne(client, 2);
    expect(refused).toMatchObject({ ok: false, error: { code: 'KEY_UNAVAILABLE' } });
    expect(!refused.ok && refused.error.message).toMatch(/trousseau du système/);
    const list = await value<{ state: string }[]>(client, 'prescriptions.list', { patientId: 2 });
    expect(list.map((p) => p.state)).toEqual(['draft']);
  });
});
