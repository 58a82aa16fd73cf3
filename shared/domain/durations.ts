/**
 * How many days a line covers, the same count for the legal checks and the screen. A month is 30
 * days and a week 7, whatever the calendar: a duration is written before the first delivery and
 * the limits it is checked against are written in days and weeks (« 28 jours », « 12 semaines »),
 * so the count must not change with the month the patient starts in.
 */
import { frenchNumber } from './numbers';
import type { Duration, DurationUnit, Line } from './prescription';

export const DAYS_PER_UNIT: Readonly<Record<DurationUnit, number>> = { days: 1, weeks: 7, months: 30 };

/** The longest treatment one prescription may cover, renewals included (CSP R.5132-21: 12 months). */
export const MAX_TOTAL_DAYS = 365;

export function durationDays(duration: Duration): number {
  return duration.value * DAYS_PER_UNIT[duration.unit];
}

/** The days one delivery of the line covers; null when the line gives packs and no duration. */
export function lineDays(line: Pick<Line, 'duration'>): number | null {
  return line.duration === null ? null : durationDays(line.duration);
}

/** The days the line covers with its renewals (each renewal repeats the written duration). */
export function totalDays(line: Pick<Line, 'duration' | 'renewals'>): number | null {
  const days = lineDays(line);
  return days === null ? null : days * (1 + line.renewals);
}

/** 1 → « 1 jour », 35 → « 35 jours », 28 → « 4 semaines (28 jours) »: limits read in weeks when they are weeks. */
export function daysText(days: number): string {
  const plain = `${frenchNumber(days)} ${days < 2 ? 'jour' : 'jours'}`;
  return days >= 14 && days % 7 === 0 ? `${frenchNumber(days / 7)} semaines (${plain})` : plain;
}
