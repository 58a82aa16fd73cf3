/**
 * Wires the services for one data folder. The service worker, the one-shot CLI commands and the
 * tests all build Ordo through here, so they run exactly the same code; adapters reach it only
 * through `dispatch` (contract calls) and the few tools below that have no contract call.
 */
import { randomBytes } from 'node:crypto';
import type { RestoreResult } from '../shared/calls/backup';
import type { Job } from '../shared/calls/jobs';
import { isActiveJobState } from '../shared/jobs';
import { OrdoError } from '../shared/errors';
import { events, type EventName, type EventPayload, type PushedEvent } from '../shared/events';
import { systemClock, type Clock } from './clock';
import { backupServices, createBackup, createBackupService, holdDataDir, restoreBackup, type BackupOutcome, type BackupService } from './backup/api';
import type { AppContext } from './context';
import { diagnose } from './diagnostic/diagnose';
import { dispatch, type ServiceTable } from './dispatch';
import { openDatabase } from './db/open';
import type { Db, OpenOptions } from './db/types';
import { ruleSetProvider } from './drugs/api';
import { allowSmallRelease, drugServiceOf, drugServices } from './drugs/calls';
import type { InteractionImportSummary } from './drugs/interactions-import';
import { interactionServices } from './drugs/interactions-calls';
import { jobHandlers } from './job-kinds';
import { jobServices } from './jobs/calls';
import { JobRunner } from './jobs/runner';
import { createLogger } from './log';
import { globalFetch, type Fetch } from './net';
import { databasePath } from './paths';
import { patientServices } from './patients/calls';
import { fillDemoPatients } from './patients/demo';
import { prescriptionServices } from './prescriptions/calls';
import { createOutboxService, drainOutbox, isOutboxJob, outboxServices, type DrainSummary, type OutboxService } from './outbox/api';
import { seedDemo, type DemoPrescription } from './demo/seed';
import { qrCodesInPdf, type QrRead } from './pdf/read-qr';
import type { Printer } from './prescriptions/print';
import { prescriptionOfRx } from './prescriptions/repository';
import { interactionRulesOf } from './prescriptions/interaction-rules';
import { keyServices } from './keys/calls';
import { passphraseKeyProvider, verificationKeys, type SigningKeyProvider } from './keys/signing-key';
import { verifyPayload, type SealCheck } from './signing/seal';
import { appServices } from './profile/calls';
import { tasks } from './tasks';
import { eventFanout, type Backend, type EventListener } from './worker/backend';
import { taskRunner } from './worker/tasks';

const log = createLogger('app');

export interface AppOptions {
  dataDir: string;
  mode: 'electron' | 'host';
  clock?: Clock;
  sqlite?: OpenOptions;
  /** Where pushed events go besides `subscribe` (the service worker posts them to the adapter). */
  onEvent?: (event: PushedEvent) => void;
  jobs?: {
    /** Take due jobs by itself (the service worker); otherwise only `jobs.run` runs one (the CLI). */
    autoRun?: boolean;
    /** Long jobs and tasks in threads of their own (default), or all inline (tests, the CLI). */
    threads?: boolean;
    owner?: string;
    deadOwners?: readonly string[];
    random?: () => number;
    leaseMs?: number;
    /** The write gate's shared memory (db/write-gate.ts), handed to job threads. */
    writeGate?: SharedArrayBuffer;
  };
  fetch?: Fetch;
  /** The prescriber's signing key (default: sealed by the passphrase of ORDO_KEY_PASSPHRASE, keys/signing-key.ts). */
  signingKey?: SigningKeyProvider;
  /** The OS print dialog on a PDF file (the Electron shell); absent, the window downloads the PDF. */
  printer?: Printer;
  /** The backups (the service worker's supervisor passes its own, which outlives a reopen, and the restore that reopens). */
  backups?: {
    service?: BackupService;
    restore?: (name: string) => Promise<RestoreResult>;
  };
}

