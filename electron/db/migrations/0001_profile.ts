import type { Migration } from '../types';

export const m0001: Migration = {
  version: 1,
  name: '0001_profile',
  up: `
    CREATE TABLE prescriber_profile (
      id            INTEGER PRIMARY KEY CHECK (id = 1),
      last_name     TEXT NOT NULL CHECK (length(trim(last_name)) > 0),
      first_name    TEXT NOT NULL CHECK (length(trim(first_name)) > 0),
      specialty     TEXT NOT NULL CHECK (length(trim(specialty)) > 0),
      rpps          TEXT NOT NULL CHECK (length(rpps) = 11 AND rpps NOT GLOB '*[^0-9]*'),
      am_number     TEXT NOT NULL CHECK (length(am_number) = 9 AND am_number NOT GLOB '*[^0-9]*'),
      practice_name TEXT NOT NULL,
      address       TEXT NOT NULL CHECK (length(trim(address)) > 0),
      postal_code   TEXT NOT NULL CHECK (length(postal_code) = 5 AND postal_code NOT GLOB '*[^0-9]*'),
      city          TEXT NOT NULL CHECK (length(trim(city)) > 0),
      phone         TEXT NOT NULL,
      email         TEXT NOT NULL CHECK (email LIKE '%_@_%'),
      updated_at    TEXT NOT NULL
    ) STRICT;

    -- Append-only, hash-chained journal of every change that matters legally.
    CREATE TABLE audit_log (
      seq        INTEGER PRIMARY KEY,
      at         TEXT NOT NULL,
      actor      TEXT NOT NULL,
      action     TEXT NOT NULL,
      subject    TEXT NOT NULL,
      details    TEXT NOT NULL,
      prev_hash  TEXT NOT NULL,
      hash       TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  `,
};
