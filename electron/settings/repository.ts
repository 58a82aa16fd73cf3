/** The practice's `settings` table (migration 0003): one text value per known key, absent = default. */
import type { Db } from '../db/open';

/** Must match the CHECK of the `settings` table. */
export type SettingKey = 'drugs.bdpmBaseUrl';

export function readSetting(db: Db, key: SettingKey): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function writeSetting(db: Db, key: SettingKey, value: string, now: Date): void {
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @updatedAt)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run({ key, value, updatedAt: now.toISOString() });
}

/** Back to the default; true when a value was stored. */
export function removeSetting(db: Db, key: SettingKey): boolean {
  return db.prepare('DELETE FROM settings WHERE key = ?').run(key).changes > 0;
}
