/**
 * Where the referential lives on disk. Each import writes a new SQLite file beside the current
 * one; a small pointer file names the file in use and is replaced by an atomic rename, so a
 * reader sees the old referential or the new one, never half of one, and a failed import leaves
 * the pointer untouched. (A pointer rather than renaming over an open database: Windows refuses
 * to replace a file another process has open.)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrdoError } from '../../shared/errors';
import { openSqlite, type Db, type OpenOptions } from '../db/open';
import { pidAlive } from '../jobs/liveness';
import type { Logger } from '../log';
import { fsyncPath } from '../fs/durable';

export type ReferentialKind = 'drugs' | 'interactions';

export const referentialDir = (dataDir: string) => join(dataDir, 'referential');
const pointerPath = (dir: string, kind: ReferentialKind) => join(dir, `${kind}.json`);

/** A fresh, unique file name for the next build of `kind`, e.g. drugs-20261125T233000Z-1a2b3c.sqlite */
export function newBuildName(kind: ReferentialKind, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${kind}-${stamp}-${randomBytes(3).toString('hex')}.sqlite`;
}

/** The file currently in use, or undefined when none was ever installed (or it vanished). */
export function currentFile(dir: string, kind: ReferentialKind): string | undefined {
  let name: unknown;
  try {
    name = (JSON.parse(readFileSync(pointerPath(dir, kind), 'utf8')) as { file?: unknown }).file;
  } catch {
    return undefined;
  }
  if (typeof name !== 'string' || !/^[\w.-]+\.sqlite$/.test(name)) return undefined;
  const file = join(dir, name);
  return existsSync(file) ? file : undefined;
}

/** Changes whenever another process installs a new file; cheap enough to poll. */
export function pointerStamp(dir: string, kind: ReferentialKind): string {
  try {
    const s = statSync(pointerPath(dir, kind));
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return 'none';
  }
}

/**
 * Makes `builtFile` (already complete and closed, in `dir`) the current one: flushed to disk,
 * then the pointer replaced atomically. Returns the previous file so the caller can delete it.
 */
export function installBuild(dir: string, kind: ReferentialKind, builtFile: string, finalName: string): string | undefined {
  const previous = currentFile(dir, kind);
  const finalPath = join(dir, finalName);
  fsyncPath(builtFile);
  renameSync(builtFile, finalPath);
  const tmp = join(dir, `.${kind}.json.${ownerTag()}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(tmp, `${JSON.stringify({ file: finalName })}\n`);
  fsyncPath(tmp);
  renameSync(tmp, pointerPath(dir, kind));
  fsyncPath(dir);
  return previous;
}

/** Best effort: another process may still have the file open (Windows), which is harmless. */
export function removeQuietly(path: string | undefined): void {
  if (path === undefined) return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    try {
      rmSync(`${path}${suffix}`, { force: true, recursive: true });
    } catch {
      // left for the next clean-up
    }
  }
}

/** Past this age a leftover goes whoever made it (a process id reused by another program). */
const LEFTOVER_AGE_MS = 6 * 60 * 60 * 1000;

/**
 * Names of what a build or a download writes before it is complete carry the writer's process
 * id (`p1234`), so that a start-up can tell the leftovers of a killed process from the work of
 * one still running (the CLI while the app runs, or the other way round).
 */
export const ownerTag = (pid = process.pid) => `p${pid}`;
const ownerOf = (name: string): number | undefined => {
  const match = /(?:^|[.-])p(\d+)[.-]/.exec(name);
  return match === null ? undefined : Number(match[1]);
};

/** What a build, a download or a pointer change writes before it is complete. */
const isWorkInProgress = (name: string) => /\.partial$|^download-|^\..*\.tmp$/.test(name);

/**
 * Deletes what killed imports and downloads left behind, and files no pointer names any more.
 *
 * Work in progress (a `.partial` build, a `download-…` folder, a pointer's `.tmp`) goes when the
 * process that wrote it is gone. At the start of the drug service (`atStart`) this process has
 * not begun any build yet, so its own are leftovers too (a worker restarted in the same process),
 * and so are those of an older Ordo whose names carry no process id. During a build, another
 * thread of this process may be writing one: only dead processes' are removed then.
 *
 * Complete files that no pointer names (a previous file Windows kept open, or one renamed by an
 * install a kill stopped before its pointer) go after LEFTOVER_AGE_MS: another process may be
 * between the rename of its build and the write of its pointer right now.
 */
export function cleanLeftovers(dir: string, now: Date, options: { atStart?: boolean } = {}): string[] {
  if (!existsSync(dir)) return [];
  const inUse = new Set([currentFile(dir, 'drugs'), currentFile(dir, 'interactions')]);
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const inProgress = isWorkInProgress(name);
    if (!inProgress && !(/^(drugs|interactions)-.*\.sqlite$/.test(name) && !inUse.has(path))) continue;
    try {
      const old = now.getTime() - statSync(path).mtimeMs > LEFTOVER_AGE_MS;
      let remove = old;
      if (inProgress && !remove) {
        const owner = ownerOf(name);
        if (owner === undefined || owner === process.pid) remove = options.atStart === true;
        else remove = !pidAlive(owner);
      }
      if (remove) {
        removeQuietly(path);
        removed.push(name);
      }
    } catch {
      // vanished meanwhile
    }
  }
  return removed;
}

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

export interface BuildOptions {
  kind: ReferentialKind;
  dataDir: string;
  sqlite: OpenOptions;
  now: () => Date;
  /** DDL of the new file, and the `user_version` stamped on it once complete. */
  schema: string;
  version: number;
  log: Logger;
  /** Runs after the build is complete and before it is installed: throw to abandon it. */
  beforeInstall?: () => void;
}

export interface Built<T> {
  result: T;
  /** Rows of the `meta` table of the new file. */
  meta: Record<string, string>;
}

/**
 * The one way a referential file (drugs or interactions) is made: a fresh `.partial` file beside
 * the current one, filled by `fill` inside one transaction with no journal and no fsync per commit
 * (nobody reads it until it is complete), stamped, closed, then installed through the pointer and
 * the previous file deleted. Any failure deletes the new file and leaves the current one in use;
 * an unexpected error becomes IMPORT_FAILED (logged), an OrdoError passes through.
 */
export async function buildAndInstall<T>(options: BuildOptions, fill: (db: Db, build: { fileName: string }) => Promise<Built<T>>): Promise<T> {
  const dir = referentialDir(options.dataDir);
  ensureDir(dir);
  cleanLeftovers(dir, options.now());
  const finalName = newBuildName(options.kind, options.now());
  const buildPath = join(dir, `${finalName}.${ownerTag()}.partial`);
  let db: Db | undefined;
  try {
    db = openSqlite(buildPath, options.sqlite);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(options.schema);
    db.exec('BEGIN');
    const { result, meta } = await fill(db, { fileName: finalName });
    const insertMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    for (const [key, value] of Object.entries(meta)) insertMeta.run(key, value);
    db.pragma(`user_version = ${options.version}`);
    db.exec('COMMIT');
    db.pragma('journal_mode = DELETE');
    db.close();
    db = undefined;
    options.beforeInstall?.();
    const previous = installBuild(dir, options.kind, buildPath, finalName);
    if (previous !== undefined) removeQuietly(previous);
    return result;
  } catch (error) {
    if (db?.open === true) db.close();
    removeQuietly(buildPath);
    if (error instanceof OrdoError) throw error;
    options.log.error(`${options.kind} import failed`, { error: error instanceof Error ? error.message : String(error) });
    throw new OrdoError('IMPORT_FAILED');
  }
}
