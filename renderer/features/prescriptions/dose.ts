/**
 * A dose per intake as a GP types it and reads it: « 1/2 », « ½ », « 0,5 », « 1 ½ », « 1 1/2 »
 * all mean 0.5 or 1.5; shown back with the fraction signs of a paper prescription (½ ¼ ¾ ⅓ ⅔).
 */
const signs: Record<string, number> = { '½': 0.5, '¼': 0.25, '¾': 0.75, '⅓': 1 / 3, '⅔': 2 / 3 };

/** The contract keeps three decimals (⅓ = 0,333). */
const threeDecimals = (v: number) => Math.round(v * 1000) / 1000;

/** The dose typed, or null when it cannot be read as a positive number. */
export function parseDose(text: string): number | null {
  const s = text.trim().replace(/\s+/g, ' ').replace(/(\d) ?([½¼¾⅓⅔])/u, '$1 $2');
  if (s === '') return null;
  // « ½ », « 1 ½ »
  let m = /^(?:(\d+) )?([½¼¾⅓⅔])$/u.exec(s);
  if (m !== null) return threeDecimals(Number(m[1] ?? 0) + signs[m[2]!]!);
  // « 1/2 », « 1 1/2 »
  m = /^(?:(\d+) )?(\d+) ?\/ ?(\d+)$/.exec(s);
  if (m !== null) {
    const denominator = Number(m[3]);
    if (denominator === 0) return null;
    const value = Number(m[1] ?? 0) + Number(m[2]) / denominator;
    return value > 0 ? threeDecimals(value) : null;
  }
  // « 0,5 », « 2 », « 2.5 »
  m = /^(\d+)(?:[.,](\d+))?$/.exec(s);
  if (m !== null) {
    const value = Number(`${m[1]}.${m[2] ?? '0'}`);
    return value > 0 ? value : null;
  }
  return null;
}

/** 0.5 → « ½ », 1.5 → « 1 ½ », 0.333 → « ⅓ », 2 → « 2 », 0.2 → « 0,2 ». */
export function formatDose(value: number): string {
  const whole = Math.floor(value);
  const part = threeDecimals(value - whole);
  for (const [sign, v] of Object.entries(signs)) {
    if (part !== 0 && Math.abs(part - threeDecimals(v)) < 1e-9) return whole === 0 ? sign : `${whole} ${sign}`;
  }
  return plain(value);
}

/** No thousands separator: what is shown in the field must read back the same (« 1000 » mg). */
const plain = (v: number) => String(threeDecimals(v)).replace('.', ',');
