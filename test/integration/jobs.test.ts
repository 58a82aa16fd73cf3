/**
 * The job runner on a real practice database, with handlers the test controls: one job of a kind
 * at a time, cancellation, retries with backoff, progress, shutdown and recovery of what a dead
 * process left running. The `jobs` table itself refuses what must never be stored.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job, JobOf } from '../../shared/calls/jobs';
import type { Clock } from '../../electron/clock';
import { openDatabase } from '../../electron/db/open';
import type { Db } from '../../electron/db/types';
import { JobStopped, type JobContext, type JobHandler, type JobHandlers } from '../../electron/jobs/kind';
import { saveCheckpoint } from '../../electron/jobs/repository';
import { JobRunner, type RunnerOptions } from '../../electron/jobs/runner';
import { TransientNetworkError } from '../../electron/net';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-jobs-');
let n = 0;
const opened: { db: Db; runners: JobRunner[] }[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) {
    for (const r of o.runners) r.close();
    o.db.close();
  }
});

function database(): { db: Db; dataDir: string } {
  const dataDir = join(tmp.dir, `d${n++}`);
  const db = openDatabase(join(dataDir, 'ordo.db'));
  opened.push({ db, runners: [] });
  return { db, dataDir };
}

/** A clock the test moves by hand. */
function manualClock(iso = '2026-12-02T08:00:00.000Z'): Clock & { advance(ms: number): void } {
  let now = Date.parse(iso);
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

type Gate = { release(result?: unknown): void; fail(error: Error): void; started: Promise<JobContext<'patients.import'>> };

/** A patients.import handler that waits until the test releases it. */
function gatedImports(overrides: Partial<JobHandler<'patients.import'>> = {}) {
  const gates: Gate[] = [];
  const report = { fileName: 'a.csv', encoding: 'utf-8', separator: ';', rows: 0, imported: 0, skipped: 0, ignoredColumns: [], errors: [], errorsTruncated: false } as const;
  const handler: JobHandler<'patients.import'> = {
    kind: 'patients.import',
    maxAttempts: 3,
    recovery: 'resume',
    thread: 'inline',
    run: (ctx) => {
      let started!: (c: JobContext<'patients.import'>) => void;
      const gate = { started: new Promise<JobContext<'patients.import'>>((resolve) => (started = resolve)) } as Gate;
      const done = new Promise<NonNullable<JobOf<'patients.import'>['result']>>((resolve, reject) => {
        gate.release = (result) => resolve((result ?? report) as typeof report & { errors: never[]; ignoredColumns: never[] });
        gate.fail = reject;
        ctx.signal.addEventListener('abort', () => reject(new JobStopped('Import interrompu : 0 patient(s) déjà ajouté(s) sont conservés.', { ...report, fileName: 'partiel.csv' })));
      });
      gates.push(gate);
      started(ctx);
      return done;
    },
    ...overrides,
  };
  return { handler, gates, report };
}

const unusedDrugs: JobHandler<'drugs.update'> = { kind: 'drugs.update', maxAttempts: 1, recovery: 'fail', thread: 'inline', run: () => Promise.reject(new Error('not in these tests')) };
const unusedThesaurus: JobHandler<'interactions.install'> = { kind: 'interactions.install', maxAttempts: 1, recovery: 'fail', thread: 'inline', run: () => Promise.reject(new Error('not in these tests')) };

const unusedOutbox: JobHandler<'outbox.sync'> = { kind: 'outbox.sync', maxAttempts: 1, recovery: 'fail', thread: 'inline', run: () => Promise.reject(new Error('not in these tests')) };

function runner(db: Db, dataDir: string, handlers: Partial<JobHandlers>, options: Partial<RunnerOptions> = {}): { runner: JobRunner; changes: Job[] } {
  const changes: Job[] = [];
  const r = new JobRunner({
    db,
    dataDir,
    sqlite: {},
    clock: options.clock ?? manualClock(),
    handlers: { 'drugs.update': unusedDrugs, 'interactions.install': unusedThesaurus, 'outbox.sync': unusedOutbox, 'patients.import': gatedImports().handler, ...handlers },
    owner: options.owner ?? { id: `test-${n}-${Math.random()}`, pid: process.pid },
    autoRun: true,
    threads: false,
    fetch: () => Promise.reject(new Error('no network in tests')),
    onChange: (job) => changes.push(job),
    ...options,
  });
  opened.at(-1)!.runners.push(r);
  r.start();
  return { runner: r, changes };
}

const input = { fileName: 'a.csv', bytes: 10 };
const until = async (check: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** A job another runner claimed and still shows as running (its process may or may not be alive). */
function leftRunning(
  db: Db,
  holder: { owner: string; pid: number; leaseUntil?: string; attempts?: number; kind?: 'patients.import' | 'drugs.update'; at?: string },
): number {
  const at = holder.at ?? '2026-12-02T07:59:00.000Z';
  const kind = holder.kind ?? 'patients.import';
  return Number(
    db
      .prepare(
        `INSERT INTO jobs (kind, state, input, attempts, max_attempts, owner, owner_pid, lease_until, created_at, started_at, updated_at)
         VALUES (?, 'running', ?, ?, 3, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        kind,
        JSON.stringify(kind === 'drugs.update' ? { source: 'download', baseUrl: 'http://127.0.0.1:9/' } : input),
        holder.attempts ?? 1,
        holder.owner,
        holder.pid,
        holder.leaseUntil ?? '2099-01-01T00:00:00.000Z',
        at,
        at,
        at,
      ).lastInsertRowid,
  );
}

/** The pid of a process that has exited: nothing answers to it any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('the job runner', () => {
  it('runs one job of a kind at a time; the next starts when the first ends', async () => {
    const { db, dataDir } = database();
    const imports = gatedImports();
    const { runner: r } = runner(db, dataDir, { 'patients.import': imports.handler });
    const first = r.submit('patients.import', input);
    const second = r.submit('patients.import', input);
    await until(() => imports.gates.length === 1);
    expect(r.get(first.id).state).toBe('running');
    expect(r.get(second.id).state).toBe('queued');
    imports.gates[0]!.release();
    await r.whenFinished(first.id);
    await until(() => imports.gates.length === 2);
    expect(r.get(second.id).state).toBe('running');
    imports.gates[1]!.release();
    expect(await r.whenFinished(second.id)).toMatchObject({ state: 'done', attempts: 1, result: imports.report, finishedAt: expect.any(String) });
  });

  it('keeps a job of a kind for another process: the database holds one running job per kind', async () => {
    const { db, dataDir } = database();
    const imports = gatedImports();
    const a = runner(db, dataDir, { 'patients.import': imports.handler });
    const first = a.runner.submit('patients.import', input);
    await until(() => imports.gates.length === 1);
    const other = gatedImports();
    const b = runner(db, dataDir, { 'patients.import': other.handler }, { autoRun: false });
    const second = b.runner.submit('patients.import', input);
    await expect(b.runner.run(second.id)).rejects.toThrow(/déjà en cours/);
    expect(other.gates).toHaveLength(0);
    imports.gates[0]!.release();
    await a.runner.whenFinished(first.id);
  });

  it('cancels a waiting job at once, and a running one at its next step with what it kept', async () => {
    const { db, dataDir } = database();
    const imports = gatedImports();
    const { runner: r } = runner(db, dataDir, { 'patients.import': imports.handler });
    const running = r.submit('patients.import', input);
    const waiting = r.submit('patients.import', input);
    await until(() => imports.gates.length === 1);
    expect(r.cancel(waiting.id)).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED', message: 'Action annulée à votre demande.' } });
    expect(r.cancel(running.id)).toMatchObject({ state: 'running', cancelRequested: true });
    expect(await r.whenFinished(running.id)).toMatchObject({
      state: 'cancelled',
      error: { code: 'CANCELLED', message: 'Import interrompu : 0 patient(s) déjà ajouté(s) sont conservés.' },
      result: { fileName: 'partiel.csv' },
    });
    expect(imports.gates).toHaveLength(1);
  });

  it('retries a transient failure after a delay of capped exponential backoff with full jitter', async () => {
    const { db, dataDir } = database();
    const clock = manualClock();
    let runs = 0;
    const flaky = gatedImports({
      retry: { baseMs: 10_000, capMs: 60_000, retryable: (e) => e.transient === true },
      run: () => {
        runs += 1;
        return Promise.reject(new TransientNetworkError('Le serveur est injoignable.'));
      },
    });
    // A short lease: the runner looks at its queue every 50 ms, so moving the clock is enough.
    const { runner: r, changes } = runner(db, dataDir, { 'patients.import': flaky.handler }, { clock, random: () => 0.5, leaseMs: 150 });
    const job = r.submit('patients.import', input);
    await until(() => changes.some((c) => c.state === 'retrying'));
    // First retry: half of min(cap, base × 2^0) = 5 s after the failure.
    expect(r.get(job.id)).toMatchObject({
      state: 'retrying',
      attempts: 1,
      nextRunAt: new Date(clock.now().getTime() + 5000).toISOString(),
      error: { code: 'NETWORK_ERROR', message: 'Le serveur est injoignable.' },
    });
    expect(runs).toBe(1);
    clock.advance(5000);
    await until(() => runs === 2);
    await until(() => r.get(job.id).state === 'retrying');
    // Second retry: half of base × 2 = 10 s.
    expect(r.get(job.id).nextRunAt).toBe(new Date(clock.now().getTime() + 10_000).toISOString());
    clock.advance(10_000);
    // Three attempts in all, then it fails with the last reason.
    expect(await r.whenFinished(job.id)).toMatchObject({ state: 'failed', attempts: 3, error: { code: 'NETWORK_ERROR' } });
  });

  it('a permanent failure is not retried', async () => {
    const { db, dataDir } = database();
    const broken = gatedImports({
      retry: { baseMs: 10, capMs: 10, retryable: (e) => e.transient === true },
      run: () => Promise.reject(new Error('a bug')),
    });
    const { runner: r } = runner(db, dataDir, { 'patients.import': broken.handler });
    const job = r.submit('patients.import', input);
    expect(await r.whenFinished(job.id)).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'INTERNAL', message: expect.stringContaining('erreur inattendue') } });
  });

  it('reports progress as it comes and saves it with the job, for a reload', async () => {
    const { db, dataDir } = database();
    const imports = gatedImports();
    const { runner: r, changes } = runner(db, dataDir, { 'patients.import': imports.handler });
    const job = r.submit('patients.import', input);
    const ctx = await (await until(() => imports.gates.length === 1).then(() => imports.gates[0]!)).started;
    ctx.progress({ phase: 'checking', done: 10, total: 100, percent: 4 });
    expect(r.get(job.id).progress).toEqual({ phase: 'checking', done: 10, total: 100, percent: 4 });
    expect(changes.at(-1)?.progress).toEqual({ phase: 'checking', done: 10, total: 100, percent: 4 });
    expect(JSON.parse(db.prepare('SELECT progress FROM jobs WHERE id = ?').pluck().get(job.id) as string)).toEqual({ phase: 'checking', done: 10, total: 100, percent: 4 });
    imports.gates[0]!.release();
    await r.whenFinished(job.id);
  });

  it('a shutdown puts the running job back in the queue; the next start resumes it from its checkpoint', async () => {
    const { db, dataDir } = database();
    const first = gatedImports();
    const a = runner(db, dataDir, { 'patients.import': first.handler });
    const job = a.runner.submit('patients.import', input);
    const ctx = await (await until(() => first.gates.length === 1).then(() => first.gates[0]!)).started;
    saveCheckpoint(db, job.id, ctx.owner, { phase: 'writing', handled: 42 });
    await a.runner.shutdown(1000);
    expect(a.runner.get(job.id)).toMatchObject({ state: 'queued', attempts: 1 });

    const second = gatedImports();
    const b = runner(db, dataDir, { 'patients.import': second.handler });
    const resumed = await (await until(() => second.gates.length === 1).then(() => second.gates[0]!)).started;
    expect(resumed.checkpoint).toEqual({ phase: 'writing', handled: 42 });
    expect(resumed.attempt).toBe(2);
    second.gates[0]!.release();
    expect(await b.runner.whenFinished(job.id)).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('recovers at start-up a job a dead process left running: resumed, or failed with its reason', async () => {
    const { db, dataDir } = database();
    const pid = deadPid();
    const importId = leftRunning(db, { owner: 'gone', pid });
    const updateId = leftRunning(db, { owner: 'gone', pid, kind: 'drugs.update' });
    const imports = gatedImports();
    const { runner: r } = runner(db, dataDir, { 'patients.import': imports.handler });
    expect(r.get(updateId)).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED', message: 'Interrompu par l’arrêt inattendu d’Ordo. Relancez-le.' } });
    await until(() => imports.gates.length === 1);
    expect(r.get(importId)).toMatchObject({ state: 'running', attempts: 2 });
    imports.gates[0]!.release();
    expect(await r.whenFinished(importId)).toMatchObject({ state: 'done' });
    expect(db.prepare("SELECT count(*) FROM jobs WHERE state = 'running'").pluck().get()).toBe(0);
  });

  it('leaves alone a job another live process holds, until its lease expires', async () => {
    const { db, dataDir } = database();
    const clock = manualClock();
    const lease = new Date(clock.now().getTime() + 15_000).toISOString();
    const id = leftRunning(db, { owner: 'the-other-process', pid: process.ppid, leaseUntil: lease, at: clock.now().toISOString() });
    const imports = gatedImports();
    const { runner: r } = runner(db, dataDir, { 'patients.import': imports.handler }, { clock, leaseMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.get(id).state).toBe('running');
    expect(imports.gates).toHaveLength(0);
    clock.advance(16_000);
    await until(() => imports.gates.length === 1);
    imports.gates[0]!.release();
    expect(await r.whenFinished(id)).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('a job that keeps dying is failed, not resumed for ever', () => {
    const { db, dataDir } = database();
    const id = leftRunning(db, { owner: 'gone', pid: deadPid(), attempts: 3 });
    const { runner: r } = runner(db, dataDir, {});
    expect(r.get(id)).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED', message: 'Interrompu par l’arrêt inattendu d’Ordo à plusieurs reprises. Relancez-le.' } });
  });

  it('the same idempotency key gives the same job; reuseActive gives the one not finished', () => {
    const { db, dataDir } = database();
    const { runner: r } = runner(db, dataDir, {}, { autoRun: false });
    const a = r.submit('patients.import', input, { idempotencyKey: 'k1' });
    expect(r.submit('patients.import', input, { idempotencyKey: 'k1' }).id).toBe(a.id);
    expect(r.submit('patients.import', input, { reuseActive: true }).id).toBe(a.id);
    expect(r.submit('patients.import', input).id).not.toBe(a.id);
    expect(() => r.submit('patients.import', { fileName: 'x' } as never)).toThrow();
  });
});

describe('the jobs table', () => {
  const at = '2026-12-02T08:00:00.000Z';
  const insert = (db: Db, fields: Record<string, unknown>) =>
    db
      .prepare(
        `INSERT INTO jobs (kind, state, input, max_attempts, next_run_at, owner, owner_pid, lease_until, result, error_code, error_message, finished_at, created_at, updated_at)
         VALUES (@kind, @state, @input, 3, @next_run_at, @owner, @owner_pid, @lease_until, @result, @error_code, @error_message, @finished_at, @at, @at)`,
      )
      .run({ kind: 'patients.import', state: 'queued', input: '{}', next_run_at: at, owner: null, owner_pid: null, lease_until: null, result: null, error_code: null, error_message: null, finished_at: null, at, ...fields });

  it('refuses what must never be stored', () => {
    const { db } = database();
    expect(() => insert(db, { state: 'running' })).toThrow(/CHECK/); // running without an owner
    expect(() => insert(db, { state: 'done' })).toThrow(/CHECK/); // done without a result or an end
    expect(() => insert(db, { state: 'failed', finished_at: at })).toThrow(/CHECK/); // failed without a reason
    expect(() => insert(db, { input: 'pas du json' })).toThrow(/CHECK/);
    expect(() => insert(db, { kind: 'DROP TABLE' })).toThrow(/CHECK/);
    expect(() => insert(db, { state: 'queued', next_run_at: null })).toThrow(/CHECK/);
  });

  it('one running job per kind; a finished job never changes again; kind and input are fixed', () => {
    const { db } = database();
    insert(db, { state: 'running', next_run_at: null, owner: 'a', owner_pid: 1, lease_until: at });
    expect(() => insert(db, { state: 'running', next_run_at: null, owner: 'b', owner_pid: 2, lease_until: at })).toThrow(/UNIQUE/);
    const done = Number(insert(db, { state: 'done', next_run_at: null, result: '{}', finished_at: at }).lastInsertRowid);
    expect(() => db.prepare("UPDATE jobs SET state = 'queued', finished_at = NULL, next_run_at = ? WHERE id = ?").run(at, done)).toThrow(/final/);
    const queued = Number(insert(db, {}).lastInsertRowid);
    expect(() => db.prepare("UPDATE jobs SET input = '{\"other\":1}' WHERE id = ?").run(queued)).toThrow(/kind and input/);
  });
});
