/**
 * What Ordo's QR code carries (DOMAIN §6, as the EU Digital COVID Certificate does it):
 *
 *   ORDO1: + Base45( zlib( COSE_Sign1 ES256 ( CBOR claims ) ) )
 *
 * Claims, a CBOR map with integer keys in deterministic order (RFC 8949 §4.2): 1 the prescription
 * id, 2 issued-at (seconds since 1970), 3 the prescriber's RPPS, 4 the key id, 5 the SHA-256 of the
 * canonical content, 6 the first 16 bytes of the audit chain's head when it was signed. Nothing
 * names the patient. The COSE protected header names the algorithm (ES256, -7) and the key id
 * (`kid`), so a verifier picks the public key before it trusts anything. Libraries: cbor2
 * (CBOR), base45 (RFC 9285), node:zlib and node:crypto (ECDSA P-256, raw r‖s as COSE wants).
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { decode as decodeBase45, encode as encodeBase45 } from 'base45';
import { decode as decodeCbor, encode as encodeCbor, Tag } from 'cbor2';

export const QR_PREFIX = 'ORDO1:';
const COSE_SIGN1 = 18;
const ES256 = -7;
const HEADER_ALG = 1;
const HEADER_KID = 4;
const AUDIT_HEAD_BYTES = 16;
/** A payload inflating to more than this is not Ordo's (a zip bomb in a QR). */
const MAX_INFLATED = 4096;

export interface SealClaims {
  id: string;
  /** Whole seconds: what the QR keeps. */
  issuedAt: Date;
  prescriberRpps: string;
  /** 16 hex digits (signing-key.ts `signingKeyIdOf`). */
  keyId: string;
  /** SHA-256 of the canonical content, 32 bytes. */
  contentDigest: Uint8Array;
  /** The audit chain's head (its last row's hash) when it was signed; the first 16 bytes are kept. */
  auditHead: Uint8Array;
}

const cde = { cde: true } as const;
const bytes = (b: Uint8Array) => Uint8Array.from(b);

function protectedHeader(keyId: string): Uint8Array {
  return encodeCbor(new Map<number, unknown>([[HEADER_ALG, ES256], [HEADER_KID, bytes(Buffer.from(keyId, 'hex'))]]), cde);
}

/** The bytes ES256 signs: Sig_structure = ["Signature1", protected, external_aad, payload] (RFC 9052 §4.4). */
function toBeSigned(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  if (Buffer.isBuffer(protectedBytes) || Buffer.isBuffer(payload)) throw new Error('cbor2 encodes a Buffer as a map: pass plain Uint8Arrays');
  return encodeCbor(['Signature1', protectedBytes, new Uint8Array(0), payload], cde);
}

