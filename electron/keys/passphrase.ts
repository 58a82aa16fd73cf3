/**
 * A key protected by a passphrase (the host and the CLI, where Electron's `safeStorage` does not
 * exist): scrypt (N = 2^15, r = 8, p = 1) derives 64 bytes from the passphrase and a random salt;
 * the first 32 are the AES-256-GCM key, the last 32 make a short verifier, so that a wrong
 * passphrase is told apart from a modified file (GCM alone would refuse both the same way).
 *
 *   sealed = "OKP1" ‖ log2 N ‖ r ‖ p ‖ salt (16) ‖ verifier (16) ‖ iv (12) ‖ tag (16) ‖ ciphertext
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { ProtectorError, type KeyProtector } from './store';

const MAGIC = Buffer.from('OKP1', 'ascii');
const LOG_N = 15;
const R = 8;
const P = 1;
const HEADER = MAGIC.length + 3;
const SALT = 16;
const VERIFIER = 16;
const IV = 12;
const TAG = 16;

export const PASSPHRASE_PROTECTOR = 'passphrase-scrypt-aes256gcm';

/** The environment variable the host and the CLI read the passphrase from. */
export const PASSPHRASE_ENV = 'ORDO_KEY_PASSPHRASE';

function derive(passphrase: string, salt: Buffer, logN: number, r: number, p: number): { key: Buffer; verifier: Buffer } {
  const N = 2 ** logN;
  const bytes = scryptSync(passphrase.normalize('NFC'), salt, 64, { N, r, p, maxmem: 256 * N * r });
  const verifier = createHmac('sha256', bytes.subarray(32)).update('ordo passphrase verifier').digest().subarray(0, VERIFIER);
  return { key: bytes.subarray(0, 32), verifier };
}

export function passphraseProtector(passphrase: string): KeyProtector {
  if (passphrase.length === 0) throw new ProtectorError('la phrase de passe est vide', false);
  return {
    name: PASSPHRASE_PROTECTOR,
    seal(secret) {
      const salt = randomBytes(SALT);
      const iv = randomBytes(IV);
      const { key, verifier } = derive(passphrase, salt, LOG_N, R, P);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
      return Buffer.concat([MAGIC, Buffer.from([LOG_N, R, P]), salt, verifier, iv, cipher.getAuthTag(), ciphertext]);
    },
    open(sealed) {
      const fixed = HEADER + SALT + VERIFIER + IV + TAG;
      if (sealed.length <= fixed || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) throw new ProtectorError('le fichier de clé est endommagé', true);
      const [logN, r, p] = [sealed[4]!, sealed[5]!, sealed[6]!];
      // Parameters a damaged file could make absurd (minutes of work, gigabytes of memory).
      if (logN < 10 || logN > 20 || r < 1 || r > 16 || p < 1 || p > 4) throw new ProtectorError('le fichier de clé est endommagé', true);
      let at = HEADER;
      const take = (n: number) => sealed.subarray(at, (at += n));
      const salt = take(SALT);
      const stored = take(VERIFIER);
      const iv = take(IV);
      const tag = take(TAG);
      const ciphertext = sealed.subarray(at);
      const { key, verifier } = derive(passphrase, salt, logN, r, p);
      if (!timingSafeEqual(stored, verifier)) throw new ProtectorError('la phrase de passe est incorrecte', false);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      } catch {
        throw new ProtectorError('le fichier de clé a été modifié ou est endommagé', true);
      }
    },
  };
}
