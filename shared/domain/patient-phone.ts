/**
 * Phone numbers as a GP types them from a patient's card or a letter: national (« 06 12 34 56 78 »,
 * overseas departments included: « 0262 … », « 0692 … », « 0590 … »), or international with
 * « + » or « 00 » (« +262 692 12 34 56 », « 0033 6 12 34 56 78 », « +33 (0)6 12 34 56 78 »).
 * Stored as typed (trimmed); only its shape is checked.
 */

/** Spaces, dots, dashes, slashes and brackets typed for readability go. */
export function phoneDigits(value: string): string {
  return value.trim().replace(/[\s.\-/()]/g, '');
}

/**
 * Country codes whose numbers have nine digits after the code: metropolitan France and the
 * overseas departments (Réunion and Mayotte 262, Guadeloupe 590, Guyane 594, Martinique 596).
 * Other codes (the collectivities' shorter numbers included) are checked for length only.
 */
const NINE_DIGIT_CODES = ['33', '262', '590', '594', '596'];

/** Whether a typed phone number has the shape of a French (or any international) number. */
export function isValidPhone(value: string): boolean {
  const typed = value.trim();
  // « +33 (0)6 … »: the trunk 0 written in brackets after the country code.
  const compact = phoneDigits(typed.replace(/^(\+|00)\s*(\d{2,3})\s*\(0\)/, '$1$2'));
  if (/^0[1-9]\d{8}$/.test(compact)) return true;
  const international = /^(?:\+|00)([1-9]\d{6,14})$/.exec(compact);
  if (international === null) return false;
  const digits = international[1]!;
  const code = NINE_DIGIT_CODES.find((c) => digits.startsWith(c));
  // 9 digits after the country code, without the trunk 0.
  if (code !== undefined) return /^[1-9]\d{8}$/.test(digits.slice(code.length));
  return true;
}
