/**
 * Files that must survive a power cut whole (the audit anchor and keys, the referential's
 * pointer, backups): flushed to the disk before they are renamed into place, and the folder
 * flushed after, so that the rename itself is on disk. A reader sees the old content or the new
 * one, never half of either.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function fsyncDir(dir: string): void {
  // Windows cannot open a folder for fsync; its rename is durable by itself on NTFS.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Flushes a file or a folder to the disk. A file is opened for writing (Windows flushes only
 * through a handle that may write); an error — the disk did not take the data — is thrown.
 */
export function fsyncPath(path: string): void {
  if (statSync(path).isDirectory()) {
    fsyncDir(path);
    return;
  }
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes a small file whole: temporary file, fsync, rename over the old one, folder fsync. */
export function writeFileDurably(file: string, content: string, mode = 0o600): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(16).slice(2)}.tmp`);
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(dirname(file));
}
