/**
 * The prescription's unique identifier: 18 upper-case alphanumerics like the official example
 * (`01S2TBPZ2JCNZZYGHZ`, DOMAIN §1), whose real generation rule is in a SESAM-Vitale specification
 * that is not public. Ordo's own rule, behind this one module so the official one can replace it:
 * 17 random characters of 0-9A-Z (about 88 bits; the caller draws them from a CSPRNG and the
 * database refuses a duplicate) and one check character, ISO/IEC 7064 hybrid MOD 37,36, which
 * catches every single wrong character and all but about 0.2 % of swaps of two neighbours (a
 * pharmacist typing the code); the pure MOD 37-2 catches them all but needs a 37th sign (« * »),
 * which the official shape does not have.
 */
export const PRESCRIPTION_ID_LENGTH = 18;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const M = ALPHABET.length;
const BODY = PRESCRIPTION_ID_LENGTH - 1;

export const PRESCRIPTION_ID_PATTERN = /^[0-9A-Z]{18}$/;

/** The product at the end of ISO 7064 hybrid MOD 37,36 over `text` (alphanumerics only). */
function residue(text: string): number {
  let p = M;
  for (const c of text) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) return -1;
    const s = (p + v) % M || M;
    p = (s * 2) % (M + 1);
  }
  return p;
}

/** The check character of a body of upper-case alphanumerics. */
export function checkCharacter(body: string): string {
  const p = residue(body);
  if (p < 0) throw new Error('a prescription id body is upper-case alphanumerics');
  return ALPHABET[(M + 1 - p) % M]!;
}

/** Whether `id` is 18 upper-case alphanumerics whose last one checks the 17 before it. */
export function isPrescriptionId(id: string): boolean {
  return PRESCRIPTION_ID_PATTERN.test(id) && checkCharacter(id.slice(0, BODY)) === id[BODY];
}

/**
 * A new identifier from `random` bytes (at least 17; crypto.randomBytes or getRandomValues):
 * each byte below 252 (7 × 36) gives one character without bias; the others are skipped, and
 * null is returned when too few bytes were usable (ask again with more).
 */
export function prescriptionIdFrom(random: Uint8Array): string | null {
  let body = '';
  for (const byte of random) {
    if (body.length === BODY) break;
    if (byte < 252) body += ALPHABET[byte % M]!;
  }
  return body.length === BODY ? `${body}${checkCharacter(body)}` : null;
}
