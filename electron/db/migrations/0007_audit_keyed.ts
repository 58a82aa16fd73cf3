import type { Migration } from '../types';

/**
 * The audit chain becomes keyed (electron/audit/chain.ts): each row says how its hash is made,
 * `sha256` for the rows already there (the legacy prefix, verifiable as before) and `hmac-sha256`
 * under the key named by `key_id` for every row from now on. The key itself is never in the
 * database. No unkeyed row can be inserted any more.
 */
export const m0007: Migration = {
  version: 7,
  name: '0007_audit_keyed',
  up: `
    ALTER TABLE audit_log ADD COLUMN alg TEXT NOT NULL DEFAULT 'sha256' CHECK (alg IN ('sha256', 'hmac-sha256'));
    ALTER TABLE audit_log ADD COLUMN key_id TEXT CHECK (
      (alg = 'sha256' AND key_id IS NULL)
      OR (alg = 'hmac-sha256' AND length(key_id) = 16 AND key_id NOT GLOB '*[^0-9a-f]*')
    );
    CREATE TRIGGER audit_log_keyed_only BEFORE INSERT ON audit_log WHEN NEW.alg <> 'hmac-sha256'
      BEGIN SELECT RAISE(ABORT, 'audit_log takes keyed rows only'); END;
  `,
};
