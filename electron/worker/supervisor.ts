/**
 * What the service worker runs: the app (createApp) behind a service table that stays the same
 * while the database underneath is closed and opened again.
 *
 * - **Degraded mode.** When ordo.db cannot be opened or migrated (a page overwritten,
 *   `SQLITE_CORRUPT`, « file is not a database »), or the start-up check (`quick_check` in a task
 *   thread) finds it damaged, the app is not started (or is closed): only app.info, app.diagnose and
 *   the backup calls answer, every other call gets DATABASE_ERROR with a French message, and the
 *   window shows the « base endommagée » screen. A call that meets SQLite's « damaged » error
 *   later in the session runs the same check, with the same outcome. A database from a newer Ordo stays a start-up
 *   refusal (nothing to restore: update Ordo).
 * - **Restore.** `backup.restore` (a second one meanwhile gets CONFLICT) waits for a running
 *   backup and for a start-up check still reading the old file, shuts the app down (running jobs go
 *   back to the queue), restores in a task thread (backup/restore.ts), then opens the app again on
 *   the restored database and pushes `database.reopened`. Calls made meanwhile wait for it. The
 *   MessagePort, the events and the window stay: nothing restarts but the database and its services.
 * - **Daily backups** (backup/service.ts) run on the schedule while the database is open.
 */
import { join } from 'node:path';
import type { RestoreResult } from '../../shared/calls/backup';
import { callNames, type CallName } from '../../shared/contract';
import { events, type EventName, type EventPayload, type PushedEvent } from '../../shared/events';
import { OrdoError } from '../../shared/errors';
import type { Diagnostic } from '../../shared/calls/app';
import { createApp, type AppOptions, type OrdoApp } from '../app';
import { backupServices, createBackupService, DAMAGED, fileErrorCause, isDamageError, listBackups, refuseIfHeldByOthers } from '../backup/api';
import { systemClock, type Clock } from '../clock';
import { latestVersion } from '../db/migrate';
import { migrations } from '../db/migrations';
import type { ServiceTable } from '../dispatch';
import { createLogger } from '../log';
import { databasePath } from '../paths';
import { tasks } from '../tasks';
import { APP_VERSION } from '../version';
import { eventFanout, type EventListener } from './backend';
import { taskRunner, type RunTask } from './tasks';

const log = createLogger('supervisor');

export const DAMAGED_CALL_MESSAGE =
  'La base de données d’Ordo n’a pas pu être ouverte : seules les sauvegardes sont accessibles. Restaurez une sauvegarde (Réglages → Sauvegardes, ou l’écran affiché au démarrage).';

export interface SupervisorOptions extends Omit<AppOptions, 'backups' | 'onEvent'> {
  onEvent?: (event: PushedEvent) => void;
  /** Daily backups on the schedule (the service worker; default false), the first check after `firstMs`. */
  dailyBackups?: boolean | { firstMs: number };
  /** The start-up quick_check in a task thread (the service worker; default false). */
  startupCheck?: boolean;
  /** Tests: wraps the task runner (to hold a task's answer). */
  wrapTasks?: (run: RunTask) => RunTask;
}

