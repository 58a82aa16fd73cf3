import { rebuildSearchIndex } from '../../patients/api';
import type { Migration } from '../types';

/**
 * Patient search keeps the letters of every script (shared/domain/patient-search-text.ts): a
 * patient named « Иванов Иван » or « 王 秀英 » was indexed under no word at all, so never found,
 * and every such patient born the same day had the same identity key (« || »), so each new one
 * was « the same person » as the first. The words' CHECK allowed [a-z0-9] only: it now refuses
 * what a folded word never holds (ASCII other than a-z and 0-9, control characters), and the
 * index, identity and sort keys of the patients already in the register are rebuilt from their
 * stored names.
 */
const SCHEMA = `
  DROP TABLE patient_search;
  CREATE TABLE patient_search (
    token       TEXT NOT NULL CHECK (
      length(token) > 0
      AND token NOT GLOB '*[ -/:-\`{-~]*'
      AND token NOT GLOB ('*[' || char(1) || '-' || char(31) || char(127) || ']*')
    ),
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

export const m0008: Migration = {
  version: 8,
  name: '0008_patient_search_scripts',
  up: SCHEMA,
  derive: rebuildSearchIndex,
};