/** The QR text for these claims, signed with the prescriber's key (which must be `claims.keyId`). */
export function sealPayload(claims: SealClaims, privateKey: KeyObject): string {
  if (claims.contentDigest.length !== 32) throw new Error('the content digest is a SHA-256');
  const payload = encodeCbor(
    new Map<number, unknown>([
      [1, claims.id],
      [2, Math.floor(claims.issuedAt.getTime() / 1000)],
      [3, claims.prescriberRpps],
      [4, bytes(Buffer.from(claims.keyId, 'hex'))],
      [5, bytes(claims.contentDigest)],
      [6, bytes(claims.auditHead.subarray(0, AUDIT_HEAD_BYTES))],
    ]),
    cde,
  );
  const protectedBytes = protectedHeader(claims.keyId);
  const signature = sign('sha256', toBeSigned(protectedBytes, payload), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const cose = encodeCbor(new Tag(COSE_SIGN1, [protectedBytes, new Map(), payload, bytes(signature)]), cde);
  return `${QR_PREFIX}${encodeBase45(deflateSync(cose, { level: 9 }))}`;
}

export interface SealedFacts {
  id: string;
  issuedAt: string;
  prescriber: string;
  keyId: string;
  contentDigest: string;
  auditHead: string;
}

export type SealCheck =
  | ({ status: 'valid'; reason: null } & SealedFacts)
  /** Read, but not to be trusted: `reason` in French; the facts as the payload states them. */
  | ({ status: 'invalid'; reason: string } & SealedFacts)
  /** Not an Ordo code at all, or damaged beyond reading. */
  | { status: 'unreadable'; reason: string };

const unreadable = (reason: string): SealCheck => ({ status: 'unreadable', reason });

function isBytes(value: unknown, length?: number): value is Uint8Array {
  return value instanceof Uint8Array && (length === undefined || value.length === length);
}

/** Reads and checks a QR text against the public keys Ordo knows (by key id). Never throws. */
export function verifyPayload(text: string, keys: ReadonlyMap<string, KeyObject>): SealCheck {
  const trimmed = text.trim();
  if (!trimmed.startsWith(QR_PREFIX)) return unreadable('ce code n’est pas une ordonnance signée par Ordo (il ne commence pas par « ORDO1: »)');
  const body = trimmed.slice(QR_PREFIX.length);
  if (!/^[0-9A-Z $%*+\-./:]+$/.test(body) || body.length % 3 === 1) return unreadable('le code est incomplet ou endommagé (Base45)');
  let cose: unknown;
  try {
    const compressed = decodeBase45(body);
    // A text the library decodes but that is not the canonical Base45 of its bytes (values out of range).
    if (encodeBase45(compressed) !== body) return unreadable('le code est incomplet ou endommagé (Base45)');
    cose = decodeCbor(inflateSync(compressed, { maxOutputLength: MAX_INFLATED }), { preferMap: true });
  } catch {
    return unreadable('le code est incomplet ou endommagé');
  }
  if (!(cose instanceof Tag) || Number(cose.tag) !== COSE_SIGN1 || !Array.isArray(cose.contents) || cose.contents.length !== 4) return unreadable('le code n’est pas une signature COSE');
  const [protectedBytes, , payload, signature] = cose.contents as unknown[];
  if (!isBytes(protectedBytes) || !isBytes(payload) || !isBytes(signature)) return unreadable('le code n’est pas une signature COSE');
  let header: unknown;
  let claims: unknown;
  try {
    header = decodeCbor(protectedBytes, { preferMap: true });
    claims = decodeCbor(payload, { preferMap: true });
  } catch {
    return unreadable('le contenu du code est endommagé');
  }
  if (!(header instanceof Map) || !(claims instanceof Map)) return unreadable('le contenu du code n’a pas la forme attendue');
  const fields = claims as Map<unknown, unknown>;
  const headers = header as Map<unknown, unknown>;
  const [id, issued, rpps, keyId, digest, audit] = [1, 2, 3, 4, 5, 6].map((k) => fields.get(k));
  if (typeof id !== 'string' || typeof issued !== 'number' || !Number.isSafeInteger(issued) || typeof rpps !== 'string' || !isBytes(keyId, 8) || !isBytes(digest, 32) || !isBytes(audit, AUDIT_HEAD_BYTES)) {
    return unreadable('le contenu du code n’a pas la forme attendue');
  }
  const facts: SealedFacts = {
    id,
    issuedAt: new Date(issued * 1000).toISOString(),
    prescriber: rpps,
    keyId: Buffer.from(keyId).toString('hex'),
    contentDigest: Buffer.from(digest).toString('hex'),
    auditHead: Buffer.from(audit).toString('hex'),
  };
  const kid = headers.get(HEADER_KID);
  if (headers.get(HEADER_ALG) !== ES256) return { status: 'invalid', reason: 'l’algorithme de signature n’est pas ES256', ...facts };
  if (!isBytes(kid, 8) || Buffer.from(kid).toString('hex') !== facts.keyId) return { status: 'invalid', reason: 'la clé nommée par la signature n’est pas celle du contenu', ...facts };
  const key = keys.get(facts.keyId);
  if (key === undefined) return { status: 'invalid', reason: `la clé ${facts.keyId} de ce prescripteur est inconnue ici (importez sa clé publique)`, ...facts };
  // Decoded byte strings are Buffers here, which cbor2 would encode as maps: plain bytes again.
  const ok = signature.length === 64 && verify('sha256', toBeSigned(bytes(protectedBytes), bytes(payload)), { key, dsaEncoding: 'ieee-p1363' }, signature);
  if (!ok) return { status: 'invalid', reason: 'la signature ne correspond pas au contenu : ordonnance modifiée ou fausse', ...facts };
  return { status: 'valid', reason: null, ...facts };
}
