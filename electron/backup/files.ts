/**
 * The backups folder on disk: where it is, what it holds, the record of each backup's check (a
 * small JSON file beside it), and the file operations that keep a half-written backup from ever
 * looking like one (a temporary name, fsync, then rename).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { BackupInfo } from '../../shared/calls/backup';
import { pidAlive } from '../jobs/liveness';
import { parseBackupName, retention } from './names';

export const BACKUPS_FOLDER = 'backups';

export const backupsDir = (dataDir: string) => join(dataDir, BACKUPS_FOLDER);

import { fsyncPath } from '../fs/durable';

export { fsyncPath };

/** A temporary name in `folder` that no listing takes for a backup, with this process's pid (see removeStaleTemporaries). */
export function temporaryName(folder: string, base: string): string {
  return join(folder, `.${base}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
}

const TEMPORARY = /^\..+\.(\d+)-[0-9a-z]+\.tmp(?:-wal|-shm|-journal)?$/;

/** Temporary files of processes that are gone (a backup killed halfway): removed. */
export function removeStaleTemporaries(folder: string): void {
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder)) {
    const match = TEMPORARY.exec(name);
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && !pidAlive(pid)) rmSync(join(folder, name), { force: true });
  }
}

/** The record of a backup's check, written once the copy passed it. */
export const checkRecordSchema = z.object({
  createdAt: z.string(),
  size: z.number().int().nonnegative(),
  /** The file's mtime when checked: with the size, what the listing compares (cheap); a write in place changes it. */
  mtimeMs: z.number(),
  /** What a restore compares (the whole file read). */
  sha256: z.string(),
  schemaVersion: z.number().int(),
  integrity: z.literal('ok'),
});
export type CheckRecord = z.infer<typeof checkRecordSchema>;

export const checkRecordPath = (file: string) => `${file}.json`;

/** Writes a small file atomically (temporary name, fsync, rename). */
export function writeFileAtomic(file: string, content: string, folder: string): void {
  const tmp = temporaryName(folder, 'record');
  writeFileSync(tmp, content);
  fsyncPath(tmp);
  renameSync(tmp, file);
}

export function readCheckRecord(file: string): CheckRecord | null {
  try {
    const parsed = checkRecordSchema.safeParse(JSON.parse(readFileSync(checkRecordPath(file), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The SHA-256 of a file, read in chunks. */
export function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Every backup of the folder, newest first, each with its kind under the retention rule. */
export function listBackups(folder: string): BackupInfo[] {
  if (!existsSync(folder)) return [];
  const parsed = readdirSync(folder)
    .map(parseBackupName)
    .filter((p) => p !== null);
  const kept = retention(parsed.filter((p) => p.kind === 'daily').map((p) => p.day)).kept;
  const infos: BackupInfo[] = [];
  for (const p of parsed) {
    const file = join(folder, p.name);
    let stat;
    try {
      stat = statSync(file);
    } catch {
      continue; // removed meanwhile
    }
    if (!stat.isFile()) continue;
    const record = readCheckRecord(file);
    // Size and mtime: a page written in place after the check changes the mtime (a restore compares the SHA-256).
    const checked = record !== null && record.size === stat.size && record.mtimeMs === stat.mtimeMs;
    infos.push({
      name: p.name,
      createdAt: checked ? record.createdAt : stat.mtime.toISOString(),
      day: p.day,
      size: stat.size,
      kind: p.kind === 'daily' ? (kept.get(p.day) ?? 'daily') : p.kind,
      check: checked ? 'ok' : 'unchecked',
      schemaVersion: checked ? record.schemaVersion : null,
    });
  }
  return infos.sort((a, b) => (a.createdAt === b.createdAt ? b.name.localeCompare(a.name) : b.createdAt.localeCompare(a.createdAt)));
}

/** Deletes the daily backups the retention rule no longer keeps (and their records); returns their names. */
export function pruneDailyBackups(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const daily = readdirSync(folder)
    .map(parseBackupName)
    .filter((p) => p !== null && p.kind === 'daily');
  const dropped = new Set(retention(daily.map((p) => p!.day)).dropped);
  const removed: string[] = [];
  for (const p of daily) {
    if (!dropped.has(p!.day)) continue;
    const file = join(folder, p!.name);
    rmSync(checkRecordPath(file), { force: true });
    rmSync(file, { force: true });
    removed.push(p!.name);
  }
  if (removed.length > 0) fsyncPath(folder);
  return removed;
}
