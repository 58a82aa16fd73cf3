import { statSync } from 'node:fs';
import type { KeyExport, keyCalls } from '../../shared/calls/keys';
import { OrdoError } from '../../shared/errors';
import { appendAudit } from '../audit/audit';
import type { AppContext } from '../context';
import { writeTransaction } from '../db/transaction';
import type { ServicesFor } from '../dispatch';
import { readProfile } from '../profile/api';
import { selfSignedCertificate, type CertificateSubject } from './certificate';
import { SIGNING_PURPOSE, type SigningKeyProvider } from './signing-key';
import { keyFile } from './store';

/** When the current signing key was made: its key file's date (never rewritten), or null without one (a key from elsewhere). */
function keyCreatedAt(dataDir: string): Date | null {
  try {
    return statSync(keyFile(dataDir, SIGNING_PURPOSE)).mtime;
  } catch {
    return null;
  }
}

/**
 * `keys.export`: the public key and its self-signed certificate. The key comes from the same
 * provider as `prescriptions.sign` (so the same passphrase, the same French KEY_UNAVAILABLE); the
 * certificate is made here and kept for the process, so that two exports give the same file.
 */
export function keyServices(ctx: AppContext, signingKey: SigningKeyProvider): ServicesFor<typeof keyCalls> {
  const made = new Map<string, KeyExport>();
  return {
    'keys.export': async () => {
      const profile = readProfile(ctx.db);
      if (profile === null) throw new OrdoError('CONFLICT', 'Renseignez d’abord le profil du prescripteur (Réglages) : le certificat porte votre nom et votre numéro RPPS.');
      const key = signingKey();
      const subject: CertificateSubject = { firstName: profile.firstName, lastName: profile.lastName, rpps: profile.rpps };
      const start = keyCreatedAt(ctx.dataDir) ?? ctx.clock.now();
      const memo = JSON.stringify([key.keyId, subject, Math.floor(start.getTime() / 1000)]);
      const known = made.get(memo);
      if (known !== undefined) return known;
      const exported: KeyExport = {
        keyId: key.keyId,
        publicKeyPem: key.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
        certificatePem: await selfSignedCertificate(key, subject, start),
        fileName: `ordo-cle-publique-${key.keyId}.pem`,
      };
      made.set(memo, exported);
      return exported;
    },
    'keys.rotate': () => {
      const rotate = signingKey.rotate;
      if (rotate === undefined) throw new OrdoError('CONFLICT', 'La clé de signature de cet Ordo ne se change pas ici.');
      const now = ctx.clock.now();
      // The key store is outside the database: rotated first, then said in the audit log.
      const { retired, key } = rotate();
      writeTransaction(ctx.db, () => appendAudit(ctx.db, { actor: 'prescriber', action: 'signing.key.rotated', subject: `key:${key.keyId}`, details: { retired, keyId: key.keyId } }, now));
      return { retired, keyId: key.keyId };
    },
  };
}
