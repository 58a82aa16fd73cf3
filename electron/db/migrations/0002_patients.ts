import type { Migration } from '../types';

/** A valid ISO calendar date: date() must give it back unchanged (it normalises 2023-02-30 and gives NULL for month 13). */
const isoDate = (column: string) => `(${column} GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND date(${column}) IS ${column})`;
const optionalDate = (column: string) => `(${column} IS NULL OR ${isoDate(column)})`;
/** A measured value and its date are stored together or not at all. */
const measured = (value: string, date: string, max: number) =>
  `CHECK ((${value} IS NULL AND ${date} IS NULL) OR (${value} IS NOT NULL AND ${value} > 0 AND ${value} <= ${max} AND ${date} IS NOT NULL AND ${isoDate(date)}))`;

export const m0002: Migration = {
  version: 2,
  name: '0002_patients',
  up: `
    CREATE TABLE patients (
      id                  INTEGER PRIMARY KEY,
      birth_name          TEXT NOT NULL CHECK (length(trim(birth_name)) > 0 AND length(birth_name) <= 100),
      used_name           TEXT NOT NULL DEFAULT '' CHECK (length(used_name) <= 100),
      first_names         TEXT NOT NULL CHECK (length(trim(first_names)) > 0 AND length(first_names) <= 200),
      sex                 TEXT NOT NULL CHECK (sex IN ('F', 'M', 'I')),
      birth_date          TEXT NOT NULL CHECK ${isoDate('birth_date')},
      birth_place_code    TEXT NOT NULL DEFAULT '' CHECK (birth_place_code = '' OR (length(birth_place_code) = 5 AND birth_place_code GLOB '[0-9][0-9AB][0-9][0-9][0-9]')),
      -- NULL when unknown; the key itself is checked by the service (shared/domain/nir.ts).
      nir                 TEXT UNIQUE CHECK (nir IS NULL OR (length(nir) = 15 AND nir GLOB '[1278][0-9][0-9][0-9][0-9][0-9][0-9AB][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')),
      identity_status     TEXT NOT NULL CHECK (identity_status IN ('provisional', 'verified')),
      identity_document   TEXT CHECK (identity_document IN ('identity_card', 'passport', 'residence_permit', 'family_record_book', 'birth_certificate')),
      address             TEXT NOT NULL DEFAULT '',
      postal_code         TEXT NOT NULL DEFAULT '' CHECK (postal_code = '' OR (length(postal_code) = 5 AND postal_code NOT GLOB '*[^0-9]*')),
      city                TEXT NOT NULL DEFAULT '',
      phone               TEXT NOT NULL DEFAULT '',
      email               TEXT NOT NULL DEFAULT '' CHECK (email = '' OR email LIKE '%_@_%'),
      weight_kg           REAL,
      weight_measured_on  TEXT,
      height_cm           REAL,
      height_measured_on  TEXT,
      creatinine_clearance             REAL,
      creatinine_clearance_measured_on TEXT,
      pregnancy_started_on             TEXT CHECK ${optionalDate('pregnancy_started_on')},
      breastfeeding_since              TEXT CHECK ${optionalDate('breastfeeding_since')},
      dmp_objection_on                 TEXT CHECK ${optionalDate('dmp_objection_on')},
      dispensing_objection_on          TEXT CHECK ${optionalDate('dispensing_objection_on')},
      -- Normalised "birth name|first names|birth date": the same person typed twice.
      identity_key        TEXT NOT NULL,
      -- Normalised display name: the order of search results.
      sort_key            TEXT NOT NULL,
      created_at          TEXT NOT NULL,
      updated_at          TEXT NOT NULL,
      -- Verified means a document was seen, and only then.
      CHECK ((identity_status = 'verified') = (identity_document IS NOT NULL)),
      ${measured('weight_kg', 'weight_measured_on', 500)},
      ${measured('height_cm', 'height_measured_on', 260)},
      ${measured('creatinine_clearance', 'creatinine_clearance_measured_on', 300)}
    ) STRICT;
    CREATE INDEX patients_identity ON patients (identity_key);
    CREATE INDEX patients_birth_date ON patients (birth_date, sort_key);

    CREATE TABLE patient_allergies (
      patient_id  INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
      position    INTEGER NOT NULL CHECK (position >= 0),
      kind        TEXT NOT NULL CHECK (kind IN ('allergy', 'intolerance')),
      substance   TEXT NOT NULL CHECK (length(trim(substance)) > 0),
      reaction    TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (patient_id, position)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE patient_conditions (
      patient_id  INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
      position    INTEGER NOT NULL CHECK (position >= 0),
      label       TEXT NOT NULL CHECK (length(trim(label)) > 0),
      ald         INTEGER NOT NULL CHECK (ald IN (0, 1)),
      PRIMARY KEY (patient_id, position)
    ) STRICT, WITHOUT ROWID;

    -- One row per normalised name word of a patient (and per multi-word name written as one word,
    -- "le goff" → "legoff"). Prefix search is a range scan on the primary key, already in result
    -- order: exact word first, names (rank 0) before first names (rank 1), then display name.
    CREATE TABLE patient_search (
      token       TEXT NOT NULL,
      rank        INTEGER NOT NULL CHECK (rank IN (0, 1)),
      sort_key    TEXT NOT NULL,
      patient_id  INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
      PRIMARY KEY (token, rank, sort_key, patient_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX patient_search_by_patient ON patient_search (patient_id);

    -- How many rows each word has, kept by triggers: with several typed words, the search starts
    -- from the rarest one ("marie zoe" scans the Zoé, not the far more numerous Marie).
    CREATE TABLE patient_search_counts (
      token  TEXT PRIMARY KEY,
      n      INTEGER NOT NULL CHECK (n >= 0)
    ) STRICT, WITHOUT ROWID;
    CREATE TRIGGER patient_search_counted AFTER INSERT ON patient_search BEGIN
      INSERT INTO patient_search_counts (token, n) VALUES (NEW.token, 1)
        ON CONFLICT (token) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER patient_search_uncounted AFTER DELETE ON patient_search BEGIN
      UPDATE patient_search_counts SET n = n - 1 WHERE token = OLD.token;
    END;
  `,
};