export interface OrdoApp {
  db: Db;
  context: AppContext;
  services: ServiceTable;
  jobs: JobRunner;
  subscribe(listener: EventListener): () => void;
  /** What the CLI does that no contract call does (a local folder, a register to fill). */
  tools: {
    importBdpmFolder(dir: string, releaseDate: string | null, allowances?: { allowPartial?: boolean; allowSmallRelease?: boolean }): Promise<Job>;
    importInteractions(dir: string): Promise<InteractionImportSummary>;
    fillDemoPatients(count: number, seed: number): number;
    /** A signed QR code checked against this data folder's public keys and those of `keyDirs` (`ordo verify --keys`). */
    verifyCode(code: string, keyDirs: readonly string[]): SealCheck;
    /** The prescription signed here under a legal id (`ordo pdf 01S2…`), or null. */
    prescriptionOfRx(rxId: string): number | null;
    /** `ordo demo-seed`: the demo profile, patients and five signed prescriptions in a new data folder. */
    demoSeed(): Promise<DemoPrescription[]>;
    /** The QR codes printed in a PDF file (`ordo verify FILE.pdf`). */
    readQrCodes(pdf: string): Promise<QrRead>;
    /** `ordo outbox drain`: syncs the outbox in this process until nothing more can be sent now. */
    drainOutbox(options: { endpointUrl?: string; signal?: AbortSignal; onProgress?: (p: { done: number; total: number }) => void }): Promise<DrainSummary>;
  };
  /** Stops at once: running jobs are released and resumed at the next start. */
  close(): void;
  /** A clean shutdown: running jobs are asked to stop first. */
  shutdown(): Promise<void>;
}

export function createApp(options: AppOptions): OrdoApp {
  const sqlite = options.sqlite ?? {};
  const clock = options.clock ?? systemClock;
  const jobOptions = options.jobs ?? {};
  const threads = jobOptions.threads ?? true;
  const fetch = options.fetch ?? globalFetch;
  // Marks the folder as held (a restore from the command line refuses meanwhile), then opens it.
  const releaseDataDir = holdDataDir(options.dataDir, 'app', options.mode, clock.now());
  let db: Db;
  try {
    db = openDatabase(databasePath(options.dataDir), sqlite, { now: clock.now() });
  } catch (error) {
    releaseDataDir();
    throw error;
  }
  const disposers: (() => void)[] = [releaseDataDir];
  const fanout = eventFanout();

  const emit = <N extends EventName>(name: N, payload: EventPayload<N>) => {
    const checked = events[name].payload.safeParse(payload);
    if (!checked.success) {
      log.error('event payload does not match the contract: not sent', { event: name });
      return;
    }
    const event = { name, payload: checked.data } as PushedEvent;
    options.onEvent?.(event);
    fanout.emit(event);
  };

  const jobs = new JobRunner({
    db,
    dataDir: options.dataDir,
    sqlite,
    clock,
    handlers: jobHandlers,
    owner: { id: jobOptions.owner ?? `${process.pid}-${randomBytes(4).toString('hex')}`, pid: process.pid },
    deadOwners: jobOptions.deadOwners ?? [],
    autoRun: jobOptions.autoRun ?? false,
    threads,
    fetch,
    ...(jobOptions.random === undefined ? {} : { random: jobOptions.random }),
    ...(jobOptions.leaseMs === undefined ? {} : { leaseMs: jobOptions.leaseMs }),
    ...(jobOptions.writeGate === undefined ? {} : { writeGate: jobOptions.writeGate }),
    onChange: (job) => {
      emit('jobs.changed', job);
      afterJobChange(context, job);
      // The Envois screen and the badge follow the sync (its progress at most a few times a second).
      if (isOutboxJob(job)) {
        emit('outbox.changed', { count: outbox.attention() });
        outbox.jobChanged(job);
      }
    },
  });

  const context: AppContext = {
    db,
    dataDir: options.dataDir,
    mode: options.mode,
    clock,
    sqlite,
    jobs,
    threads,
    runTask: taskRunner(tasks, threads),
    fetch,
    emit,
    onClose: (dispose) => disposers.push(dispose),
  };
  // One provider for signing and for the key export: the key is opened (and cached) once.
  const signingKey = options.signingKey ?? passphraseKeyProvider(options.dataDir);
  const outbox: OutboxService = createOutboxService(context);
  const prescriptionTable = prescriptionServices(
    context,
    drugServiceOf(context),
    interactionRulesOf(ruleSetProvider({ dataDir: options.dataDir, sqlite, now: () => clock.now(), installed: () => drugServiceOf(context).rules() })),
    signingKey,
    options.printer,
  );
  // A signature or a cancellation writes outbox rows: the app (not a one-shot command) starts their sync.
  const thenSync =
    <I, O>(call: (input: I) => O | Promise<O>) =>
    async (input: I): Promise<O> => {
      const result = await call(input);
      if (jobOptions.autoRun === true) outbox.kick();
      return result;
    };
  const services: ServiceTable = {
    ...appServices(context),
    ...drugServices(context),
    ...interactionServices(context),
    ...patientServices(context),
    ...prescriptionTable,
    'prescriptions.sign': thenSync(prescriptionTable['prescriptions.sign']),
    'prescriptions.cancel': thenSync(prescriptionTable['prescriptions.cancel']),
    ...outboxServices(outbox),
    ...keyServices(context, signingKey),
    ...jobServices(context),
    ...backupServices({
      backups: options.backups?.service ?? createBackupService({ dataDir: options.dataDir, sqlite, clock, runTask: context.runTask }),
      database: () => ({ open: true, problem: null }),
      restore: options.backups?.restore,
      canCreate: true,
    }),
  };

  try {
    jobs.start();
  } catch (error) {
    db.close();
    releaseDataDir();
    throw error;
  }
  if (jobOptions.autoRun === true) {
    drugServiceOf(context).warmUp();
    // What an earlier run left to send starts at launch (the window asks again when the network comes back).
    outbox.kick();
  }

  let closed = false;
  const closeAll = () => {
    if (closed) return;
    closed = true;
    for (const dispose of disposers.reverse()) dispose();
    db.close();
  };

  return {
    db,
    context,
    services,
    jobs,
    subscribe: (listener) => fanout.subscribe(listener),
    tools: {
      async importBdpmFolder(dir, releaseDate, allowances = {}) {
        const job = jobs.submit('drugs.update', {
          source: 'folder',
          dir,
          releaseDate,
          ...(allowances.allowPartial === true ? { allowPartial: true } : {}),
          // ORDO_BDPM_ALLOW_SMALL_RELEASE (the test releases), read where Réglages' updates read it.
          ...((allowances.allowSmallRelease ?? allowSmallRelease()) ? { allowSmallRelease: true } : {}),
        });
        return jobs.run(job.id);
      },
      async importInteractions(dir) {
        // The same job as Réglages; names matched against the referential in use (the demonstration one at first).
        await drugServiceOf(context).ready();
        const job = await jobs.run(jobs.submit('interactions.install', { source: 'path', path: dir }).id);
        if (job.kind !== 'interactions.install' || job.state !== 'done' || job.result === null) throw new OrdoError('IMPORT_FAILED', job.error?.message);
        return job.result;
      },
      verifyCode: (code, keyDirs) => verifyPayload(code, verificationKeys(options.dataDir, keyDirs)),
      prescriptionOfRx: (rxId) => prescriptionOfRx(db, rxId),
      readQrCodes: qrCodesInPdf,
      drainOutbox: (drain) => drainOutbox(db, clock, drain),
      demoSeed: () => seedDemo(services, clock.now()),
      fillDemoPatients: (count, seed) => {
        const created = fillDemoPatients(db, clock.now(), count, seed);
        emit('patients.changed', { ids: [], count: created });
        return created;
      },
    },
    close() {
      if (closed) return;
      jobs.close();
      closeAll();
    },
    async shutdown() {
      if (closed) return;
      await jobs.shutdown();
      closeAll();
    },
  };
}

