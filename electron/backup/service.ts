/**
 * The backups of one data folder as a service: the list, a backup now, and the daily schedule
 * (at start when today's backup is missing, then checked every quarter of an hour while Ordo
 * runs, so a day change or a night asleep is caught). Backups run one at a time, off the answering
 * thread (a task thread in the app). The last failure is kept to be shown in Réglages.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupInfo, BackupList } from '../../shared/calls/backup';
import { OrdoError, type ErrorCode } from '../../shared/errors';
import type { Clock } from '../clock';
import type { OpenOptions } from '../db/types';
import { createLogger } from '../log';
import type { RunTask } from '../worker/tasks';
import type { BackupArgs, BackupOutcome, BackupTaskResult } from './create';
import { backupsDir, listBackups } from './files';
import { dailyName } from './names';

const log = createLogger('backup');
export const DAILY_CHECK_MS = 15 * 60_000;
/** The first check waits for the start-up work (search index, start-up check) to be done. */
export const FIRST_CHECK_MS = 10_000;

export interface BackupServiceOptions {
  dataDir: string;
  sqlite: OpenOptions;
  clock: Clock;
  runTask: RunTask;
  /** After a backup failed because the database copied is damaged (the supervisor then checks the one in use). */
  onFailure?: (message: string) => void;
}

export interface BackupService {
  readonly folder: string;
  list(database: BackupList['database']): BackupList;
  /** A manual backup now. */
  create(): Promise<BackupInfo>;
  /** Today's daily backup if it is missing (what the schedule runs); null when it was there. */
  daily(): Promise<BackupOutcome | null>;
  /** Starts the schedule (the service worker): first check after `firstMs`, then every `intervalMs`; the returned function stops it. */
  schedule(timing?: { firstMs?: number; intervalMs?: number }): () => void;
  /** Resolves when no backup is running (before the database is closed for a restore). */
  idle(): Promise<void>;
}

export function createBackupService(options: BackupServiceOptions): BackupService {
  const folder = backupsDir(options.dataDir);
  let lastFailure: BackupList['lastFailure'] = null;
  let chain: Promise<unknown> = Promise.resolve();

  /** One backup at a time: each waits for the one before. */
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };

  const fail = (message: string, code: ErrorCode, sourceDamaged: boolean): never => {
    lastFailure = { at: options.clock.now().toISOString(), message };
    // A backup that could not be written (a full disk, a refusal) says nothing of the database in use.
    if (sourceDamaged) options.onFailure?.(message);
    throw new OrdoError(code, message);
  };

  const run = (kind: BackupArgs['kind']) =>
    serialized(async () => {
      const args: BackupArgs = { dataDir: options.dataDir, sqlite: options.sqlite, kind, now: options.clock.now().toISOString() };
      let result: BackupTaskResult;
      try {
        result = await options.runTask<BackupTaskResult>('backup.create', args);
      } catch (error) {
        log.error('backup task failed', { kind, error: error instanceof Error ? error.message : String(error) });
        return fail(error instanceof OrdoError && error.code !== 'INTERNAL' ? error.message : 'La sauvegarde n’a pas pu être faite : la tâche qui l’écrivait s’est arrêtée. Réessayez ; si cela persiste, ouvrez Réglages → Diagnostic.', 'DATABASE_ERROR', false);
      }
      if ('failure' in result) {
        log.error('backup failed', { kind, code: result.failure.code, sourceDamaged: result.failure.sourceDamaged });
        return fail(result.failure.message, result.failure.code, result.failure.sourceDamaged);
      }
      if (result.outcome.written) lastFailure = null;
      return result.outcome;
    });

  const service: BackupService = {
    folder,
    list(database) {
      const backups = listBackups(folder);
      return { dataDir: options.dataDir, folder, backups, last: backups.find((b) => b.kind !== 'before-restore') ?? null, lastFailure, database };
    },
    async create() {
      const outcome = await run('manual');
      if (outcome.info === null) throw new OrdoError('DATABASE_ERROR', 'La sauvegarde a été écrite mais n’apparaît pas dans le dossier des sauvegardes : ouvrez Réglages → Sauvegardes.');
      return outcome.info;
    },
    async daily() {
      if (existsSync(join(folder, dailyName(options.clock.now())))) return null;
      return run('daily');
    },
    schedule({ firstMs = FIRST_CHECK_MS, intervalMs = DAILY_CHECK_MS } = {}) {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const tick = () => {
        if (stopped) return;
        service.daily().catch(() => undefined); // failure kept in lastFailure and logged
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      };
      timer = setTimeout(tick, firstMs);
      timer.unref();
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    },
    idle: () => chain.then(() => undefined),
  };
  return service;
}
