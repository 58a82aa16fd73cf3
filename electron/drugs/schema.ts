/**
 * The referential file's schema. It is rebuilt whole at each import (never migrated): a file
 * whose user_version differs from REFERENTIAL_VERSION is rebuilt from its rows when only the
 * derived columns changed (rederive.ts), else ignored and the data re-imported.
 *
 * No foreign keys between the files' tables: real releases list packs and generic-group members
 * whose CIS is absent from CIS_bdpm.txt, and the import keeps every valid line of every file.
 */
export const REFERENTIAL_VERSION = 3;
// 2: the DCI labels of shared/domain/dci.ts and the search words of search-words.ts; the rows'
//    tables are those of 1, so a file of version 1 is rebuilt from its own rows (rederive.ts).
// 3: a variant's number before the strength is not a thousands group (« INSUMAN COMB 25 100 UI/ml »
//    is 100 UI/ml); same tables, a file of version 2 is rebuilt the same way.

export const referentialSchema = `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE specialty (
    cis                  TEXT PRIMARY KEY CHECK (length(cis) = 8 AND cis NOT GLOB '*[^0-9]*'),
    name                 TEXT NOT NULL CHECK (name <> ''),
    form                 TEXT NOT NULL,
    routes               TEXT NOT NULL,            -- JSON array
    authorization_status TEXT NOT NULL,
    procedure            TEXT NOT NULL,
    marketing_status     TEXT NOT NULL,
    marketed             INTEGER NOT NULL CHECK (marketed IN (0, 1)),
    authorization_date   TEXT,
    bdm_status           TEXT NOT NULL,
    eu_number            TEXT NOT NULL,
    holders              TEXT NOT NULL,            -- JSON array
    enhanced_monitoring  INTEGER NOT NULL CHECK (enhanced_monitoring IN (0, 1)),
    -- Derived once all files are read:
    dci_label            TEXT NOT NULL DEFAULT '',
    substances           TEXT NOT NULL DEFAULT '[]', -- JSON array of DCI names
    substance_key        TEXT NOT NULL DEFAULT '',
    flags                INTEGER NOT NULL DEFAULT 0 CHECK (flags >= 0),
    generic_type         INTEGER,
    search_words         TEXT NOT NULL DEFAULT '',
    search_primary       TEXT NOT NULL DEFAULT '',
    search_rank          INTEGER NOT NULL DEFAULT 0
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE pack (
    cip13                TEXT PRIMARY KEY CHECK (length(cip13) = 13 AND cip13 NOT GLOB '*[^0-9]*'),
    cip7                 TEXT NOT NULL CHECK (length(cip7) = 7 AND cip7 NOT GLOB '*[^0-9]*'),
    cis                  TEXT NOT NULL,
    label                TEXT NOT NULL,
    administrative_status TEXT NOT NULL,
    marketing_status     TEXT NOT NULL,
    declaration_date     TEXT,
    collectivities       INTEGER CHECK (collectivities IN (0, 1)),
    reimbursement_rate   TEXT NOT NULL,
    price_cents          INTEGER CHECK (price_cents >= 0),
    price_with_fee_cents INTEGER CHECK (price_with_fee_cents >= 0),
    fee_cents            INTEGER CHECK (fee_cents >= 0),
    indications          TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX pack_by_cis ON pack (cis);

  CREATE TABLE composition (
    id                 INTEGER PRIMARY KEY,
    cis                TEXT NOT NULL,
    element            TEXT NOT NULL,
    substance_code     TEXT NOT NULL,
    substance_name     TEXT NOT NULL,
    strength           TEXT NOT NULL,
    strength_reference TEXT NOT NULL,
    nature             TEXT NOT NULL CHECK (nature IN ('SA', 'FT')),
    link_number        INTEGER
  ) STRICT;
  CREATE INDEX composition_by_cis ON composition (cis);
  CREATE INDEX composition_by_substance ON composition (substance_code);

  CREATE TABLE generic_group (
    id          INTEGER PRIMARY KEY,
    group_id    TEXT NOT NULL,
    label       TEXT NOT NULL,
    cis         TEXT NOT NULL,
    type        INTEGER NOT NULL CHECK (type BETWEEN 0 AND 9),
    sort_order  INTEGER
  ) STRICT;
  CREATE INDEX generic_group_by_cis ON generic_group (cis);

  CREATE TABLE prescribing_condition (
    id         INTEGER PRIMARY KEY,
    cis        TEXT NOT NULL,
    condition  TEXT NOT NULL CHECK (condition <> '')
  ) STRICT;
  CREATE INDEX prescribing_condition_by_cis ON prescribing_condition (cis);

  -- The search's prefix indexes (search-store.ts), so loading does not rebuild them.
  CREATE TABLE search_index (
    name       TEXT PRIMARY KEY CHECK (name IN ('full', 'primary')),
    terms      TEXT NOT NULL,
    start      BLOB NOT NULL,
    postings   BLOB NOT NULL,
    wide_keys  TEXT NOT NULL,
    wide_start BLOB NOT NULL,
    wide       BLOB NOT NULL
  ) STRICT;
`;
