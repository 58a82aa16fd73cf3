import type { Migration } from '../types';

/**
 * Practice-wide settings a GP (or the practice's IT) changes in Réglages, one row per key; a
 * missing row means the default. The keys are a closed list: a new setting adds its key with a
 * migration that rebuilds this table.
 */
export const m0003: Migration = {
  version: 3,
  name: '0003_settings',
  up: `
    CREATE TABLE settings (
      key         TEXT PRIMARY KEY CHECK (key IN ('drugs.bdpmBaseUrl')),
      value       TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 500),
      updated_at  TEXT NOT NULL,
      -- Where the BDPM files are downloaded from: https, or plain http on this machine (tests);
      -- ends with "/" since each file name is appended to it.
      CHECK (key <> 'drugs.bdpmBaseUrl' OR (
        value GLOB '*/' AND value NOT GLOB '*[?#@ ]*' AND (
          value GLOB 'https://?*/'
          OR value GLOB 'http://127.0.0.1/*' OR value GLOB 'http://127.0.0.1:[0-9]*/'
          OR value GLOB 'http://localhost/*' OR value GLOB 'http://localhost:[0-9]*/')))
    ) STRICT, WITHOUT ROWID;
  `,
};
