/**
 * The signing key at rest: ECDSA P-256 created at first use, sealed with a passphrase (scrypt +
 * AES-256-GCM), its key id from the public key, a wrong passphrase and a modified file told apart
 * in French, rotation keeping every public key for verification.
 */
import { createHash, createPublicKey, sign, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { passphraseProtector } from '../../electron/keys/passphrase';
import { ensureSigningKey, openSigningKey, publicKeysDir, rotateSigningKey, signingKeyIdOf, verificationKeys } from '../../electron/keys/signing-key';
import { keyFile, readKey } from '../../electron/keys/store';
import { OrdoError } from '../../shared/errors';
import { tempDir } from '../support/tmp';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('ordo-signing-key-');
});
afterEach(() => tmp.remove());

const right = passphraseProtector('cheval agrafe batterie correcte');
const wrong = passphraseProtector('cheval agrafe batterie');

function refusal(fn: () => unknown): OrdoError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OrdoError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the signing key', () => {
  it('is created once, ES256, with the key id of its SubjectPublicKeyInfo, and opens again with the passphrase', () => {
    expect(openSigningKey(tmp.dir, right)).toBeNull();
    const key = ensureSigningKey(tmp.dir, right);
    expect(key.privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const spki = key.publicKey.export({ format: 'der', type: 'spki' });
    expect(key.keyId).toBe(createHash('sha256').update(spki).digest().subarray(0, 8).toString('hex'));
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    const again = ensureSigningKey(tmp.dir, right);
    expect(again.keyId).toBe(key.keyId);
    // It signs what the other verifies: the same key.
    const signature = sign('sha256', Buffer.from('ordonnance'), { key: again.privateKey, dsaEncoding: 'ieee-p1363' });
    expect(verify('sha256', Buffer.from('ordonnance'), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    // The public half is beside it in clear, under its key id.
    expect(readdirSync(publicKeysDir(tmp.dir))).toEqual([`${key.keyId}.pem`]);
    expect(signingKeyIdOf(createPublicKey(readFileSync(join(publicKeysDir(tmp.dir), `${key.keyId}.pem`))))).toBe(key.keyId);
  });

  it('keeps nothing of the private key in clear on disk', () => {
    const key = ensureSigningKey(tmp.dir, right);
    const der = key.privateKey.export({ format: 'der', type: 'pkcs8' });
    const file = readFileSync(keyFile(tmp.dir, 'signing'));
    const sealed = Buffer.from((JSON.parse(file.toString('utf8')) as { sealed: string }).sealed, 'base64');
    // Neither the PKCS#8 bytes nor the 32-byte private scalar (bytes 36–67 of Node's P-256 PKCS#8) appear, raw, in hex or in base64.
    const scalar = der.subarray(36, 68);
    expect(der.subarray(34, 36)).toEqual(Buffer.from([0x04, 0x20]));
    for (const secret of [der, scalar]) {
      expect(file.includes(Buffer.from(secret.toString('hex')))).toBe(false);
      expect(sealed.includes(secret)).toBe(false);
      expect(file.includes(Buffer.from(secret.toString('base64')))).toBe(false);
    }
    expect(JSON.parse(file.toString('utf8'))).toMatchObject({ protector: 'passphrase-scrypt-aes256gcm', purpose: 'signing' });
  });

  it('refuses a wrong passphrase, saying so in French, and changes nothing', () => {
    ensureSigningKey(tmp.dir, right);
    const before = readFileSync(keyFile(tmp.dir, 'signing'));
    const error = refusal(() => openSigningKey(tmp.dir, wrong));
    expect(error.code).toBe('KEY_UNAVAILABLE');
    expect(error.message).toBe('La clé de signature ne peut pas être ouverte : la phrase de passe est incorrecte.');
    // ensureSigningKey never replaces a key it cannot open.
    expect(() => ensureSigningKey(tmp.dir, wrong)).toThrow(/phrase de passe est incorrecte/);
    expect(readFileSync(keyFile(tmp.dir, 'signing')).equals(before)).toBe(true);
  });

  it('refuses a modified key file, saying it was modified, never crashing', () => {
    ensureSigningKey(tmp.dir, right);
    const file = keyFile(tmp.dir, 'signing');
    const document = JSON.parse(readFileSync(file, 'utf8')) as { sealed: string };
    const sealed = Buffer.from(document.sealed, 'base64');
    // One bit of the ciphertext flipped, then of the tag, then the file cut short, then not JSON.
    for (const at of [sealed.length - 1, 7 + 16 + 16 + 12]) {
      const bad = Buffer.from(sealed);
      bad[at]! ^= 0x01;
      writeFileSync(file, JSON.stringify({ ...document, sealed: bad.toString('base64') }));
      expect(refusal(() => openSigningKey(tmp.dir, right)).message).toBe('La clé de signature ne peut pas être ouverte : le fichier de clé a été modifié ou est endommagé.');
    }
    writeFileSync(file, JSON.stringify({ ...document, sealed: sealed.subarray(0, 20).toString('base64') }));
    expect(refusal(() => openSigningKey(tmp.dir, right)).message).toMatch(/endommagé/);
    writeFileSync(file, '{"format":');
    expect(refusal(() => openSigningKey(tmp.dir, right)).message).toMatch(/endommagé/);
    expect(readKey(tmp.dir, 'signing', 138, [right])).toMatchObject({ state: 'unreadable', damaged: true });
  });

  it('rotates: a new key signs, the old public key still verifies, the retired private half is set aside', () => {
    const first = ensureSigningKey(tmp.dir, right);
    const signed = sign('sha256', Buffer.from('ancienne'), { key: first.privateKey, dsaEncoding: 'ieee-p1363' });
    const { retired, key } = rotateSigningKey(tmp.dir, right);
    expect(retired).toBe(first.keyId);
    expect(key.keyId).not.toBe(first.keyId);
    expect(ensureSigningKey(tmp.dir, right).keyId).toBe(key.keyId);
    const keys = verificationKeys(tmp.dir);
    expect([...keys.keys()].sort()).toEqual([first.keyId, key.keyId].sort());
    expect(verify('sha256', Buffer.from('ancienne'), { key: keys.get(first.keyId)!, dsaEncoding: 'ieee-p1363' }, signed)).toBe(true);
    expect(existsSync(join(tmp.dir, 'keys', `signing-retired-${first.keyId}.key`))).toBe(true);
  });

  it('verification keys come from other folders too (--keys), skipping what is not a P-256 public key', () => {
    const key = ensureSigningKey(tmp.dir, right);
    const other = join(tmp.dir, 'autres');
    const elsewhere = tempDir('ordo-signing-other-');
    try {
      const foreign = ensureSigningKey(elsewhere.dir, right);
      writeFileSync(join(tmp.dir, 'x.pem'), 'pas une clé');
      expect([...verificationKeys(null, [publicKeysDir(elsewhere.dir), other, tmp.dir]).keys()]).toEqual([foreign.keyId]);
      expect(verificationKeys(tmp.dir, [publicKeysDir(elsewhere.dir)]).size).toBe(2);
      expect(verificationKeys(tmp.dir).has(key.keyId)).toBe(true);
    } finally {
      elsewhere.remove();
    }
  });
});