export interface Supervised {
  /** Stable across reopenings: what dispatch is given. */
  services: ServiceTable;
  /** The app while the database is open, or null (degraded mode). */
  current(): OrdoApp | null;
  /** Why the database is not open (French), or null. */
  problem(): string | null;
  subscribe(listener: EventListener): () => void;
  /** Resolves when the start-up check (if any) has ended: for tests. */
  checked(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The French reason a database could not be opened, from what opening it threw. */
function problemOf(error: unknown): string {
  if (error instanceof Error && error.name === 'SqliteError') {
    const code = (error as Error & { code?: string }).code ?? '';
    if (isDamageError(error)) return DAMAGED;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'La base de données est verrouillée par un autre programme : fermez-le puis relancez Ordo.';
    const cause = fileErrorCause(error, 'ordo.db');
    if (cause !== null) return `La base de données n’a pas pu être ouverte ou mise à jour. ${cause}`;
    // SQLite's own text is English: its code only, for the support.
    return `La base de données n’a pas pu être ouverte ou mise à jour (erreur SQLite ${code || 'inconnue'}).`;
  }
  if (error instanceof OrdoError) return error.message;
  return 'La base de données n’a pas pu être ouverte ou mise à jour.';
}


/** Errors that stay a start-up refusal rather than the degraded mode. */
const isRefusal = (error: unknown) => error instanceof OrdoError && (error.code === 'DATABASE_TOO_NEW' || error.code === 'CONFLICT');

export function superviseApp(options: SupervisorOptions): Supervised {
  const clock: Clock = options.clock ?? systemClock;
  const sqlite = options.sqlite ?? {};
  const threads = options.jobs?.threads ?? true;
  const runTask = (options.wrapTasks ?? ((run: RunTask) => run))(taskRunner(tasks, threads));
  const fanout = eventFanout();
  let app: OrdoApp | null = null;
  let problem: string | null = null;
  let stopSchedule: (() => void) | undefined;
  /** While the database is being closed or reopened, calls wait on this. */
  let transition: Promise<void> | null = null;
  let check: Promise<void> = Promise.resolve();
  /** A restore is under way (from its start to the reopening): a second one gets CONFLICT. */
  let restoring = false;
  /**
   * One more at each open(): a check (or a damaged call) of an earlier opening is about a file that
   * may have been replaced since, and its finding is ignored.
   */
  let generation = 0;
  let closed = false;
  /**
   * The job runner's owner id, new at each reopening, the earlier ones dead: a job a restored
   * database says is running under this worker's id was running when that backup was made.
   */
  const firstOwner = options.jobs?.owner ?? `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const owners: string[] = [];

  const emit = <N extends EventName>(name: N, payload: EventPayload<N>) => {
    const checked = events[name].payload.safeParse(payload);
    if (!checked.success) return;
    const event = { name, payload: checked.data } as PushedEvent;
    options.onEvent?.(event);
    fanout.emit(event);
  };

  const backups = createBackupService({
    dataDir: options.dataDir,
    sqlite,
    clock,
    runTask,
    // A backup that failed may mean the database in use is damaged: check it.
    onFailure: () => {
      if (app !== null && transition === null) check = startupCheck(generation);
    },
  });

  const degradedTable = (): ServiceTable => {
    const refuse = () => {
      throw new OrdoError('DATABASE_ERROR', DAMAGED_CALL_MESSAGE);
    };
    const table = Object.fromEntries(callNames.map((name) => [name, refuse])) as unknown as ServiceTable;
    return {
      ...table,
      'app.info': () => ({ version: APP_VERSION, schemaVersion: latestVersion(migrations), dataDir: options.dataDir, mode: options.mode }),
      'app.diagnose': () => runTask<Diagnostic>('app.diagnose', { dataDir: options.dataDir, sqlite }),
      ...backupServices({ backups, database: () => ({ open: false, problem }), restore, canCreate: false }),
    };
  };

  let table: ServiceTable = degradedTable();

  /** Opens the app on the data folder, or falls back to the degraded mode (refusals are thrown). */
  function open(): void {
    generation += 1;
    try {
      const owner = owners.length === 0 ? firstOwner : `${firstOwner}-r${owners.length}`;
      const deadOwners = [...(options.jobs?.deadOwners ?? []), ...owners];
      owners.push(owner);
      app = createApp({
        ...options,
        jobs: { ...options.jobs, owner, deadOwners },
        onEvent: (event) => {
          options.onEvent?.(event);
          fanout.emit(event);
        },
        backups: { service: backups, restore },
      });
      problem = null;
      table = app.services;
      if (options.dailyBackups === true) stopSchedule = backups.schedule();
      else if (typeof options.dailyBackups === 'object') stopSchedule = backups.schedule(options.dailyBackups);
      if (options.startupCheck === true) check = startupCheck(generation);
    } catch (error) {
      if (isRefusal(error)) throw error;
      log.error('database could not be opened: degraded mode', { error: error instanceof Error ? error.message : String(error) });
      app = null;
      problem = problemOf(error);
      table = degradedTable();
    }
  }

  async function closeApp(): Promise<void> {
    stopSchedule?.();
    stopSchedule = undefined;
    await backups.idle();
    const current = app;
    app = null;
    table = degradedTable();
    if (current !== null) await current.shutdown();
  }

  /** quick_check off the answering thread; a damaged database of `opened` (a generation) closes the app (degraded mode). */
  async function startupCheck(opened: number): Promise<void> {
    let found: string | null;
    try {
      found = await runTask<string | null>('backup.quickCheck', { file: databasePath(options.dataDir), sqlite });
    } catch (error) {
      log.warn('start-up check could not run', { error: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (found === null || opened !== generation || app === null || closed || transition !== null || restoring) return;
    log.error('the database in use is damaged: degraded mode');
    const closing = closeApp().then(() => {
      problem = found;
      emit('database.reopened', { reason: 'damaged', message: found });
    });
    transition = closing.finally(() => {
      transition = null;
    });
    await transition;
  }

  async function restore(name: string): Promise<RestoreResult> {
    if (restoring) throw new OrdoError('CONFLICT', 'Une restauration est déjà en cours.');
    restoring = true;
    try {
      // A damaged database being closed: the restore comes after.
      while (transition !== null) await transition.catch(() => undefined);
      if (closed) throw new OrdoError('SERVICE_UNAVAILABLE', 'Ordo se ferme.');
      return await restoreNow(name);
    } finally {
      restoring = false;
    }
  }

  async function restoreNow(name: string): Promise<RestoreResult> {
    if (!listBackups(backups.folder).some((b) => b.name === name)) throw new OrdoError('NOT_FOUND', `La sauvegarde « ${name} » n’existe pas (ou plus).`);
    // Another process on this folder (the command line, a second Ordo) would keep the old database open.
    refuseIfHeldByOthers(options.dataDir);
    let settle!: () => void;
    transition = new Promise<void>((resolve) => {
      settle = resolve;
    });
    try {
      // A check still reading the file to be replaced ends first (its finding is then ignored).
      await check.catch(() => undefined);
      await closeApp();
      let result: RestoreResult | undefined;
      let failure: unknown;
      try {
        result = await runTask<RestoreResult>('backup.restore', {
          dataDir: options.dataDir,
          sqlite,
          file: join(backups.folder, name),
          now: clock.now().toISOString(),
          actor: 'prescriber',
        });
      } catch (error) {
        failure = error; // nothing was installed, or the restored file is in place: reopen whichever is there
      }
      open();
      if (failure !== undefined) throw failure instanceof Error ? failure : new OrdoError('INTERNAL');
      emit('database.reopened', { reason: 'restored', message: `La sauvegarde « ${name} » a été restaurée ; la base précédente est conservée dans le dossier des sauvegardes.` });
      return result!;
    } finally {
      transition = null;
      settle();
    }
  }

  open();

  const services = Object.fromEntries(
    callNames.map((name: CallName) => [
      name,
      async (input: unknown) => {
        // backup.list answers at once, backup.restore too (a second one gets CONFLICT, see restore());
        // every other call waits for the database to be open again.
        while (transition !== null && name !== 'backup.list' && name !== 'backup.restore') await transition;
        if (closed) throw new OrdoError('SERVICE_UNAVAILABLE', 'Ordo se ferme.');
        const opened = generation;
        try {
          return await (table[name] as (input: unknown) => unknown)(input);
        } catch (error) {
          // Damage found during the session (a page read by this call): the same check as at
          // start, then the degraded mode and the « base endommagée » screen if it is confirmed;
          // not when the database was replaced since the call began (a restore).
          if (isDamageError(error) && opened === generation && app !== null && transition === null) check = startupCheck(opened);
          throw error;
        }
      },
    ]),
  ) as unknown as ServiceTable;

  return {
    services,
    current: () => app,
    problem: () => problem,
    subscribe: (listener) => fanout.subscribe(listener),
    checked: () => check,
    async shutdown() {
      if (closed) return;
      closed = true;
      await closeApp();
    },
  };
}
