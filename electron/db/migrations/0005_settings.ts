import type { Migration } from '../types';

/**
 * Settings become one generic table: a key and a JSON value, validated by the zod schema of its
 * key in shared/settings.ts before it is written and when it is read. A new setting is a new
 * entry there, not a rebuild of this table. The BDPM address of 0003 moves over as a JSON string.
 */
export const m0005: Migration = {
  version: 5,
  name: '0005_settings',
  up: `
    CREATE TABLE settings_v2 (
      key         TEXT PRIMARY KEY CHECK (length(key) BETWEEN 3 AND 64 AND key GLOB '[a-z]*.[a-zA-Z]*' AND key NOT GLOB '*[^a-zA-Z0-9.]*'),
      value       TEXT NOT NULL CHECK (json_valid(value) AND length(value) <= 10000),
      updated_at  TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    INSERT INTO settings_v2 (key, value, updated_at) SELECT key, json_quote(value), updated_at FROM settings;
    DROP TABLE settings;
    ALTER TABLE settings_v2 RENAME TO settings;
  `,
};
