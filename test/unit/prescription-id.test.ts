import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkCharacter, isPrescriptionId, prescriptionIdFrom, PRESCRIPTION_ID_PATTERN } from '../../shared/domain/prescription-id';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const fresh = () => {
  for (;;) {
    const id = prescriptionIdFrom(randomBytes(32));
    if (id !== null) return id;
  }
};

describe('prescription id', () => {
  it('has the shape of the official example, and checks', () => {
    for (let i = 0; i < 1000; i++) {
      const id = fresh();
      expect(id).toMatch(PRESCRIPTION_ID_PATTERN);
      expect(isPrescriptionId(id)).toBe(true);
    }
  });

  it('follows ISO 7064 hybrid MOD 37,36: the GRid standard’s own example A1-2425G-ABC1234002-M', () => {
    expect(checkCharacter('A12425GABC1234002')).toBe('M');
  });

  it('catches every single wrong character, and at least 99.5 % of swaps of two different neighbours', () => {
    let swaps = 0;
    let missed = 0;
    for (let n = 0; n < 200; n++) {
      const id = fresh();
      for (let i = 0; i < id.length; i++) {
        for (const c of ALPHABET) {
          if (c === id[i]) continue;
          expect(isPrescriptionId(`${id.slice(0, i)}${c}${id.slice(i + 1)}`)).toBe(false);
        }
        if (i + 1 < id.length && id[i] !== id[i + 1]) {
          swaps++;
          if (isPrescriptionId(`${id.slice(0, i)}${id[i + 1]}${id[i]}${id.slice(i + 2)}`)) missed++;
        }
      }
    }
    expect(swaps).toBeGreaterThan(3000);
    expect(missed / swaps).toBeLessThan(0.005);
  });

  it('uses the bytes without bias and says when too few were usable', () => {
    expect(prescriptionIdFrom(new Uint8Array(17).fill(252))).toBeNull();
    expect(prescriptionIdFrom(new Uint8Array(40).fill(255))).toBeNull();
    const id = prescriptionIdFrom(Uint8Array.from([...new Array<number>(17).fill(0)]));
    expect(id).toBe(`${'0'.repeat(17)}${checkCharacter('0'.repeat(17))}`);
    // Every character of the alphabet appears, at close to equal rates, over many ids.
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const c of fresh().slice(0, 17)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(36);
    const expected = (2000 * 17) / 36;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.15);
  });

  it('refuses what is not 18 upper-case alphanumerics', () => {
    const id = fresh();
    expect(isPrescriptionId(id.toLowerCase())).toBe(false);
    expect(isPrescriptionId(id.slice(1))).toBe(false);
    expect(isPrescriptionId(`${id}0`)).toBe(false);
    expect(isPrescriptionId(`${id.slice(0, 17)}-`)).toBe(false);
  });
});
