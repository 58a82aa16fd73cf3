/**
 * The canonical form of a signed prescription: every legal field as signed (the prescriber, the
 * patient as the paper names them, the lines as rendered with their frozen referential copies,
 * the overrides with their reasons), stored as JSON, hashed as deterministic CBOR (RFC 8949
 * §4.2.1, cbor2's `cde`) so that the same content always gives the same SHA-256. The JSON is
 * normalised first (no `undefined`, plain numbers), so the stored JSON re-encodes to the same
 * bytes: anyone holding it can recompute the digest the QR code carries.
 */
import { createHash } from 'node:crypto';
import { encode } from 'cbor2';

export const CONTENT_FORMAT = 'ordo-rx/1';

/** The JSON value as stored: what JSON keeps of `content`. */
export function normalized<T>(content: T): T {
  return JSON.parse(JSON.stringify(content)) as T;
}

export function canonicalBytes(content: unknown): Uint8Array {
  return encode(normalized(content), { cde: true });
}

export function contentDigest(content: unknown): Buffer {
  return createHash('sha256').update(canonicalBytes(content)).digest();
}
