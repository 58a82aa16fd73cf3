import type { Migration } from '../types';

/**
 * Coded allergies and long-term treatments, so the prescription checks can match them.
 *
 * An allergy keeps its free text (what the GP typed) and may now also carry what it was matched
 * to in the interaction rule set: a substance or a class, named as the rules name it (upper case,
 * no accents). The kind and the name go together or not at all; rows written before this version
 * get neither (free text, as before). ADD COLUMN tests these CHECKs against the existing rows.
 *
 * A long-term treatment is a label and, when the GP picked them, the names of its substances in
 * the rule set (a JSON array of at most 10 strings); replaced whole with the record, like the
 * allergies and conditions.
 */
export const m0010: Migration = {
  version: 10,
  name: '0010_patient_codes',
  up: `
    ALTER TABLE patient_allergies ADD COLUMN code_kind TEXT CHECK (code_kind IS NULL OR code_kind IN ('substance', 'class'));
    ALTER TABLE patient_allergies ADD COLUMN code_name TEXT
      CHECK ((code_name IS NULL) = (code_kind IS NULL)
        AND (code_name IS NULL OR (length(trim(code_name)) > 0 AND length(code_name) <= 200 AND code_name = upper(code_name))));

    CREATE TABLE patient_treatments (
      patient_id       INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
      position         INTEGER NOT NULL CHECK (position >= 0),
      label            TEXT NOT NULL CHECK (length(trim(label)) > 0 AND length(label) <= 200),
      substance_names  TEXT NOT NULL DEFAULT '[]'
        CHECK (json_valid(substance_names) AND json_type(substance_names) = 'array' AND json_array_length(substance_names) <= 10),
      PRIMARY KEY (patient_id, position)
    ) STRICT, WITHOUT ROWID;
  `,
};
