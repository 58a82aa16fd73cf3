/**
 * "Mettre à jour la base des médicaments" through the contract, against a local HTTP server on
 * 127.0.0.1 (never the ANSM): a background job whose progress can be polled, then the import.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DrugStatus, DrugUpdateJob } from '../../shared/calls/drugs';
import { createApp, type OrdoApp } from '../../electron/app';
import { dispatch } from '../../electron/dispatch';
import { demoReferentialDir } from '../../electron/drugs/assets';
import { drugServiceOf } from '../../electron/drugs/calls';
import { createDrugService } from '../../electron/drugs/service';
import { systemClock } from '../../electron/clock';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { serveDirectory, type StaticServer } from '../support/static-server';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-update-');
let app: OrdoApp | undefined;
let server: StaticServer | undefined;
afterEach(async () => {
  app?.close();
  app = undefined;
  await server?.close();
  server = undefined;
});
afterAll(() => tmp.remove());

let n = 0;
function open(): OrdoApp {
  app = createApp({ dataDir: join(tmp.dir, `data-${n++}`), mode: 'host' });
  return app;
}

async function call<T>(a: OrdoApp, name: string, input: unknown = {}): Promise<T> {
  const result = await dispatch(a.services, name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Polls like the settings screen does, keeping every distinct snapshot. */
async function pollUntilSettled(a: OrdoApp): Promise<DrugUpdateJob[]> {
  const seen: DrugUpdateJob[] = [];
  for (;;) {
    const job = await call<DrugUpdateJob>(a, 'drugs.updateProgress');
    if (JSON.stringify(seen.at(-1)) !== JSON.stringify(job)) seen.push(job);
    if (job.state !== 'running') return seen;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('updating the drug database from a download server', { timeout: 60_000 }, () => {
  it('downloads, imports and replaces the demonstration data, with observable progress', async () => {
    const dir = demoReferentialDir()!;
    server = await serveDirectory(dir, { throttleBytesPerSecond: 200_000 });
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    const a = open();
    expect(await call<DrugStatus>(a, 'drugs.status')).toMatchObject({ state: 'demo', downloadUrl: server.url });

    const started = await call<DrugUpdateJob>(a, 'drugs.update');
    expect(started).toMatchObject({ state: 'running', phase: 'download' });
    // A second click while it runs returns the same job, it does not start another.
    expect((await call<DrugUpdateJob>(a, 'drugs.update')).startedAt).toBe(started.startedAt);
    const snapshots = await pollUntilSettled(a);

    const running = snapshots.filter((s) => s.state === 'running');
    expect(running.length).toBeGreaterThan(1);
    expect(running.some((s) => s.phase === 'download' && s.percent > 0 && s.percent < 50)).toBe(true);
    const percents = running.map((s) => s.percent);
    expect(percents).toEqual([...percents].sort((x, y) => x - y));
    const done = snapshots.at(-1)!;
    expect(done).toMatchObject({ state: 'done', percent: 100, error: null, summary: { rejectedCount: 0, missingFiles: [] } });
    expect(server.requests).toEqual(['CIS_bdpm.txt', 'CIS_CIP_bdpm.txt', 'CIS_COMPO_bdpm.txt', 'CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt']);

    const lastModified = new Date(Math.max(...['CIS_bdpm.txt', 'CIS_CPD_bdpm.txt', 'CIS_CIP_bdpm.txt'].map((f) => statSync(join(dir, f)).mtimeMs)));
    const status = await call<DrugStatus>(a, 'drugs.status');
    expect(status).toMatchObject({ state: 'real', releaseDateSource: 'server', source: server.url });
    expect(status.releaseDate).toBe(lastModified.toISOString().slice(0, 10));
    expect((await call<{ demo: boolean }>(a, 'drugs.search', { query: 'amox' })).demo).toBe(false);
  });

  it('reports optional files the server does not have', async () => {
    server = await serveDirectory(demoReferentialDir()!, { missing: ['CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt'] });
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    const a = open();
    await call(a, 'drugs.update');
    const done = (await pollUntilSettled(a)).at(-1)!;
    expect(done).toMatchObject({ state: 'done', summary: { missingFiles: ['CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt'] } });
    expect((await call<DrugStatus>(a, 'drugs.status')).missingFiles).toEqual(['CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt']);
  });

  it('fails with a French message and keeps the previous data when the server is unreachable or refuses', async () => {
    process.env['ORDO_BDPM_BASE_URL'] = 'http://127.0.0.1:9/';
    const a = open();
    const before = await call<DrugStatus>(a, 'drugs.status');
    await call(a, 'drugs.update');
    const failed = (await pollUntilSettled(a)).at(-1)!;
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'NETWORK_ERROR', message: expect.stringContaining('injoignable') } });
    expect(failed.error?.message).toContain('Les données précédentes sont conservées');
    expect(await call<DrugStatus>(a, 'drugs.status')).toEqual(before);

    expect(drugServiceOf(a.context).job.snapshot().state).toBe('failed');
    a.close();

    server = await serveDirectory(demoReferentialDir()!, { failWith: 503 });
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    const b = open();
    await call(b, 'drugs.update');
    expect((await pollUntilSettled(b)).at(-1)).toMatchObject({ state: 'failed', error: { code: 'NETWORK_ERROR', message: expect.stringContaining('HTTP 503') } });
    expect((await call<DrugStatus>(b, 'drugs.status')).state).toBe('demo');
  });

  it('downloads from the address and with the fetch the service is given', async () => {
    const asked: string[] = [];
    const fakeFetch = (url: string) => {
      asked.push(url);
      return Promise.resolve(new Response('nope', { status: 404 }));
    };
    const drugs = createDrugService({ dataDir: join(tmp.dir, `data-${n++}`), clock: systemClock, sqlite: {}, baseUrl: () => 'https://mirror.example/bdpm/', fetch: fakeFetch });
    expect((await drugs.status()).downloadUrl).toBe('https://mirror.example/bdpm/');
    drugs.job.start();
    await drugs.job.settled();
    expect(asked).toEqual(['https://mirror.example/bdpm/CIS_bdpm.txt']);
    expect(drugs.job.snapshot()).toMatchObject({ state: 'failed', error: { code: 'NETWORK_ERROR', message: expect.stringContaining('HTTP 404') } });
    drugs.close();
  });

  it.skipIf(!hasSharedData)('imports the full 2019 release served on 127.0.0.1', async () => {
    server = await serveDirectory(join(sharedDataDir, 'bdpm-2019'));
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    const a = open();
    await call(a, 'drugs.update');
    const snapshots = await pollUntilSettled(a);
    expect(snapshots.some((s) => s.phase === 'import' && s.percent > 50 && s.percent < 100)).toBe(true);
    expect(snapshots.at(-1)).toMatchObject({ state: 'done', summary: { rejectedCount: 0 } });
    expect((await call<DrugStatus>(a, 'drugs.status')).counts.specialties).toBe(14_442);
  }, 120_000);
});
