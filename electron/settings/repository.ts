/**
 * The practice's `settings` table (migration 0005): one JSON value per key, validated by the key's
 * schema in shared/settings.ts when it is written and again when it is read. A stored value that
 * no longer passes (written by hand, or by an older rule) reads as absent: the default applies.
 */
import { settingSchemas, type SettingKey, type SettingValue } from '../../shared/settings';
import { fieldErrorsOf } from '../../shared/domain/validation';
import { OrdoError } from '../../shared/errors';
import { prepared, writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import { createLogger } from '../log';

const log = createLogger('settings');

export function readSetting<K extends SettingKey>(db: Db, key: K): SettingValue<K> | undefined {
  const row = prepared(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  if (row === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(row.value);
  } catch {
    raw = undefined;
  }
  const parsed = settingSchemas[key].safeParse(raw);
  if (!parsed.success || JSON.stringify(parsed.data) !== row.value) {
    log.warn('stored setting ignored: it does not pass its schema', { setting: key });
    return undefined;
  }
  return parsed.data as SettingValue<K>;
}

/** Validates then stores; an invalid value is refused with the schema's French message. */
export function writeSetting<K extends SettingKey>(db: Db, key: K, value: SettingValue<K>, now: Date): void {
  const parsed = settingSchemas[key].safeParse(value);
  if (!parsed.success) throw new OrdoError('INVALID_INPUT', undefined, fieldErrorsOf(parsed.error));
  writeTransaction(db, () => {
    prepared(
      db,
      `INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @updatedAt)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ).run({ key, value: JSON.stringify(parsed.data), updatedAt: now.toISOString() });
  });
}

/** Back to the default; true when a value was stored. */
export function removeSetting(db: Db, key: SettingKey): boolean {
  return writeTransaction(db, () => prepared(db, 'DELETE FROM settings WHERE key = ?').run(key).changes > 0);
}
