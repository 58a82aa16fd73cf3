/**
 * The prescriber's signing key, as others may see it: its public half (PEM) and a self-signed
 * X.509 certificate naming the prescriber (CN « Dr Prénom Nom », serialNumber = the RPPS, C=FR),
 * for a pharmacist, a payer or another program to verify what Ordo signed. The private key never
 * leaves the main process: no call returns it; the certificate is signed there.
 */
import { z } from 'zod';
import { noInput, type CallSpec } from './spec';

const pem = (label: string) => z.string().regex(new RegExp(`^-----BEGIN ${label}-----\\r?\\n[A-Za-z0-9+/=\\r\\n]+-----END ${label}-----\\r?\\n?$`));

export const keyExportSchema = z.object({
  /** First 8 bytes of SHA-256 over the public key's SubjectPublicKeyInfo, in hex (the `kid` of every signed code). */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** The SubjectPublicKeyInfo, PEM (« PUBLIC KEY »): what `ordo verify --keys` reads. */
  publicKeyPem: pem('PUBLIC KEY'),
  /** The self-signed certificate, PEM; its serial number is the key id. */
  certificatePem: pem('CERTIFICATE'),
  /** The name to save the bundle under (`ordo-cle-publique-<key id>.pem`). */
  fileName: z.string().regex(/^ordo-cle-publique-[0-9a-f]{16}\.pem$/),
});
export type KeyExport = z.infer<typeof keyExportSchema>;

/** The file a GP hands over: the public key, then the certificate, both PEM (Réglages, `ordo key export --out`). */
export function pemBundle(exported: Pick<KeyExport, 'publicKeyPem' | 'certificatePem'>): string {
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  return `${line(exported.publicKeyPem)}${line(exported.certificatePem)}`;
}

export const keyCalls = {
  /**
   * Réglages → Clé de signature, `ordo key export`: the public key and its self-signed certificate.
   * Opens the key like a signature does (KEY_UNAVAILABLE in French when it cannot), creating it
   * when there is none yet; needs the prescriber's profile (the certificate names them).
   */
  'keys.export': {
    input: noInput,
    output: keyExportSchema,
    example: {},
  },
  /**
   * Réglages → « Changer de clé de signature… », `ordo key rotate`: retires the current key (its
   * public half stays, so what it signed still verifies) and makes the next. `confirm: true` says
   * the GP asked for it. Needs the current key to open (the same passphrase).
   */
  'keys.rotate': {
    input: z.strictObject({ confirm: z.literal(true, { error: 'Confirmez le changement de clé (confirm: true).' }) }),
    output: z.object({
      /** The retired key's id, or null when there was none yet. */
      retired: z.string().regex(/^[0-9a-f]{16}$/).nullable(),
      keyId: z.string().regex(/^[0-9a-f]{16}$/),
    }),
    example: { confirm: true },
  },
} as const satisfies Record<string, CallSpec>;
