import type { Migration } from '../types';

/**
 * The DMP sync (electron/outbox/): the document built for each signed prescription, kept so that
 * every try sends the same bytes (the DMP's idempotency is by the document's uniqueId and hash:
 * a retry after a lost reply must be the same document), and when each outbox row was sent.
 *
 * A document never changes. It is dropped only when its submission was refused for good (then
 * « Réessayer » builds it again, e.g. after the patient's INS was corrected); a document that may
 * have reached the DMP stays as it is. A row that was sent, skipped or disabled is final.
 */
export const m0012: Migration = {
  version: 12,
  name: '0012_dmp',
  up: `
    CREATE TABLE dmp_documents (
      prescription_id  INTEGER PRIMARY KEY REFERENCES prescriptions (id) ON DELETE RESTRICT,
      -- The CDA id@root: a UUID-derived OID from the prescription's legal id (electron/dmp/cda.ts).
      unique_id        TEXT NOT NULL UNIQUE CHECK (length(unique_id) BETWEEN 6 AND 64 AND unique_id GLOB '2.25.[1-9]*' AND substr(unique_id, 6) NOT GLOB '*[^0-9]*'),
      -- XDS patientId: NIR^^^&OID&ISO.
      patient_id       TEXT NOT NULL CHECK (patient_id GLOB '[1278]??????????????^^^&1.2.250.1.213.1.4.*&ISO'),
      cda              BLOB NOT NULL CHECK (length(cda) > 0),
      sha1             TEXT NOT NULL CHECK (length(sha1) = 40 AND sha1 NOT GLOB '*[^0-9a-f]*'),
      size             INTEGER NOT NULL CHECK (size = length(cda)),
      built_at         TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER dmp_documents_immutable BEFORE UPDATE ON dmp_documents
      BEGIN SELECT RAISE(ABORT, 'a DMP document never changes'); END;
    CREATE TRIGGER dmp_documents_kept BEFORE DELETE ON dmp_documents
      WHEN (SELECT state FROM outbox WHERE prescription_id = OLD.prescription_id AND destination = 'dmp' AND action = 'submit') IS NOT 'dead'
      BEGIN SELECT RAISE(ABORT, 'a DMP document that may have been sent is kept'); END;

    ALTER TABLE outbox ADD COLUMN sent_at TEXT;
    CREATE TRIGGER outbox_final BEFORE UPDATE OF state ON outbox
      WHEN OLD.state IN ('sent', 'skipped', 'disabled') AND NEW.state IS NOT OLD.state
      BEGIN SELECT RAISE(ABORT, 'a sent, skipped or disabled outbox row is final'); END;
    CREATE TRIGGER outbox_sent_when BEFORE UPDATE OF state ON outbox
      WHEN NEW.state = 'sent' AND NEW.sent_at IS NULL
      BEGIN SELECT RAISE(ABORT, 'a sent outbox row says when'); END;
  `,
};
