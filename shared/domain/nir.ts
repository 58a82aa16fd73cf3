/**
 * The NIR (matricule INS, "numéro de sécurité sociale"), DOMAIN.md §3:
 *
 *   sex(1) YY(2) MM(2) department(2, or 2A/2B for Corsica) commune(3) order(3) key(2)
 *
 * key = 97 − (13-digit number mod 97), computing with 19 for 2A and 18 for 2B. Sex 1/2 for a
 * definitive number, 7/8 for a provisional one. A NIR that contradicts the record's sex or date
 * of birth is saved once the GP confirmed it (electron/patients/confirmations.ts), not refused:
 * month codes 20, 30–42 and 50+ are legitimate for births whose month was unknown, and a NIR
 * copied from a card may be right where the record is wrong.
 */
import type { CheckResult } from './identifiers';

export const NIR_LENGTH = 15;

/** Spaces, dots and dashes typed for readability go; "2a" becomes "2A". */
export function normalizeNir(raw: string): string {
  return raw.replace(/[\s.-]/g, '').toUpperCase();
}

/** The 13 characters before the key, as the number the key is computed on. */
function numberOf(body: string): number {
  const department = body.slice(5, 7);
  const digits = body.slice(0, 5) + (department === '2A' ? '19' : department === '2B' ? '18' : department) + body.slice(7, 13);
  // 13 digits stay below 2^53: exact as a double.
  return Number(digits);
}

/** "2 80 03 75 112 034 18": how a NIR is printed and read back over the phone. */
export function formatNir(nir: string): string {
  if (nir.length !== NIR_LENGTH) return nir;
  return [nir.slice(0, 1), nir.slice(1, 3), nir.slice(3, 5), nir.slice(5, 7), nir.slice(7, 10), nir.slice(10, 13), nir.slice(13)].join(' ');
}

/** The control key of the 13 first characters of a NIR (which must already have the right shape). */
export function nirKey(body: string): number {
  return 97 - (numberOf(body) % 97);
}

/** Whether the NIR starts with 7 or 8 (a provisional number awaiting the definitive one). */
export function isProvisionalNir(nir: string): boolean {
  return nir.startsWith('7') || nir.startsWith('8');
}

/** Checks a NIR as stored (see normalizeNir): characters, length, sex digit, key. */
export function checkNir(value: string): CheckResult {
  if (value.length === 0) return { valid: false, reason: 'Le NIR est vide.' };
  if (!/^[0-9AB]+$/.test(value) || /[AB]/.test(value.slice(0, 6) + value.slice(7))) {
    return {
      valid: false,
      reason: 'Le NIR ne doit contenir que des chiffres (seul le département de naissance peut être 2A ou 2B, pour la Corse).',
    };
  }
  if (value.length !== NIR_LENGTH) {
    return {
      valid: false,
      reason: `Le NIR doit comporter 15 caractères, clé comprise (${value.length} saisis).`,
    };
  }
  if (/[AB]/.test(value) && value[5] !== '2') {
    return { valid: false, reason: 'Le département de naissance du NIR doit être 2A ou 2B pour la Corse.' };
  }
  if (!'1278'.includes(value[0] ?? '')) {
    return {
      valid: false,
      reason: 'Le NIR doit commencer par 1 ou 2 (ou 7 ou 8 pour un numéro provisoire).',
    };
  }
  if (nirKey(value.slice(0, 13)) !== Number(value.slice(13))) {
    return { valid: false, reason: 'La clé du NIR ne correspond pas aux 13 premiers caractères : vérifiez la saisie.' };
  }
  return { valid: true };
}

export interface NirTraits {
  sex: 'F' | 'M' | 'I';
  /** ISO yyyy-mm-dd */
  birthDate: string;
}

const sexLabel = { M: 'masculin', F: 'féminin' } as const;

/** What a valid NIR says that the record contradicts (sex, year or month of birth), in French. */
export function nirContradictions(nir: string, traits: NirTraits): string[] {
  const warnings: string[] = [];
  const nirSex = nir[0] === '1' || nir[0] === '7' ? 'M' : 'F';
  if (traits.sex !== 'I' && traits.sex !== nirSex) {
    warnings.push(`Le NIR indique le sexe ${sexLabel[nirSex]} alors que la fiche indique ${sexLabel[traits.sex]} : vérifiez.`);
  }
  const nirYear = nir.slice(1, 3);
  const birthYear = traits.birthDate.slice(0, 4);
  if (nirYear !== birthYear.slice(2, 4)) {
    warnings.push(`Le NIR indique une naissance en « ${nirYear} » alors que la fiche indique ${birthYear} : vérifiez.`);
  }
  const nirMonth = Number(nir.slice(3, 5));
  const birthMonth = traits.birthDate.slice(5, 7);
  // Codes outside 01–12 mark a birth whose month was unknown: nothing to compare.
  if (nirMonth >= 1 && nirMonth <= 12 && nir.slice(3, 5) !== birthMonth) {
    warnings.push(`Le NIR indique le mois de naissance ${nir.slice(3, 5)} alors que la fiche indique ${birthMonth} : vérifiez.`);
  }
  return warnings;
}

/**
 * What the GP should look at about a valid NIR: its contradictions with the record, and a
 * provisional number, which must be replaced by the definitive one.
 */
export function nirWarnings(nir: string, traits: NirTraits): string[] {
  const warnings = nirContradictions(nir, traits);
  if (isProvisionalNir(nir)) {
    warnings.push('Ce NIR est un numéro provisoire (7 ou 8) : remplacez-le par le numéro définitif dès que possible.');
  }
  return warnings;
}
