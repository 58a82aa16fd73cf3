/**
 * Does Ordo keep answering while it works? `app.info` is polled every 5 ms during three long
 * operations, through the service worker as the app and the host use it (calls relayed over a
 * MessagePort, long work in job, task and search threads), and, as the baseline, through a
 * service worker that runs the same work on its own thread, the one that answers (what moving
 * the services off the window's thread alone would give):
 *
 * - a full BDPM 2019 import (`drugs.update` from a download server on 127.0.0.1, to the swap);
 * - a 40,000-row CSV patient import (`patients.import`, to its report);
 * - the first drug search after a start on the 2019 referential (its index loaded), and after
 *   another process installed it while Ordo ran (the index switched).
 *
 * Plus what a GP saving a patient waits during the CSV import (batches hold the lock a few ms).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Job } from '../../shared/calls/jobs';
import type { Backend } from '../../electron/worker/backend';
import { startServiceWorker } from '../../electron/worker/client';
import { validProfile } from '../support/fixtures';
import { hasSharedData, repoRoot, sharedDataDir } from '../support/paths';
import { writeSyntheticBdpm } from '../support/synthetic-bdpm';
import { tempDir } from '../support/tmp';
import type { BenchRow } from './types';
import { letterCode } from '../support/names';

const POLL_MS = 5;
const CSV_ROWS = 40_000;

/** Round trips of app.info, one every 5 ms (or as soon as the previous answered, if later), until `done` settles. */
async function pollWhile(backend: Backend, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const samples: number[] = [];
  while (!finished) {
    const started = performance.now();
    const result = await backend.call('app.info', {});
    if (!result.ok) throw new Error(`app.info failed: ${result.error.message}`);
    samples.push(performance.now() - started);
    const wait = POLL_MS - (performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
  }
  await done;
  return samples;
}

async function value<T>(backend: Backend, name: string, input: unknown = {}): Promise<T> {
  const result = await backend.call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as T;
}

/** Resolves once the job has ended, through pushed events (no polling of the job itself). */
function ended(backend: Backend, id: number): Promise<Job> {
  return new Promise((resolve, reject) => {
    const off = backend.subscribe((event) => {
      if (event.name !== 'jobs.changed' || event.payload.id !== id) return;
      if (event.payload.state === 'done') {
        off();
        resolve(event.payload);
      } else if (event.payload.state === 'failed' || event.payload.state === 'cancelled') {
        off();
        reject(new Error(event.payload.error?.message ?? 'job failed'));
      }
    });
  });
}

/** A drug update to its end and to the new referential being the one searched. */
async function drugUpdate(backend: Backend): Promise<void> {
  const job = await value<Job>(backend, 'drugs.update');
  await ended(backend, job.id);
  for (;;) {
    const status = await value<{ state: string }>(backend, 'drugs.status');
    if (status.state === 'real') return;
  }
}

function csv(rows: number): string {
  const lines = ['nom;prénoms;sexe;date de naissance;ville'];
  for (let i = 0; i < rows; i++) lines.push(`Nom${letterCode(i)};Prénom${String.fromCharCode(97 + (i % 26))};${i % 2 === 0 ? 'F' : 'M'};${String((i % 28) + 1).padStart(2, '0')}/0${(i % 9) + 1}/19${50 + (i % 50)};Lyon`);
  return Buffer.from(lines.join('\n')).toString('base64');
}

async function patientImport(backend: Backend, content: string, gpWrites?: number[]): Promise<void> {
  const job = await value<Job>(backend, 'patients.import', { fileName: 'patients.csv', contentBase64: content });
  const done = ended(backend, job.id);
  if (gpWrites !== undefined) {
    // Meanwhile a GP saves a patient every 50 ms: how long does the save wait for the import's batches?
    let finished = false;
    void done.finally(() => (finished = true));
    for (let i = 0; !finished; i++) {
      const started = performance.now();
      await value(backend, 'patients.create', { patient: { birthName: `Pendant${letterCode(i)}`, firstNames: 'Import', sex: 'F', birthDate: '01/01/2001' } });
      gpWrites.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  await done;
}

/** Installs the referential of `fromDir` in `toDir` as another process (`ordo import-bdpm`) would: file, then pointer. */
function installReferential(fromDir: string, toDir: string): void {
  const pointer = JSON.parse(readFileSync(join(fromDir, 'referential', 'drugs.json'), 'utf8')) as { file: string };
  copyFileSync(join(fromDir, 'referential', pointer.file), join(toDir, 'referential', pointer.file));
  writeFileSync(join(toDir, 'referential', 'drugs.json.tmp'), JSON.stringify(pointer));
  renameSync(join(toDir, 'referential', 'drugs.json.tmp'), join(toDir, 'referential', 'drugs.json'));
}

/** Searches until the results come from the real release (the switch is done). */
async function firstRealSearch(backend: Backend): Promise<void> {
  for (;;) {
    const result = await value<{ demo: boolean }>(backend, 'drugs.search', { query: 'doli' });
    if (!result.demo) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function downloadServer(dir: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/support/serve-dir-process.ts'), dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`download server exited ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

export async function rows(): Promise<BenchRow[]> {
  const tmp = tempDir('ordo-bench-stall-');
  const release = hasSharedData ? join(sharedDataDir, 'bdpm-2019') : join(tmp.dir, 'synthetic');
  if (!hasSharedData) writeSyntheticBdpm(release);
  const label = hasSharedData ? 'BDPM 2019' : 'synthetic BDPM';
  const server = await downloadServer(release);
  process.env['ORDO_BDPM_BASE_URL'] = server.url;
  const content = csv(CSV_ROWS);
  const out: BenchRow[] = [];
  const row = (name: string, samples: number[], baseline?: string) => out.push({ name, unit: 'ms', samples, ...(baseline === undefined ? {} : { baseline }) });

  try {
    // The service worker, as `ordo serve` and the Electron app run it.
    const workerDir = join(tmp.dir, 'worker');
    const worker = await startServiceWorker({ dataDir: workerDir, mode: 'host' });
    await value(worker, 'profile.save', validProfile);
    await value(worker, 'drugs.status');
    const bdpm = await pollWhile(worker, drugUpdate(worker));
    const gpWrites: number[] = [];
    const patients = await pollWhile(worker, patientImport(worker, content, gpWrites));
    await worker.close();

    const searchDir = join(tmp.dir, 'search');
    cpSync(join(workerDir, 'referential'), join(searchDir, 'referential'), { recursive: true });
    const fresh = await startServiceWorker({ dataDir: searchDir, mode: 'host' });
    const firstSearch = await pollWhile(fresh, value(fresh, 'drugs.search', { query: 'doli' }));
    await fresh.close();
    const switchDir = join(tmp.dir, 'switch');
    const switching = await startServiceWorker({ dataDir: switchDir, mode: 'host' });
    await value(switching, 'drugs.search', { query: 'doli' });
    installReferential(workerDir, switchDir);
    const afterSwitch = await pollWhile(switching, firstRealSearch(switching));
    await switching.close();

    // The baseline: the same work on the thread that answers the calls.
    const inlineDir = join(tmp.dir, 'inline');
    const inline = await startServiceWorker({ dataDir: inlineDir, mode: 'host', threads: false });
    await value(inline, 'drugs.status');
    const bdpmInline = await pollWhile(inline, drugUpdate(inline));
    const patientsInline = await pollWhile(inline, patientImport(inline, content));
    await inline.close();
    const inlineSearchDir = join(tmp.dir, 'inline-search');
    cpSync(join(inlineDir, 'referential'), join(inlineSearchDir, 'referential'), { recursive: true });
    // On the answering thread the index loads while the worker starts, before any call is answered.
    const startedAt = performance.now();
    const searchInline = await startServiceWorker({ dataDir: inlineSearchDir, mode: 'host', threads: false });
    const firstSearchInline = [performance.now() - startedAt, ...(await pollWhile(searchInline, value(searchInline, 'drugs.search', { query: 'doli' })))];
    await searchInline.close();
    const inlineSwitchDir = join(tmp.dir, 'inline-switch');
    const switchingInline = await startServiceWorker({ dataDir: inlineSwitchDir, mode: 'host', threads: false });
    await value(switchingInline, 'drugs.search', { query: 'doli' });
    installReferential(workerDir, inlineSwitchDir);
    const afterSwitchInline = await pollWhile(switchingInline, firstRealSearch(switchingInline));
    await switchingInline.close();

    row(`app.info every 5 ms during a ${label} import, same work on the answering thread`, bdpmInline);
    row(`app.info every 5 ms during a ${label} import, through the service worker`, bdpm, `app.info every 5 ms during a ${label} import, same work on the answering thread`);
    row(`app.info every 5 ms during a ${CSV_ROWS.toLocaleString('en')}-row CSV import, same work on the answering thread`, patientsInline);
    row(`app.info every 5 ms during a ${CSV_ROWS.toLocaleString('en')}-row CSV import, through the service worker`, patients, `app.info every 5 ms during a ${CSV_ROWS.toLocaleString('en')}-row CSV import, same work on the answering thread`);
    row('app.info every 5 ms during the first drug search after start, same work on the answering thread (start-up counted)', firstSearchInline);
    row('app.info every 5 ms during the first drug search after start, through the service worker', firstSearch, 'app.info every 5 ms during the first drug search after start, same work on the answering thread (start-up counted)');
    row('app.info every 5 ms during the first drug search after another process installed a release, same work on the answering thread', afterSwitchInline);
    row(
      'app.info every 5 ms during the first drug search after another process installed a release, through the service worker',
      afterSwitch,
      'app.info every 5 ms during the first drug search after another process installed a release, same work on the answering thread',
    );
    row(`patients.create every 50 ms during the ${CSV_ROWS.toLocaleString('en')}-row CSV import (a GP's write waiting for the batches)`, gpWrites);
  } finally {
    server.stop();
    delete process.env['ORDO_BDPM_BASE_URL'];
    tmp.remove();
  }
  return out;
}
