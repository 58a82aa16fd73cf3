/**
 * The canonical form of a signed prescription: every legal field as signed (the prescriber, the
 * patient as the paper names them, the lines as rendered with their frozen referential copies,
 * the overrides with their reasons), stored as JSON, hashed as deterministic CBOR (RFC 8949
 * §4.2.1) so that the same content always gives the same SHA-256. The JSON is normalised first
 * (no `undefined`, plain numbers), so the stored JSON re-encodes to the same bytes: anyone holding
 * it can recompute the digest the QR code carries.
 *
 * Encoded with cborg, whose defaults are that encoding for JSON values (map keys sorted length
 * first then bytewise, shortest integers and floats): the same bytes as cbor2's `cde` mode (a
 * property test holds them equal), 40 times faster on a prescription (0.13 ms instead of 5.4).
 */
import { createHash } from 'node:crypto';
import { encode } from 'cborg';
import type { PrescriberProfile } from '../../shared/domain/profile';
import type { FrozenDrug, Line } from '../../shared/domain/prescription';

export const CONTENT_FORMAT = 'ordo-rx/1';

/** What is signed, as stored (the JSON of `prescription_signatures.content`): everything the paper prints. */
export interface SignedContent {
  format: typeof CONTENT_FORMAT;
  id: string;
  issuedAt: string;
  prescriber: PrescriberProfile;
  patient: {
    birthName: string;
    usedName: string;
    firstNames: string;
    sex: 'F' | 'M' | 'I';
    birthDate: string;
    weight: { value: number; measuredOn: string } | null;
    /** The patient refuses that the prescriber sees what was dispensed (printed on the copy). */
    dispensingObjection: boolean;
    /** The patient refuses the DMP feeding (printed; absent from prescriptions signed before it was kept). */
    dmpObjection?: boolean;
  };
  lines: { line: Line; drug: FrozenDrug | null; rendered: string }[];
  overrides: { checkId: string; reason: string }[];
  renewalOf: number | null;
}

/** The JSON value as stored: what JSON keeps of `content`. */
export function normalized<T>(content: T): T {
  return JSON.parse(JSON.stringify(content)) as T;
}

export function canonicalBytes(content: unknown): Uint8Array {
  return encode(normalized(content));
}

export function contentDigest(content: unknown): Buffer {
  return createHash('sha256').update(canonicalBytes(content)).digest();
}
