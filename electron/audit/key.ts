/**
 * Which key store and which anchor a database connection's audit chain uses. A connection is
 * bound to its data folder explicitly (`bindAudit`, at the app's start) or, the first time it
 * appends, to the folder of its file: job threads and the CLI open `<dataDir>/ordo.db`, so every
 * thread and process of one data folder shares one key and one anchor.
 *
 * The audit key is created by the first writer of a data folder that has none (the app at start,
 * or the first append); never by the diagnostic, which opens everything read-only.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { OrdoError } from '../../shared/errors';
import type { Db } from '../db/types';
import { createKey, keyFile, listKeys, readKey, type KeyRead, type StoredKey } from '../keys/store';
import { anchorFileOf } from './anchor';
import { AUDIT_KEY_BYTES } from './chain';

export const AUDIT_KEY_NAME = 'audit';

export interface AuditKey {
  id: string;
  secret: Buffer;
}

export interface AuditBinding {
  dataDir: string;
  anchorFile: string;
  key?: AuditKey;
}

const bindings = new WeakMap<Db, AuditBinding>();

/** The anchor of the database file `file` and the key store of `dataDir`. */
export function auditPaths(dataDir: string, databaseFile: string): { anchorFile: string; keyFile: string } {
  return { anchorFile: anchorFileOf(databaseFile), keyFile: keyFile(dataDir, AUDIT_KEY_NAME) };
}

export function bindAudit(db: Db, dataDir: string): AuditBinding {
  const existing = bindings.get(db);
  const binding: AuditBinding = { dataDir, anchorFile: anchorFileOf(join(dataDir, basename(db.name))) };
  if (existing?.key !== undefined && existing.dataDir === dataDir) binding.key = existing.key;
  bindings.set(db, binding);
  return binding;
}

export function bindingOf(db: Db): AuditBinding {
  const bound = bindings.get(db);
  if (bound !== undefined) return bound;
  if (db.memory || db.name === '') throw new Error('the audit chain needs a database file: its key and anchor live beside it');
  return bindAudit(db, dirname(resolve(db.name)));
}

export function readAuditKey(dataDir: string): KeyRead {
  return readKey(dataDir, AUDIT_KEY_NAME, AUDIT_KEY_BYTES);
}

/** Every audit key in the store, by id (the current one and any older one put back). */
export function auditKeys(dataDir: string): Map<string, Buffer> {
  return new Map(listKeys(dataDir, AUDIT_KEY_NAME, AUDIT_KEY_BYTES).map((k: StoredKey) => [k.id, k.secret]));
}

export function unreadableKeyError(file: string, reason: string): OrdoError {
  return new OrdoError(
    'DATABASE_ERROR',
    `La clé du journal d’audit est illisible (${file}) : ${reason}. Ordo n’écrit plus dans le journal sans elle : remettez le dossier « keys » d’une sauvegarde du dossier de données, ou redémarrez Ordo pour qu’il en crée une nouvelle.`,
  );
}

/**
 * The key this connection appends with: loaded once, created when the store has none. Throws a
 * French error when the file exists but cannot be used (it is never overwritten).
 */
export function currentAuditKey(binding: AuditBinding): { key: AuditKey; created: boolean } {
  if (binding.key !== undefined) return { key: binding.key, created: false };
  let read = readAuditKey(binding.dataDir);
  let created = false;
  if (read.state === 'missing') {
    read = createKey(binding.dataDir, AUDIT_KEY_NAME, randomBytes(AUDIT_KEY_BYTES));
    created = true;
  }
  if (read.state === 'unreadable') throw unreadableKeyError(read.file, read.reason);
  if (read.state === 'missing') throw unreadableKeyError(read.file, 'le fichier n’a pas pu être créé');
  binding.key = { id: read.key.id, secret: read.key.secret };
  return { key: binding.key, created };
}

/** Forgets the cached key (after the start replaced it). */
export function forgetAuditKey(db: Db): void {
  const binding = bindings.get(db);
  if (binding !== undefined) delete binding.key;
}
