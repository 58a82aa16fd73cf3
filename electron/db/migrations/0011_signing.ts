import type { Migration } from '../types';

/**
 * Signing: a signed prescription's legal record, its cancellation, and the outbox of what must be
 * sent (the DMP; the CNAM base, disabled until its protocol is public). All three are written in
 * the transaction that signs or cancels, with the audit row. The signature row is immutable: no
 * UPDATE, no DELETE; a prescription becomes `signed` only with its signature row, and `cancelled`
 * only with its cancellation row; once signed, nothing of the prescription row changes but its
 * state (signed → cancelled), and its lines and overrides are frozen by 0009's triggers.
 */
/** A legal record: written once, in the state it needs, then never changed nor deleted. */
const recordOnce = (table: string, what: string, onlyWhen: 'draft' | 'signed', refusal: string) => `
    CREATE TRIGGER ${table}_immutable BEFORE UPDATE ON ${table}
      BEGIN SELECT RAISE(ABORT, 'a ${what} never changes'); END;
    CREATE TRIGGER ${table}_kept BEFORE DELETE ON ${table}
      BEGIN SELECT RAISE(ABORT, 'a ${what} is never deleted'); END;
    CREATE TRIGGER ${table}_of_${onlyWhen} BEFORE INSERT ON ${table}
      WHEN (SELECT state FROM prescriptions WHERE id = NEW.prescription_id) IS NOT '${onlyWhen}'
      BEGIN SELECT RAISE(ABORT, '${refusal}'); END;`;

export const m0011: Migration = {
  version: 11,
  name: '0011_signing',
  up: `
    CREATE TABLE prescription_signatures (
      prescription_id  INTEGER PRIMARY KEY REFERENCES prescriptions (id) ON DELETE RESTRICT,
      -- 18 upper-case alphanumerics, the last a check character (shared/domain/prescription-id.ts).
      rx_id            TEXT NOT NULL UNIQUE CHECK (length(rx_id) = 18 AND rx_id NOT GLOB '*[^0-9A-Z]*'),
      -- The client's request id: a double click or a retried call signs once.
      request_id       TEXT NOT NULL UNIQUE CHECK (length(request_id) = 36),
      signed_at        TEXT NOT NULL,
      key_id           TEXT NOT NULL CHECK (length(key_id) = 16 AND key_id NOT GLOB '*[^0-9a-f]*'),
      -- Every legal field as signed (JSON); its digest is over its deterministic CBOR (electron/signing/content.ts).
      content          TEXT NOT NULL CHECK (json_valid(content) AND json_extract(content, '$.id') = rx_id),
      content_digest   TEXT NOT NULL CHECK (length(content_digest) = 64 AND content_digest NOT GLOB '*[^0-9a-f]*'),
      -- The audit chain's head when it was signed, which the signature covers.
      audit_head       TEXT NOT NULL,
      qr_payload       TEXT NOT NULL CHECK (qr_payload GLOB 'ORDO1:*')
    ) STRICT;
    ${recordOnce('prescription_signatures', 'signature', 'draft', 'only a draft is signed')}

    CREATE TABLE prescription_cancellations (
      prescription_id  INTEGER PRIMARY KEY REFERENCES prescriptions (id) ON DELETE RESTRICT,
      reason           TEXT NOT NULL CHECK (length(trim(reason)) >= 5 AND length(reason) <= 500),
      cancelled_at     TEXT NOT NULL
    ) STRICT;
    ${recordOnce('prescription_cancellations', 'cancellation', 'signed', 'only a signed prescription is cancelled')}

    CREATE TRIGGER prescriptions_signed_with_signature BEFORE UPDATE OF state ON prescriptions
      WHEN NEW.state = 'signed' AND OLD.state = 'draft' AND NOT EXISTS (SELECT 1 FROM prescription_signatures WHERE prescription_id = NEW.id)
      BEGIN SELECT RAISE(ABORT, 'a prescription is signed with its signature'); END;
    CREATE TRIGGER prescriptions_cancelled_with_reason BEFORE UPDATE OF state ON prescriptions
      WHEN NEW.state = 'cancelled' AND OLD.state = 'signed' AND NOT EXISTS (SELECT 1 FROM prescription_cancellations WHERE prescription_id = NEW.id)
      BEGIN SELECT RAISE(ABORT, 'a prescription is cancelled with its reason'); END;
    CREATE TRIGGER prescriptions_frozen_once_signed BEFORE UPDATE ON prescriptions
      WHEN OLD.state <> 'draft' AND (NEW.version IS NOT OLD.version OR NEW.renewal_of IS NOT OLD.renewal_of OR NEW.updated_at IS NOT OLD.updated_at)
      BEGIN SELECT RAISE(ABORT, 'a signed prescription never changes'); END;

    -- What must leave the practice, one row per prescription, destination and action.
    CREATE TABLE outbox (
      id               INTEGER PRIMARY KEY,
      prescription_id  INTEGER NOT NULL REFERENCES prescriptions (id) ON DELETE RESTRICT,
      destination      TEXT NOT NULL CHECK (destination IN ('dmp', 'cnam')),
      action           TEXT NOT NULL CHECK (action IN ('submit', 'cancel')),
      state            TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'dead', 'skipped', 'disabled')),
      -- French: why skipped, disabled, failed or dead.
      reason           TEXT CHECK (reason IS NULL OR length(reason) <= 1000),
      attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      next_at          TEXT,
      created_at       TEXT NOT NULL,
      updated_at       TEXT NOT NULL,
      CHECK ((state IN ('skipped', 'disabled', 'dead')) <= (reason IS NOT NULL)),
      UNIQUE (prescription_id, destination, action)
    ) STRICT;
    CREATE INDEX outbox_due ON outbox (state, next_at);
    CREATE TRIGGER outbox_kept BEFORE DELETE ON outbox
      BEGIN SELECT RAISE(ABORT, 'an outbox row is never deleted'); END;
  `,
};
