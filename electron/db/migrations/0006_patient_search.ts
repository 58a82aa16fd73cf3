import { rebuildSearchIndex } from '../../patients/api';
import type { Migration } from '../types';

/**
 * Patient search ranks the kinds of word (shown name, birth name behind a used name, word of a
 * compound name, first name: electron/patients/search-keys.ts) before the words themselves, so its
 * key starts with the rank; and names are folded with the transliteration of
 * shared/domain/patient-search-text.ts (Ł, ß, Ø… were dropped). The index of the patients already
 * in the register is rebuilt from their stored names, with their identity and sort keys (once, after
 * the last pending migration: `derive`).
 */
const SCHEMA = `
  DROP TABLE patient_search;
  CREATE TABLE patient_search (
    token       TEXT NOT NULL CHECK (length(token) > 0 AND token NOT GLOB '*[^a-z0-9]*'),
    rank        INTEGER NOT NULL CHECK (rank IN (0, 1, 2, 3)),
    sort_key    TEXT NOT NULL,
    patient_id  INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    PRIMARY KEY (rank, token, sort_key, patient_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX patient_search_by_patient ON patient_search (patient_id);
  CREATE TRIGGER patient_search_counted AFTER INSERT ON patient_search BEGIN
    INSERT INTO patient_search_counts (token, n) VALUES (NEW.token, 1)
      ON CONFLICT (token) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER patient_search_uncounted AFTER DELETE ON patient_search BEGIN
    UPDATE patient_search_counts SET n = n - 1 WHERE token = OLD.token;
  END;
`;

export const m0006: Migration = {
  version: 6,
  name: '0006_patient_search',
  up: SCHEMA,
  derive: rebuildSearchIndex,
};
