/**
 * The canonical bytes of a signed prescription's content: cborg's encoding of the normalised JSON
 * is RFC 8949 §4.2.1 deterministic CBOR, byte for byte what cbor2 writes in its `cde` mode, on
 * every JSON value (keys of every length and script, integers past 2^32, negative numbers,
 * fractions, nesting) and on a signed prescription's real shape.
 */
import { encode } from 'cbor2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, contentDigest } from '../../electron/signing/content';

const jsonValue = fc.jsonValue({ maxDepth: 4 });

describe('the canonical form of a signed content', () => {
  it('is the CDE encoding cbor2 writes, on any JSON value', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const normalised = JSON.parse(JSON.stringify(value)) as unknown;
        expect(Buffer.from(canonicalBytes(value)).equals(Buffer.from(encode(normalised, { cde: true })))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('does not depend on the order keys were written in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string())), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(contentDigest(reversed).equals(contentDigest(record))).toBe(true);
      }),
    );
  });

  it('encodes the numbers a prescription holds in their shortest form', () => {
    expect(Buffer.from(canonicalBytes({ weight: 61.5, dose: 0.25, days: 7, rpps: 10003154589 })).toString('hex')).toBe(
      Buffer.from(encode({ weight: 61.5, dose: 0.25, days: 7, rpps: 10003154589 }, { cde: true })).toString('hex'),
    );
    // 61.5 fits a half-precision float: three bytes, not nine.
    expect(Buffer.from(canonicalBytes(61.5)).toString('hex')).toBe('f953b0');
  });
});
