import type { Migration } from '../types';

/**
 * Durable background jobs (docs/architecture.md, "Jobs"): a drug update, a patient import, later
 * the DMP outbox. A row is the whole truth about a job, so a reload of the window or a restart of
 * the app shows it where it stands, and a job left `running` by a process that died is found and
 * recovered. Payloads (the bytes of an imported CSV) live beside it and go with it.
 */
export const m0004: Migration = {
  version: 4,
  name: '0004_jobs',
  up: `
    CREATE TABLE jobs (
      id               INTEGER PRIMARY KEY,
      kind             TEXT NOT NULL CHECK (length(kind) BETWEEN 3 AND 64 AND kind GLOB '[a-z]*.[a-zA-Z]*' AND kind NOT GLOB '*[^a-zA-Z.]*'),
      state            TEXT NOT NULL CHECK (state IN ('queued', 'running', 'retrying', 'done', 'failed', 'cancelled')),
      -- What the job works on, as its kind's zod schema in shared/ validates it.
      input            TEXT NOT NULL CHECK (json_valid(input) AND length(input) <= 100000),
      -- What the screens show (phase, counts, percent); written by the runner.
      progress         TEXT CHECK (progress IS NULL OR (json_valid(progress) AND length(progress) <= 10000)),
      -- Where a resumable job stands, written by the job in the same transaction as its work.
      checkpoint       TEXT CHECK (checkpoint IS NULL OR (json_valid(checkpoint) AND length(checkpoint) <= 1000000)),
      attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      max_attempts     INTEGER NOT NULL CHECK (max_attempts BETWEEN 1 AND 100),
      next_run_at      TEXT CHECK (next_run_at IS NULL OR next_run_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'),
      error_code       TEXT CHECK (error_code IS NULL OR length(error_code) BETWEEN 1 AND 40),
      -- In French: what the GP reads.
      error_message    TEXT CHECK (error_message IS NULL OR length(error_message) BETWEEN 1 AND 2000),
      result           TEXT CHECK (result IS NULL OR (json_valid(result) AND length(result) <= 2000000)),
      idempotency_key  TEXT UNIQUE CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 200),
      cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
      -- The runner holding a running job, its process id and how long its claim lasts unrenewed.
      owner            TEXT,
      owner_pid        INTEGER,
      lease_until      TEXT,
      created_at       TEXT NOT NULL,
      started_at       TEXT,
      updated_at       TEXT NOT NULL,
      finished_at      TEXT,
      CHECK ((state = 'running') = (owner IS NOT NULL AND owner_pid IS NOT NULL AND lease_until IS NOT NULL)),
      CHECK ((state IN ('done', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
      CHECK (state NOT IN ('queued', 'retrying') OR next_run_at IS NOT NULL),
      CHECK (state <> 'done' OR result IS NOT NULL),
      CHECK (state NOT IN ('failed', 'cancelled') OR (error_code IS NOT NULL AND error_message IS NOT NULL)),
      CHECK (attempts <= max_attempts)
    ) STRICT;

    -- One job of a kind runs at a time, across every process on this database (app and CLI).
    CREATE UNIQUE INDEX jobs_one_running_per_kind ON jobs (kind) WHERE state = 'running';
    CREATE INDEX jobs_due ON jobs (next_run_at) WHERE state IN ('queued', 'retrying');
    CREATE INDEX jobs_by_kind ON jobs (kind, id);

    -- A finished job is a record of what happened: it never changes state again.
    CREATE TRIGGER jobs_finished_are_final BEFORE UPDATE ON jobs
      WHEN OLD.state IN ('done', 'failed', 'cancelled')
      BEGIN SELECT RAISE(ABORT, 'a finished job is final'); END;
    CREATE TRIGGER jobs_kind_and_input_fixed BEFORE UPDATE OF kind, input, created_at ON jobs
      WHEN NEW.kind IS NOT OLD.kind OR NEW.input IS NOT OLD.input OR NEW.created_at IS NOT OLD.created_at
      BEGIN SELECT RAISE(ABORT, 'a job keeps its kind and input'); END;

    CREATE TABLE job_payloads (
      job_id  INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
      name    TEXT NOT NULL CHECK (name IN ('file', 'plan')),
      bytes   BLOB NOT NULL CHECK (length(bytes) <= 16777216),
      PRIMARY KEY (job_id, name)
    ) STRICT, WITHOUT ROWID;
  `,
};
