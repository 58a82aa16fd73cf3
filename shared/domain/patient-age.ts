import { frenchNumber } from './numbers';
/**
 * A patient's age as a GP reads it: in years from 2 years, in months under 2 years, in weeks
 * under 2 months, in days in the first week (« 3 mois », never « 0 an »). Doses for children are
 * decided on this, so every screen and paper shows the same words from this one function.
 */

export type AgeUnit = 'days' | 'weeks' | 'months' | 'years';
export interface Age {
  count: number;
  unit: AgeUnit;
}

const parts = (iso: string) => {
  const [y = 0, m = 0, d = 0] = iso.split('-').map(Number);
  return { y, m, d };
};

/** Whole calendar months from a birth date to a day (both ISO); a birth on the 31st turns a month on the last day of a shorter one. */
function monthsBetween(birthDate: string, day: string): number {
  const b = parts(birthDate);
  const t = parts(day);
  let months = (t.y - b.y) * 12 + (t.m - b.m);
  const lastOfMonth = new Date(Date.UTC(t.y, t.m, 0)).getUTCDate();
  if (t.d < Math.min(b.d, lastOfMonth)) months -= 1;
  return months;
}

function daysBetween(birthDate: string, day: string): number {
  const b = parts(birthDate);
  const t = parts(day);
  return Math.round((Date.UTC(t.y, t.m - 1, t.d) - Date.UTC(b.y, b.m - 1, b.d)) / 86_400_000);
}

/** The age on `day` in the unit a GP expects; null for a birth after that day. */
export function ageOf(birthDate: string, day: string): Age | null {
  const days = daysBetween(birthDate, day);
  if (days < 0) return null;
  const months = monthsBetween(birthDate, day);
  if (months >= 24) return { count: Math.floor(months / 12), unit: 'years' };
  if (months >= 2) return { count: months, unit: 'months' };
  if (days >= 7) return { count: Math.floor(days / 7), unit: 'weeks' };
  return { count: days, unit: 'days' };
}

const words: Record<AgeUnit, [string, string]> = {
  days: ['jour', 'jours'],
  weeks: ['semaine', 'semaines'],
  months: ['mois', 'mois'],
  years: ['an', 'ans'],
};

/** « 45 ans », « 23 mois », « 3 semaines », « 2 jours », « 0 jour » (French singular for 0 and 1). */
export function formatAge(age: Age): string {
  const [one, many] = words[age.unit];
  return `${frenchNumber(age.count)} ${age.count < 2 ? one : many}`;
}

/** The age text of a birth date on a day (ISO), or « — » for a birth date after it. */
export function ageText(birthDate: string, day: string): string {
  const age = ageOf(birthDate, day);
  return age === null ? '—' : formatAge(age);
}
