/**
 * The prescriber's signing key: ECDSA P-256 (ES256), created at first use, its private half in
 * the key store (`keys/signing.key`, PKCS#8 DER sealed by a protector: Electron `safeStorage` in
 * the app, a passphrase in the host and the CLI), its public half beside it in clear
 * (`keys/public/<key id>.pem`) so that anything Ordo signed can be verified without the secret.
 * Key id: the first 8 bytes of SHA-256 over the public key's SubjectPublicKeyInfo (DER), in hex.
 * Rotation retires the current key (its private half deleted, its public half kept) and creates
 * the next one; the public keys of every key ever used stay for verification.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrdoError } from '../../shared/errors';
import { fsyncDir } from '../fs/durable';
import { PASSPHRASE_ENV, passphraseProtector } from './passphrase';
import { createKey, keyFile, keyStoreDir, readKey, type KeyProtector } from './store';

export const SIGNING_PURPOSE = 'signing';
/** PKCS#8 DER of a P-256 private key with its public point, as Node exports it. */
const PKCS8_LENGTH = 138;

export interface SigningKey {
  keyId: string;
  /** Stays in the process that signs: never returned by a call, never logged. */
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function publicKeysDir(dataDir: string): string {
  return join(keyStoreDir(dataDir), 'public');
}

/** First 8 bytes of SHA-256 over the SubjectPublicKeyInfo, as 16 hex digits. */
export function signingKeyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest().subarray(0, 8).toString('hex');
}

function fromPkcs8(der: Buffer): SigningKey {
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new OrdoError('KEY_UNAVAILABLE', 'La clé de signature n’est pas une clé ECDSA P-256.');
  const publicKey = createPublicKey(privateKey);
  return { keyId: signingKeyIdOf(publicKey), privateKey, publicKey };
}

/** Writes the public half where verification finds it (idempotent). */
function keepPublicKey(dataDir: string, key: SigningKey): void {
  const dir = publicKeysDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${key.keyId}.pem`), key.publicKey.export({ format: 'pem', type: 'spki' }), { mode: 0o644 });
  fsyncDir(dir);
}

/** The current signing key, or null when there is none yet; a French error when it cannot be opened. */
export function openSigningKey(dataDir: string, protector: KeyProtector): SigningKey | null {
  const read = readKey(dataDir, SIGNING_PURPOSE, PKCS8_LENGTH, [protector]);
  if (read.state === 'missing') return null;
  if (read.state === 'unreadable') throw new OrdoError('KEY_UNAVAILABLE', `La clé de signature ne peut pas être ouverte : ${read.reason}.`);
  const key = fromPkcs8(read.key.secret);
  read.key.secret.fill(0);
  return key;
}

/** The current signing key, created (and its public half kept) when there is none. */
export function ensureSigningKey(dataDir: string, protector: KeyProtector): SigningKey {
  const existing = openSigningKey(dataDir, protector);
  if (existing !== null) {
    keepPublicKey(dataDir, existing);
    return existing;
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const created = createKey(dataDir, SIGNING_PURPOSE, der, protector);
  der.fill(0);
  if (created.state !== 'ok') throw new OrdoError('KEY_UNAVAILABLE', `La clé de signature créée ne peut pas être relue : ${created.state === 'unreadable' ? created.reason : 'fichier absent'}.`);
  const key = fromPkcs8(created.key.secret);
  created.key.secret.fill(0);
  keepPublicKey(dataDir, key);
  return key;
}

/**
 * Retires the current key and creates the next: the retired private half is renamed aside
 * (`signing-retired-<key id>.key`, kept so that a mistaken rotation can be undone by hand), its
 * public half stays in `keys/public/`. Needs the current key to open (the right passphrase).
 */
export function rotateSigningKey(dataDir: string, protector: KeyProtector): { retired: string | null; key: SigningKey } {
  const current = openSigningKey(dataDir, protector);
  if (current !== null) {
    keepPublicKey(dataDir, current);
    renameSync(keyFile(dataDir, SIGNING_PURPOSE), join(keyStoreDir(dataDir), `${SIGNING_PURPOSE}-retired-${current.keyId}.key`));
    fsyncDir(keyStoreDir(dataDir));
  }
  return { retired: current?.keyId ?? null, key: ensureSigningKey(dataDir, protector) };
}

/** Every public key Ordo can verify with: this data folder's, and those of `extraDirs` (`--keys DIR`), by key id. */
export function verificationKeys(dataDir: string | null, extraDirs: readonly string[] = []): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const dir of [...(dataDir === null ? [] : [publicKeysDir(dataDir)]), ...extraDirs]) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.pem'));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      try {
        const key = createPublicKey(readFileSync(join(dir, name)));
        if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') keys.set(signingKeyIdOf(key), key);
      } catch {
        // Not a public key: skipped (a certificate or a stray file), the others still count.
      }
    }
  }
  return keys;
}

/**
 * Where the signing key comes from: called for a signature (the key opened once, then kept in
 * this process), with `rotate` to retire it and make the next (Réglages, `ordo key rotate`).
 */
export interface SigningKeyProvider {
  (): SigningKey;
  rotate?: () => { retired: string | null; key: SigningKey };
}

/** A provider over a protector: opens (or creates) the key at first use, and rotates it. */
function providerOver(dataDir: string, protector: () => KeyProtector): SigningKeyProvider {
  let key: SigningKey | undefined;
  const provider: SigningKeyProvider = () => (key ??= ensureSigningKey(dataDir, protector()));
  provider.rotate = () => {
    const rotated = rotateSigningKey(dataDir, protector());
    key = rotated.key;
    return rotated;
  };
  return provider;
}

/**
 * The signing key sealed by `protector` (the app's: Electron `safeStorage` through the main process,
 * worker/shell.ts), created at the first signature, then kept in this process.
 */
export function protectedKeyProvider(dataDir: string, protector: KeyProtector): SigningKeyProvider {
  return providerOver(dataDir, () => protector);
}

/**
 * The signing key of the host and the CLI: sealed with the passphrase of `ORDO_KEY_PASSPHRASE`,
 * created at the first signature, then kept in this process (never returned by a call). Without
 * the passphrase, or with a wrong one, a French KEY_UNAVAILABLE that says what to do.
 */
export function passphraseKeyProvider(dataDir: string, env: NodeJS.ProcessEnv = process.env): SigningKeyProvider {
  return providerOver(dataDir, () => {
    const passphrase = env[PASSPHRASE_ENV];
    if (passphrase === undefined || passphrase === '') {
      throw new OrdoError('KEY_UNAVAILABLE', `Pour signer, Ordo a besoin de la phrase de passe de la clé de signature : définissez la variable ${PASSPHRASE_ENV} avant de lancer Ordo.`);
    }
    return passphraseProtector(passphrase);
  });
}
