/**
 * Checks of the French health identifiers (DOMAIN.md §3). Pure functions: used by the forms in
 * the renderer, by the contract's schemas and by `ordo check`.
 */

export interface CheckResult {
  valid: boolean;
  /** French reason, present when invalid. */
  reason?: string;
}

const ok: CheckResult = { valid: true };
const fail = (reason: string): CheckResult => ({ valid: false, reason });

/** "100 031 545 89", "100.031.545.89" → "10003154589": digits as people type them. */
export const withoutSeparators = (value: string): string => value.replace(/[\s.-]/g, '');

/** Luhn checksum over a string of digits (the last digit is the check digit). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function checkDigitsWithLuhn(value: string, length: number, label: string): CheckResult {
  if (value.length === 0) return fail(`Le ${label} est obligatoire.`);
  if (!/^\d+$/.test(value)) return fail(`Le ${label} ne doit contenir que des chiffres.`);
  if (value.length !== length) {
    return fail(`Le ${label} doit comporter ${length} chiffres (${value.length} saisis).`);
  }
  if (!luhnValid(value)) return fail(`Le ${label} est incorrect : la clé de contrôle ne correspond pas.`);
  return ok;
}

/** RPPS: 11 digits, Luhn. */
export function checkRpps(value: string): CheckResult {
  return checkDigitsWithLuhn(value, 11, 'numéro RPPS');
}

/** Assurance Maladie prescriber number: 9 digits, Luhn. */
export function checkAmNumber(value: string): CheckResult {
  return checkDigitsWithLuhn(value, 9, "numéro Assurance Maladie");
}

/** CIP13 pack code: 13 digits, prefix 3400, EAN-13 check digit. */
export function checkCip13(value: string): CheckResult {
  if (!/^\d+$/.test(value)) return fail('Le code CIP13 ne doit contenir que des chiffres.');
  if (value.length !== 13) return fail(`Le code CIP13 doit comporter 13 chiffres (${value.length} saisis).`);
  if (!value.startsWith('3400')) return fail('Le code CIP13 doit commencer par 3400.');
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (value.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  const key = (10 - (sum % 10)) % 10;
  if (key !== value.charCodeAt(12) - 48) {
    return fail('Le code CIP13 est incorrect : la clé EAN-13 ne correspond pas.');
  }
  return ok;
}
