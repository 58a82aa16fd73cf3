/**
 * The key store of a data folder: `<dataDir>/keys/`, one file per key, outside the practice
 * database so that a copy of `ordo.db` alone carries no key. Today it holds the audit chain's key
 * (`audit.key`); the signing key of the prescriber will live here too.
 *
 * A key file is a small JSON document saying how its secret is protected at rest, so that a reader
 * knows how to open it and a stronger protector can be added without a new format:
 *
 *   {"format":"ordo-key/1","purpose":"audit","id":"…","protector":"plain","sealed":"<base64>"}
 *
 * `plain` (the secret as is, the file readable by its owner only: mode 0600 in a 0700 folder) is
 * the only protector today; the signing issue adds Electron `safeStorage` and a passphrase
 * (scrypt + AES-256-GCM) behind the same `KeyProtector` interface. The `id` is derived from the
 * secret, so a damaged file is told apart from a different key.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from '../fs/durable';

export const KEY_FORMAT = 'ordo-key/1';

/** A protector's refusal, with its French reason; `damaged`: the file will never open (not a wrong passphrase). */
export class ProtectorError extends Error {
  constructor(
    readonly reason: string,
    readonly damaged: boolean,
  ) {
    super(reason);
    this.name = 'ProtectorError';
  }
}

/** How a secret is kept at rest. `seal` and `open` are inverse; `open` throws on a damaged blob. */
export interface KeyProtector {
  /** Written in the key file: the protector a reader needs. */
  readonly name: string;
  seal(secret: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
}

/** The secret as is: the file's permissions are its only protection (docs/security.md). */
export const plainProtector: KeyProtector = {
  name: 'plain',
  seal: (secret) => Buffer.from(secret),
  open: (sealed) => Buffer.from(sealed),
};

export const defaultProtectors: readonly KeyProtector[] = [plainProtector];

export interface StoredKey {
  purpose: string;
  id: string;
  secret: Buffer;
  file: string;
}

export type KeyRead =
  | { state: 'ok'; key: StoredKey }
  | { state: 'missing'; file: string }
  /**
   * The file exists but cannot be used; `reason` is French, for the diagnostic. `damaged`: its
   * content is wrong (not JSON, not a key of this purpose, a secret of the wrong size or id), so
   * it will never be readable; otherwise reading it failed (permissions, a lock held by an
   * antivirus) or its protector cannot open it now, which may pass.
   */
  | { state: 'unreadable'; file: string; reason: string; damaged: boolean };

export function keyStoreDir(dataDir: string): string {
  return join(dataDir, 'keys');
}

export function keyFile(dataDir: string, name: string): string {
  return join(keyStoreDir(dataDir), `${name}.key`);
}

/** 16 hex digits naming a key without revealing it. */
export function keyIdOf(purpose: string, secret: Buffer): string {
  return createHash('sha256').update(`ordo-key-id\0${purpose}\0`).update(secret).digest('hex').slice(0, 16);
}

interface KeyDocument {
  format: string;
  purpose: string;
  id: string;
  protector: string;
  sealed: string;
}

function isKeyDocument(value: unknown): value is KeyDocument {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['format', 'purpose', 'id', 'protector', 'sealed'].every((field) => typeof v[field] === 'string');
}

/** Reads one key file; never throws. `length` is the secret's expected size in bytes. */
export function readKeyFile(file: string, purpose: string, length: number, protectors: readonly KeyProtector[] = defaultProtectors): KeyRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // ENOTDIR: `keys` is not a folder, so there is no key file either.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: 'missing', file };
    return { state: 'unreadable', file, reason: 'le fichier ne peut pas être lu (droits d’accès, ou bloqué par un antivirus ?)', damaged: false };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { state: 'unreadable', file, reason: 'le fichier est endommagé', damaged: true };
  }
  if (!isKeyDocument(document) || document.format !== KEY_FORMAT) return { state: 'unreadable', file, reason: 'le fichier n’est pas une clé d’Ordo', damaged: true };
  if (document.purpose !== purpose) return { state: 'unreadable', file, reason: `le fichier contient une autre clé (« ${document.purpose} »)`, damaged: true };
  const protector = protectors.find((p) => p.name === document.protector);
  // A newer Ordo's protector, or one that cannot open the key now (a keychain locked): not damage.
  if (protector === undefined) return { state: 'unreadable', file, reason: `la clé est protégée d’une manière que cette version d’Ordo ne connaît pas (« ${document.protector} »)`, damaged: false };
  let secret: Buffer;
  try {
    secret = protector.open(Buffer.from(document.sealed, 'base64'));
  } catch (error) {
    if (error instanceof ProtectorError) return { state: 'unreadable', file, reason: error.reason, damaged: error.damaged };
    return { state: 'unreadable', file, reason: 'la clé n’a pas pu être déchiffrée', damaged: false };
  }
  if (secret.length !== length || keyIdOf(purpose, secret) !== document.id) return { state: 'unreadable', file, reason: 'le fichier est endommagé', damaged: true };
  return { state: 'ok', key: { purpose, id: document.id, secret, file } };
}

export function readKey(dataDir: string, name: string, length: number, protectors?: readonly KeyProtector[]): KeyRead {
  return readKeyFile(keyFile(dataDir, name), name, length, protectors);
}

/**
 * Every readable key of one purpose in the store: the current one (`<purpose>.key`) and any other
 * `*.key` file of that purpose a GP put back (an older key, to verify what was made with it).
 */
export function listKeys(dataDir: string, purpose: string, length: number, protectors?: readonly KeyProtector[]): StoredKey[] {
  let names: string[];
  try {
    names = readdirSync(keyStoreDir(dataDir)).filter((name) => name.endsWith('.key'));
  } catch {
    return [];
  }
  const keys: StoredKey[] = [];
  for (const name of names.sort()) {
    const read = readKeyFile(join(keyStoreDir(dataDir), name), purpose, length, protectors);
    if (read.state === 'ok' && !keys.some((k) => k.id === read.key.id)) keys.push(read.key);
  }
  return keys;
}

/**
 * Stores a new key under `<name>.key` unless one exists: written whole to a temporary file
 * (0600, fsync), then hard-linked to its name, which fails if another process created it first.
 * Where hard links do not exist (FAT, exFAT, some network shares), the file is created
 * exclusively instead (`wx`: fails if it exists), written and fsynced in place. Either way it is
 * read back and verified. Returns the key in the store afterwards (ours, or the one that won the
 * race); throws what the file system said when nothing could be stored.
 */
export function createKey(dataDir: string, name: string, secret: Buffer, protector: KeyProtector = plainProtector): KeyRead {
  const dir = keyStoreDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = keyFile(dataDir, name);
  const document: KeyDocument = { format: KEY_FORMAT, purpose: name, id: keyIdOf(name, secret), protector: protector.name, sealed: protector.seal(secret).toString('base64') };
  const content = `${JSON.stringify(document)}\n`;
  const temp = join(dir, `.${name}.${process.pid}.${Date.now()}.${Math.random().toString(16).slice(2)}.tmp`);
  writeSynced(temp, content);
  let linked: boolean;
  try {
    linkSync(temp, file);
    linked = true;
  } catch (error) {
    linked = (error as NodeJS.ErrnoException).code === 'EEXIST';
  } finally {
    unlinkSync(temp);
  }
  if (!linked) {
    try {
      writeSynced(file, content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  fsyncDir(dir);
  return readKeyFile(file, name, secret.length, [protector, ...defaultProtectors]);
}

/** Creates `file` (failing if it exists), writes `content` and fsyncs it. */
function writeSynced(file: string, content: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
