import type { Migration } from '../types';

/**
 * Prescriptions as the GP writes them. A draft's lines are replaced whole at each autosave; each
 * line keeps, as JSON, what the GP wrote (shared/domain/prescription.ts `Line`) and the frozen
 * copy of the referential it printed (`FrozenDrug`), so a new BDPM import never changes an old
 * prescription. Only a draft's content may change: the triggers refuse any write to the lines or
 * overrides of a prescription that is no longer a draft, and deleting one; the state only moves
 * forward (draft → signed → cancelled). Signing (a later migration) adds its own columns.
 */
/** A discarded draft's lines go by cascade once their parent is gone: only a signed or cancelled parent refuses. */
const draftOnly = (table: string, operation: 'INSERT' | 'UPDATE' | 'DELETE') => {
  const row = operation === 'DELETE' ? 'OLD' : 'NEW';
  return `
    CREATE TRIGGER ${table}_draft_only_${operation.toLowerCase()} BEFORE ${operation} ON ${table}
      WHEN (SELECT state FROM prescriptions WHERE id = ${row}.prescription_id) IN ('signed', 'cancelled')
      BEGIN SELECT RAISE(ABORT, 'only a draft prescription can change'); END;`;
};

export const m0009: Migration = {
  version: 9,
  name: '0009_prescriptions',
  up: `
    CREATE TABLE prescriptions (
      id          INTEGER PRIMARY KEY,
      patient_id  INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
      state       TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'signed', 'cancelled')),
      -- Increases at each save: a save naming another version is refused (two windows).
      version     INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
      renewal_of  INTEGER REFERENCES prescriptions (id) ON DELETE SET NULL CHECK (renewal_of IS NULL OR renewal_of <> id),
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL CHECK (updated_at >= created_at)
    ) STRICT;
    CREATE INDEX prescriptions_by_patient ON prescriptions (patient_id, created_at, id);

    CREATE TABLE prescription_lines (
      prescription_id  INTEGER NOT NULL REFERENCES prescriptions (id) ON DELETE CASCADE,
      position         INTEGER NOT NULL CHECK (position BETWEEN 0 AND 29),
      line_key         TEXT NOT NULL CHECK (length(line_key) = 36),
      kind             TEXT NOT NULL CHECK (kind IN ('drug', 'free')),
      line             TEXT NOT NULL CHECK (json_valid(line) AND json_extract(line, '$.kind') = kind AND json_extract(line, '$.key') = line_key),
      drug             TEXT CHECK (drug IS NULL OR json_valid(drug)),
      cis              TEXT CHECK (cis IS NULL OR (length(cis) = 8 AND cis NOT GLOB '*[^0-9]*')),
      rendered         TEXT NOT NULL CHECK (length(trim(rendered)) > 0),
      -- A drug line has its frozen copy and its CIS; a free line has neither.
      CHECK ((kind = 'drug') = (drug IS NOT NULL) AND (kind = 'drug') = (cis IS NOT NULL)),
      CHECK (drug IS NULL OR json_extract(drug, '$.cis') = cis),
      PRIMARY KEY (prescription_id, position),
      UNIQUE (prescription_id, line_key)
    ) STRICT, WITHOUT ROWID;

    -- The GP signs despite a contre-indication: the check's id and the written reason.
    CREATE TABLE prescription_overrides (
      prescription_id  INTEGER NOT NULL REFERENCES prescriptions (id) ON DELETE CASCADE,
      check_id         TEXT NOT NULL CHECK (length(check_id) BETWEEN 1 AND 500),
      reason           TEXT NOT NULL CHECK (length(trim(reason)) >= 5 AND length(reason) <= 500),
      at               TEXT NOT NULL,
      PRIMARY KEY (prescription_id, check_id)
    ) STRICT, WITHOUT ROWID;

    ${draftOnly('prescription_lines', 'INSERT')}
    ${draftOnly('prescription_lines', 'UPDATE')}
    ${draftOnly('prescription_lines', 'DELETE')}
    ${draftOnly('prescription_overrides', 'INSERT')}
    ${draftOnly('prescription_overrides', 'UPDATE')}
    ${draftOnly('prescription_overrides', 'DELETE')}

    CREATE TRIGGER prescriptions_state_forward BEFORE UPDATE OF state ON prescriptions
      WHEN NOT ((OLD.state = NEW.state) OR (OLD.state = 'draft' AND NEW.state = 'signed') OR (OLD.state = 'signed' AND NEW.state = 'cancelled'))
      BEGIN SELECT RAISE(ABORT, 'a prescription state only moves forward'); END;
    CREATE TRIGGER prescriptions_patient_fixed BEFORE UPDATE OF patient_id, created_at ON prescriptions
      WHEN NEW.patient_id IS NOT OLD.patient_id OR NEW.created_at IS NOT OLD.created_at
      BEGIN SELECT RAISE(ABORT, 'a prescription keeps its patient and its date'); END;
    CREATE TRIGGER prescriptions_delete_draft_only BEFORE DELETE ON prescriptions WHEN OLD.state <> 'draft'
      BEGIN SELECT RAISE(ABORT, 'only a draft prescription can be deleted'); END;

    CREATE TABLE favourites (
      id          INTEGER PRIMARY KEY,
      name        TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 100),
      kind        TEXT NOT NULL CHECK (kind IN ('line', 'prescription')),
      lines       TEXT NOT NULL CHECK (json_valid(lines) AND json_type(lines) = 'array' AND json_array_length(lines) BETWEEN 1 AND 30),
      -- What each line printed when it was saved (its DCI label or its text), for the list.
      labels      TEXT NOT NULL CHECK (json_valid(labels) AND json_type(labels) = 'array' AND json_array_length(labels) = json_array_length(lines)),
      created_at  TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX favourites_by_name ON favourites (name COLLATE NOCASE);
  `,
};