/** What the end of a job changes elsewhere: the referential it installed, the patients it added. */
function afterJobChange(ctx: AppContext, job: Job): void {
  if (isActiveJobState(job.state)) return;
  if (job.kind === 'drugs.update' && job.state === 'done') void drugServiceOf(ctx).installed();
  if (job.kind === 'patients.import' && (job.result?.imported ?? 0) > 0) ctx.emit('patients.changed', { ids: [], count: job.result?.imported ?? 0 });
}

/** The same service table in this thread (tests, benchmarks, one-shot CLI commands). */
export function inProcessBackend(app: OrdoApp): Backend {
  return {
    call: (name, input) => dispatch(app.services, name, input),
    subscribe: (listener) => app.subscribe(listener),
  };
}

/** `ordo doctor`: the diagnostic of a data folder, read-only. */
export function diagnoseDataDir(dataDir: string, sqlite: OpenOptions = {}) {
  return diagnose({ dataDir, sqlite });
}

/** `ordo backup`: a checked backup of the data folder's database, online (the app may be running). */
export function backupDataDir(dataDir: string, options: { out?: string; sqlite?: OpenOptions; clock?: Clock } = {}): Promise<BackupOutcome> {
  const now = (options.clock ?? systemClock).now().toISOString();
  return createBackup({ dataDir, sqlite: options.sqlite ?? {}, kind: 'manual', now, ...(options.out === undefined ? {} : { out: options.out }) });
}

/** `ordo restore FILE`: refused while another process holds the folder (see backup/in-use.ts). */
export function restoreDataDir(dataDir: string, file: string, options: { sqlite?: OpenOptions; clock?: Clock } = {}): Promise<RestoreResult> {
  return restoreBackup({ dataDir, sqlite: options.sqlite ?? {}, file, now: (options.clock ?? systemClock).now().toISOString(), actor: 'cli' });
}
