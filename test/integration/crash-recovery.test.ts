/**
 * `kill -9` of `ordo serve` in the middle of a drug update and of a patient import: the next
 * start finds the job its dead process left running and resumes it; it ends once, `ordo doctor`
 * is clean, and the referential in use was at every moment the old one or the new one, never half.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/calls/jobs';
import type { Diagnostic } from '../../shared/calls/app';
import type { DrugStatus } from '../../shared/calls/drugs';
import { diagnoseDataDir } from '../../electron/app';
import { rpc, runOrdo, serveOrdo, type ServedOrdo } from '../support/cli';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { serveDirectory, type StaticServer } from '../support/static-server';
import { writeSyntheticBdpm } from '../support/synthetic-bdpm';
import { tempDir } from '../support/tmp';
import { letterCode } from '../support/names';

const tmp = tempDir('ordo-crash-');
let served: ServedOrdo | undefined;
let server: StaticServer | undefined;
afterEach(async () => {
  await served?.stop();
  served = undefined;
  await server?.close();
  server = undefined;
});
afterAll(() => tmp.remove());

async function value<T>(s: ServedOrdo, name: string, input: unknown = {}): Promise<T> {
  const { body } = await rpc(s, name, input);
  if (!body.ok) throw new Error(`${name}: ${body.error?.code} ${body.error?.message}`);
  return body.value as T;
}

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`not reached in time: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function kill(s: ServedOrdo): Promise<void> {
  return new Promise((resolve) => {
    s.child.once('exit', () => resolve());
    s.child.kill('SIGKILL');
  });
}

describe('a process killed in the middle of a job', { timeout: 240_000 }, () => {
  it('drug update: the referential stays the old one, the next start resumes the job, it ends with the new one', async () => {
    const release = hasSharedData ? join(sharedDataDir, 'bdpm-2019') : join(tmp.dir, 'synthetic');
    if (!hasSharedData) writeSyntheticBdpm(release);
    server = await serveDirectory(release);
    const dataDir = join(tmp.dir, 'drugs');
    served = await serveOrdo(dataDir, { ORDO_BDPM_BASE_URL: server.url });
    const before = await value<DrugStatus>(served, 'drugs.status');
    expect(before.state).toBe('demo');
    const job = await value<Job>(served, 'drugs.update');
    // Killed while it imports (after the download, before the swap).
    await waitFor(
      () => value<Job>(served!, 'jobs.get', { id: job.id }),
      (j) => j.kind === 'drugs.update' && j.progress?.phase === 'import' && j.progress.percent >= 60,
    );
    await kill(served);

    // Dead, mid-import: the installed referential is still the demonstration one, whole.
    const afterKill = diagnoseDataDir(dataDir);
    expect(afterKill).toMatchObject({ integrity: 'ok', audit: { ok: true }, referential: { drugs: 'demo' }, jobs: { active: 1, interrupted: 1 } });

    served = await serveOrdo(dataDir, { ORDO_BDPM_BASE_URL: server.url });
    const ended = await waitFor(
      () => value<Job>(served!, 'jobs.get', { id: job.id }),
      (j) => j.state !== 'running' && j.state !== 'queued',
    );
    expect(ended).toMatchObject({ state: 'done', attempts: 2, result: { rejectedCount: 0 } });
    const status = await waitFor(() => value<DrugStatus>(served!, 'drugs.status'), (s) => s.state === 'real');
    expect(status.counts.specialties).toBe(hasSharedData ? 14_442 : 15_000);
    await served.stop();
    served = undefined;
    const doctor = runOrdo(['doctor', '--data-dir', dataDir]);
    expect(doctor.status).toBe(0);
    expect(JSON.parse(doctor.stdout) as Diagnostic).toMatchObject({ ok: true, referential: { drugs: 'real' }, jobs: { active: 0, interrupted: 0 } });
  });

  it('patient import: rows written before the kill stay, the next start writes the rest, each row once', async () => {
    const dataDir = join(tmp.dir, 'patients');
    served = await serveOrdo(dataDir);
    const count = 30_000;
    const rows = Array.from({ length: count }, (_, i) => `Nom${letterCode(i)};Prénom${String.fromCharCode(97 + (i % 26))};${i % 2 === 0 ? 'F' : 'M'};01/01/1990`);
    const contentBase64 = Buffer.from(['nom;prénoms;sexe;date de naissance', ...rows].join('\n')).toString('base64');
    const job = await value<Job>(served, 'patients.import', { fileName: 'gros.csv', contentBase64 });
    await waitFor(
      () => value<Job>(served!, 'jobs.get', { id: job.id }),
      (j) => j.kind === 'patients.import' && j.progress?.phase === 'writing' && j.progress.done > 2000,
    );
    await kill(served);
    const partial = diagnoseDataDir(dataDir);
    expect(partial).toMatchObject({ ok: true, audit: { ok: true }, jobs: { interrupted: 1 } });

    served = await serveOrdo(dataDir);
    const ended = await waitFor(
      () => value<Job>(served!, 'jobs.get', { id: job.id }),
      (j) => j.state === 'done' || j.state === 'failed',
    );
    expect(ended).toMatchObject({ state: 'done', attempts: 2, result: { imported: count, skipped: 0, errors: [] } });
    const found = await value<{ results: unknown[] }>(served, 'patients.search', { query: `nom${letterCode(count - 1)}` });
    expect(found.results).toHaveLength(1);
    await served.stop();
    served = undefined;
    const doctor = runOrdo(['doctor', '--data-dir', dataDir]);
    expect(doctor.status).toBe(0);
    expect(JSON.parse(doctor.stdout)).toMatchObject({ ok: true, audit: { ok: true }, jobs: { active: 0, interrupted: 0 } });
    // Exactly the rows of the file: none lost, none twice.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(dataDir, 'ordo.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM patients').pluck().get()).toBe(count);
    expect(db.prepare('SELECT count(DISTINCT identity_key) FROM patients').pluck().get()).toBe(count);
    const audited = (db.prepare("SELECT details FROM audit_log WHERE action = 'patients.imported'").pluck().all() as string[]).map((d) => (JSON.parse(d) as { imported: number }).imported);
    expect(audited.reduce((a, b) => a + b, 0)).toBe(count);
    db.close();
  });
});
