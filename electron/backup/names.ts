/**
 * Names of the backup files and the retention rule, as pure functions of dates (tested with an
 * injected clock). Days are the GP's local days.
 *
 *   ordo-2026-12-02.db                   the daily backup of that day
 *   ordo-2026-12-02-143012-manuelle.db   a backup made on request (never deleted by Ordo; -2, -3… within one second)
 *   avant-restauration-20261202-143012.db  the database in use just before a restore (never deleted)
 *
 * Retention of the daily backups: the 7 newest are kept (`daily`); of the older ones, the newest of
 * each ISO week that has no backup among those 7 is kept for the 4 most recent such weeks
 * (`weekly`); every other daily backup is deleted. The rule counts backups, not calendar days: a
 * practice closed for a month finds its last backups still there.
 */
import type { BackupKind } from '../../shared/calls/backup';

export const DAILY_KEPT = 7;
export const WEEKLY_KEPT = 4;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local day of a date, YYYY-MM-DD. */
export function localDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const localTime = (date: Date) => `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;

export const dailyName = (date: Date) => `ordo-${localDay(date)}.db`;
export const manualName = (date: Date, n = 0) => `ordo-${localDay(date)}-${localTime(date)}${n === 0 ? '' : `-${n}`}-manuelle.db`;
export const beforeRestoreName = (date: Date, n = 0) =>
  `avant-restauration-${localDay(date).replaceAll('-', '')}-${localTime(date)}${n === 0 ? '' : `-${n}`}.db`;

export interface ParsedName {
  name: string;
  kind: 'daily' | 'manual' | 'before-restore';
  day: string;
}

const DAILY = /^ordo-(\d{4}-\d{2}-\d{2})\.db$/;
const MANUAL = /^ordo-(\d{4}-\d{2}-\d{2})-\d{6}(?:-\d+)?-manuelle\.db$/;
const BEFORE = /^avant-restauration-(\d{4})(\d{2})(\d{2})-\d{6}(?:-\d+)?\.db$/;

/** What a file of the backups folder is, from its name; null for anything Ordo did not name. */
export function parseBackupName(name: string): ParsedName | null {
  const daily = DAILY.exec(name);
  if (daily !== null) return { name, kind: 'daily', day: daily[1]! };
  const manual = MANUAL.exec(name);
  if (manual !== null) return { name, kind: 'manual', day: manual[1]! };
  const before = BEFORE.exec(name);
  if (before !== null) return { name, kind: 'before-restore', day: `${before[1]}-${before[2]}-${before[3]}` };
  return null;
}

/** The ISO week of a day, as "YYYY-Www" (the year of its Thursday). */
export function isoWeek(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  date.setUTCDate(date.getUTCDate() - weekday + 3); // the Thursday of this week
  const year = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((date.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return `${year}-W${pad(week)}`;
}

export interface Retention {
  /** Day → how it is kept. */
  kept: Map<string, Extract<BackupKind, 'daily' | 'weekly'>>;
  /** Days whose daily backup is deleted. */
  dropped: string[];
}

/** The retention rule (see the top of this file) over the days that have a daily backup. */
export function retention(days: readonly string[]): Retention {
  const newestFirst = [...new Set(days)].sort().reverse();
  const kept = new Map<string, 'daily' | 'weekly'>();
  const daily = newestFirst.slice(0, DAILY_KEPT);
  for (const day of daily) kept.set(day, 'daily');
  const coveredWeeks = new Set(daily.map(isoWeek));
  const weeks = new Set<string>();
  for (const day of newestFirst.slice(DAILY_KEPT)) {
    const week = isoWeek(day);
    if (coveredWeeks.has(week) || weeks.has(week) || weeks.size >= WEEKLY_KEPT) continue;
    weeks.add(week);
    kept.set(day, 'weekly');
  }
  return { kept, dropped: newestFirst.filter((day) => !kept.has(day)) };
}
