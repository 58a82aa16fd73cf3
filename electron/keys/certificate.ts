/**
 * The self-signed X.509 certificate of the prescriber's signing key, made in the process that
 * holds the key (the private half never leaves it: it signs here, through Node's WebCrypto).
 *
 * Subject (= issuer), from the most general attribute to the most specific:
 *   C=FR, surname=<nom>, givenName=<prénom>, serialNumber=<RPPS, 11 digits>, CN=Dr <prénom> <nom>
 * The RPPS goes into the X.520 `serialNumber` attribute (2.5.4.5), the attribute meant for a
 * subject's identifier, rather than into an OU: a program reads it without parsing free text.
 * Serial number: the key id (8 bytes, made positive). Validity: from the key's creation (the
 * key file's date, to the second), for 3 years. Everything but the ECDSA signature itself (random
 * by nature) is thus a function of the key, the profile and the key's date.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { SigningKey } from './signing-key';

export const CERTIFICATE_YEARS = 3;

/** The X.520 attributes of the subject, by OID (the library's short names say SN for surname). */
export const SUBJECT_OIDS = { country: '2.5.4.6', surname: '2.5.4.4', givenName: '2.5.4.42', serialNumber: '2.5.4.5', commonName: '2.5.4.3' } as const;

export interface CertificateSubject {
  firstName: string;
  lastName: string;
  rpps: string;
}

export const commonNameOf = (s: CertificateSubject) => `Dr ${s.firstName} ${s.lastName}`;

/** notBefore at the second, notAfter the same instant CERTIFICATE_YEARS later (UTC calendar). */
export function validityFrom(start: Date): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Math.floor(start.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CERTIFICATE_YEARS);
  return { notBefore, notAfter };
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** The certificate as PEM (LF line ends, a final LF). */
export async function selfSignedCertificate(key: SigningKey, subject: CertificateSubject, start: Date): Promise<string> {
  // Node's WebCrypto (globalThis.crypto is node:crypto's webcrypto), passed explicitly: the
  // library's global provider stays untouched. The global is typed as the DOM's where DOM types exist.
  const crypto = globalThis.crypto;
  const pkcs8 = key.privateKey.export({ format: 'der', type: 'pkcs8' });
  // Not extractable: the imported key signs this certificate and nothing reads it back.
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, ALGORITHM, false, ['sign']).finally(() => pkcs8.fill(0));
  const publicKey = await crypto.subtle.importKey('spki', key.publicKey.export({ format: 'der', type: 'spki' }), ALGORITHM, true, ['verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: key.keyId,
      name: [
        { [SUBJECT_OIDS.country]: ['FR'] },
        { [SUBJECT_OIDS.surname]: [subject.lastName] },
        { [SUBJECT_OIDS.givenName]: [subject.firstName] },
        { [SUBJECT_OIDS.serialNumber]: [subject.rpps] },
        { [SUBJECT_OIDS.commonName]: [commonNameOf(subject)] },
      ],
      ...validityFrom(start),
      keys: { privateKey, publicKey },
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
        await x509.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const pem = certificate.toString('pem').replace(/\r\n/g, '\n');
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}
