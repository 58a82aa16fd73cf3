/**
 * Which key store and which anchor a database connection's audit chain uses. A connection is
 * bound to its data folder explicitly (`bindAudit`, at the app's start) or, the first time it
 * appends, to the folder of its file: job threads and the CLI open `<dataDir>/ordo.db`, so every
 * thread and process of one data folder shares one key and one anchor.
 *
 * The audit key is created by the first writer of a data folder that has none (the app at start,
 * or the first append of a folder whose chain has no keyed row and no anchor yet); never by the
 * diagnostic, which opens everything read-only. Once the chain depends on a key, only the start
 * (reanchor.ts) replaces a lost one, and records it in the chain: an append that finds the key
 * gone refuses to write.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { OrdoError } from '../../shared/errors';
import type { Db } from '../db/types';
import { createKey, keyFile, listKeys, readKey, type KeyRead, type StoredKey } from '../keys/store';
import { anchorFileOf, readAnchor } from './anchor';
import { AUDIT_KEY_BYTES, hasKeyedRows } from './chain';

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

/** The French error of an audit key that exists but cannot be used (audited writes are refused). */
export function unreadableKeyError(file: string, reason: string, damaged: boolean): OrdoError {
  return new OrdoError(
    'DATABASE_ERROR',
    damaged
      ? `La clé du journal d’audit est illisible (${file}) : ${reason}. Ordo n’écrit plus dans le journal sans elle : remettez le dossier « keys » d’une sauvegarde du dossier de données, ou redémarrez Ordo pour qu’il en crée une nouvelle.`
      : `La clé du journal d’audit ne peut pas être lue (${file}) : ${reason}. Ordo n’écrit plus dans le journal sans elle : vérifiez les droits d’accès du dossier « keys » et qu’aucun antivirus ne bloque ce fichier, puis redémarrez Ordo.`,
  );
}

/** The French error of an audit key that could not be stored (a folder not writable, a full disk). */
export function keyNotCreatedError(file: string, error: unknown): OrdoError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new OrdoError(
    'DATABASE_ERROR',
    `La clé du journal d’audit n’a pas pu être créée (${file}${typeof code === 'string' ? ` : ${code}` : ''}). Ordo n’écrit pas dans le journal sans elle : vérifiez que le dossier de données est accessible en écriture et qu’il reste de la place sur le disque, puis réessayez.`,
  );
}

/** The French error of an append that finds the key gone while the chain depends on it. */
export function missingKeyError(file: string): OrdoError {
  return new OrdoError(
    'DATABASE_ERROR',
    `La clé du journal d’audit a disparu (${file}) alors qu’Ordo fonctionne : Ordo n’écrit plus dans le journal sans elle. Remettez le fichier, ou redémarrez Ordo : il en créera une nouvelle et l’inscrira au journal.`,
  );
}

/** Stores a new random audit key (or reads the one another writer stored first); French errors only. */
export function createAuditKey(dataDir: string): KeyRead & { state: 'ok' } {
  const file = keyFile(dataDir, AUDIT_KEY_NAME);
  let read: KeyRead;
  try {
    read = createKey(dataDir, AUDIT_KEY_NAME, randomBytes(AUDIT_KEY_BYTES));
  } catch (error) {
    throw keyNotCreatedError(file, error);
  }
  if (read.state === 'unreadable') throw unreadableKeyError(read.file, read.reason, read.damaged);
  if (read.state === 'missing') throw keyNotCreatedError(read.file, undefined);
  return read;
}

/**
 * The key this connection appends with: loaded once. Created only when the chain needs none yet
 * (no keyed row, no anchor); a key gone while the chain depends on it, or a file that exists but
 * cannot be used (never overwritten), is a French error and nothing is written.
 */
export function currentAuditKey(db: Db, binding: AuditBinding): { key: AuditKey; created: boolean } {
  if (binding.key !== undefined) return { key: binding.key, created: false };
  let read = readAuditKey(binding.dataDir);
  let created = false;
  if (read.state === 'missing') {
    if (hasKeyedRows(db) || readAnchor(binding.anchorFile).state !== 'missing') throw missingKeyError(read.file);
    read = createAuditKey(binding.dataDir);
    created = true;
  }
  if (read.state !== 'ok') throw read.state === 'unreadable' ? unreadableKeyError(read.file, read.reason, read.damaged) : missingKeyError(read.file);
  binding.key = { id: read.key.id, secret: read.key.secret };
  return { key: binding.key, created };
}
