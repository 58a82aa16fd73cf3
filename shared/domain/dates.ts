/**
 * Calendar dates as a GP types them (jj/mm/aaaa) and as Ordo stores them (ISO yyyy-mm-dd).
 * Pure string arithmetic: no time zone can shift a date of birth by a day.
 */

/** "15/07/1985", "15.07.1985", "15-07-1985", "15 07 1985" (one separator between each part). */
const FRENCH = /^(\d{1,2})(?:[/.-]|\s+)(\d{1,2})(?:[/.-]|\s+)(\d{4})$/;
/** "15071985": the eight digits typed without separators. */
const COMPACT = /^(\d{2})(\d{2})(\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function isoOf(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * "12/03/1980", "12.03.1980", "12 03 1980", "12031980", "1980-03-12" → "1980-03-12"; anything
 * else (or 31/02) → null.
 */
export function parseDate(value: string): string | null {
  const text = value.trim();
  const french = FRENCH.exec(text) ?? COMPACT.exec(text);
  if (french) return isoOf(Number(french[3]), Number(french[2]), Number(french[1]));
  const iso = ISO.exec(text);
  if (iso) return isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  return null;
}

/** "1980-03-12" → "12/03/1980" (what every screen and paper shows). */
export function formatDate(iso: string): string {
  const match = ISO.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}

/** Today's date (ISO) in the local calendar of the given instant. */
export function isoDay(now: Date): string {
  return isoOf(now.getFullYear(), now.getMonth() + 1, now.getDate()) ?? '';
}

/** Whole years between a birth date and a day, both ISO. */
export function ageOn(birthDate: string, day: string): number {
  const [by = 0, bm = 0, bd = 0] = birthDate.split('-').map(Number);
  const [y = 0, m = 0, d = 0] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
