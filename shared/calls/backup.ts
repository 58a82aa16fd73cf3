/**
 * Backups of the practice database (Réglages → Sauvegardes, `ordo backup`, `ordo restore`): a
 * daily copy made with SQLite's backup API into `<data folder>/backups/`, kept 7 days and 4
 * weeks, each checked after writing. A restore needs the GP's confirmation and reopens the
 * database; the database in use is kept aside first.
 */
import { z } from 'zod';
import { noInput, type CallSpec } from './spec';

/**
 * `daily`: one of the 7 newest daily backups; `weekly`: an older daily backup kept as the newest of
 * its ISO week (4 weeks); `manual`: made on request (Réglages, `ordo backup`), never deleted by
 * Ordo; `before-restore`: the database that was in use just before a restore, never deleted.
 */
export const backupKinds = ['daily', 'weekly', 'manual', 'before-restore'] as const;
export type BackupKind = (typeof backupKinds)[number];

/** A backup's file name inside the backups folder: only names Ordo writes, never a path. */
export const BACKUP_NAME = /^(?:ordo-\d{4}-\d{2}-\d{2}(?:-\d{6}(?:-\d+)?-manuelle)?|avant-restauration-\d{8}-\d{6}(?:-\d+)?)\.db$/;

export const backupNameSchema = z
  .string({ error: 'Le nom de la sauvegarde est obligatoire.' })
  .max(64, { error: 'Ce nom de sauvegarde n’existe pas.' })
  .regex(BACKUP_NAME, { error: 'Ce nom de sauvegarde n’existe pas.' });

export const backupInfoSchema = z.object({
  name: backupNameSchema,
  /** When the copy was made (ISO), from its sidecar, or the file's date when it has none. */
  createdAt: z.string(),
  /** The local day it belongs to (YYYY-MM-DD). */
  day: z.string(),
  size: z.number().int().nonnegative(),
  kind: z.enum(backupKinds),
  /** `ok`: integrity_check passed after writing and the file has not changed since; `unchecked`: no record of a check (a file put here by hand, or changed since). */
  check: z.enum(['ok', 'unchecked']),
  /** The schema version read from the copy after writing (null when unchecked). */
  schemaVersion: z.number().int().nullable(),
});
export type BackupInfo = z.infer<typeof backupInfoSchema>;

export const backupListSchema = z.object({
  dataDir: z.string(),
  /** Where the backups are (absolute). */
  folder: z.string(),
  /** Newest first. */
  backups: z.array(backupInfoSchema),
  /** The newest daily, weekly or manual backup, or null. */
  last: backupInfoSchema.nullable(),
  /** The last backup that failed (its check, or the copy itself) since Ordo started, or null. */
  lastFailure: z.object({ at: z.string(), message: z.string() }).nullable(),
  /**
   * Whether the practice database is open. When it is not (damaged, unreadable), Ordo answers
   * only app.info, app.diagnose and the backup calls, and `problem` says why in French.
   */
  database: z.object({ open: z.boolean(), problem: z.string().nullable() }),
});
export type BackupList = z.infer<typeof backupListSchema>;

export const restoreResultSchema = z.object({
  /** The backup installed. */
  restored: z.string(),
  /** The SHA-256 of the installed file, as written in the audit entry « backup.restored ». */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Where the database in use before the restore was kept (a name in the backups folder), or null when there was none. */
  keptAside: backupNameSchema.nullable(),
  /** The schema version of the backup, and after migration. */
  fromVersion: z.number().int(),
  toVersion: z.number().int(),
});
export type RestoreResult = z.infer<typeof restoreResultSchema>;

export const backupCalls = {
  /** Réglages → Sauvegardes, and the « base endommagée » screen: the backups and where they are. */
  'backup.list': {
    input: noInput,
    output: backupListSchema,
    example: {},
  },
  /** A backup now (a manual one: never deleted by Ordo), checked before it is listed. */
  'backup.create': {
    input: noInput,
    output: backupInfoSchema,
    example: {},
  },
  /**
   * Installs a backup of the list in place of the database in use, which is kept aside first;
   * the database is then reopened. `confirmed` is the GP's answer to the confirmation dialog.
   */
  'backup.restore': {
    input: z.strictObject({
      name: backupNameSchema,
      confirmed: z.literal(true, { error: 'La restauration doit être confirmée.' }),
    }),
    output: restoreResultSchema,
    example: { name: 'ordo-2026-12-02.db', confirmed: true },
  },
} as const satisfies Record<string, CallSpec>;
