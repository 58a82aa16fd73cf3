import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { decode as decodeBase45, encode as encodeBase45 } from 'base45';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { signingKeyIdOf } from '../../electron/keys/signing-key';
import { QR_PREFIX, sealPayload, verifyPayload, type SealClaims } from '../../electron/signing/seal';

function keyPair(): { privateKey: KeyObject; publicKey: KeyObject; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey, keyId: signingKeyIdOf(publicKey) };
}

const mine = keyPair();
const theirs = keyPair();
const keys = new Map([[mine.keyId, mine.publicKey]]);
const claims: SealClaims = {
  id: '01S2TBPZ2JCNZZYGH3',
  issuedAt: new Date('2026-12-03T09:41:27.815Z'),
  prescriberRpps: '10003456789',
  keyId: mine.keyId,
  contentDigest: createHash('sha256').update('contenu canonique').digest(),
  auditHead: createHash('sha256').update('tête du journal').digest(),
};

/** The COSE bytes inside a payload, and a payload made of (changed) COSE bytes. */
const coseOf = (text: string) => inflateSync(decodeBase45(text.slice(QR_PREFIX.length)));
const payloadOf = (cose: Uint8Array) => `${QR_PREFIX}${encodeBase45(deflateSync(cose))}`;

describe('the signed QR payload', () => {
  it('round-trips: what was signed is what is read, valid with the prescriber’s key', () => {
    const text = sealPayload(claims, mine.privateKey);
    expect(text.startsWith('ORDO1:')).toBe(true);
    expect(verifyPayload(text, keys)).toEqual({
      status: 'valid',
      reason: null,
      id: claims.id,
      issuedAt: '2026-12-03T09:41:27.000Z',
      prescriber: '10003456789',
      keyId: mine.keyId,
      contentDigest: Buffer.from(claims.contentDigest).toString('hex'),
      auditHead: Buffer.from(claims.auditHead.subarray(0, 16)).toString('hex'),
    });
  });

  it('fits a QR code of version 10 or less at error correction M, in alphanumeric mode', () => {
    const text = sealPayload(claims, mine.privateKey);
    const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
    expect(qr.version).toBeLessThanOrEqual(10);
    expect(qr.segments.every((s) => s.mode.id === 'Alphanumeric')).toBe(true);
  });

  it('is invalid when any byte of the signed COSE structure changes, never valid', () => {
    const cose = coseOf(sealPayload(claims, mine.privateKey));
    let invalid = 0;
    for (let i = 0; i < cose.length; i++) {
      const changed = Buffer.from(cose);
      changed[i]! ^= 0x01;
      const check = verifyPayload(payloadOf(changed), keys);
      expect(check.status, `byte ${i}`).not.toBe('valid');
      if (check.status === 'invalid') invalid++;
    }
    // Most changes still read (a changed digit of the id, of the digest, of the signature): said « invalid ».
    expect(invalid).toBeGreaterThan(cose.length / 2);
  });

  it('is never valid when a character of the printed text changes', () => {
    const text = sealPayload(claims, mine.privateKey);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    for (let i = QR_PREFIX.length; i < text.length; i += 3) {
      const c = alphabet[(alphabet.indexOf(text[i]!) + 1) % alphabet.length]!;
      expect(verifyPayload(`${text.slice(0, i)}${c}${text.slice(i + 1)}`, keys).status).not.toBe('valid');
    }
  });

  it('is invalid when signed by another key, even one naming my key id', () => {
    const other = sealPayload({ ...claims, keyId: theirs.keyId }, theirs.privateKey);
    expect(verifyPayload(other, keys)).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/inconnue ici/) as unknown });
    const forged = sealPayload(claims, theirs.privateKey);
    expect(verifyPayload(forged, keys)).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/ne correspond pas/) as unknown, id: claims.id });
    expect(verifyPayload(other, new Map([[theirs.keyId, theirs.publicKey]])).status).toBe('valid');
  });

  it('says what is unreadable, in French, without throwing', () => {
    for (const text of ['', 'HC1:6BFOXN', 'ORDO1:', 'ORDO1:abc', 'ORDO1:A', 'ORDO1:GGW', `ORDO1:${encodeBase45(Buffer.from('pas du zlib'))}`, payloadOf(Buffer.from([0xa0]))]) {
      const check = verifyPayload(text, keys);
      expect(check.status, text).toBe('unreadable');
      expect(check.reason).toMatch(/[a-zé]/);
    }
    // A zip bomb: a small code inflating to megabytes.
    expect(verifyPayload(`${QR_PREFIX}${encodeBase45(deflateSync(Buffer.alloc(1_000_000)))}`, keys).status).toBe('unreadable');
  });
});
