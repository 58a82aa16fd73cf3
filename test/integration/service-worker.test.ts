/**
 * The service worker as the adapters use it (electron/worker/client.ts): calls relayed over its
 * MessagePort into `dispatch`, events out, and what happens when it dies or stops answering: the
 * call in flight gets a typed error, the worker comes back, the window is told in French.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { PushedEvent } from '../../shared/events';
import { openSqlite } from '../../electron/db/open';
import { startServiceWorker, type ServiceWorkerClient } from '../../electron/worker/client';
import { validProfile } from '../support/fixtures';
import { tempDir } from '../support/tmp';
import { letterCode } from '../support/names';

const tmp = tempDir('ordo-worker-');
let n = 0;
let client: ServiceWorkerClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});
afterAll(() => tmp.remove());

async function start(options: Partial<Parameters<typeof startServiceWorker>[0]> = {}): Promise<{ client: ServiceWorkerClient; events: PushedEvent[] }> {
  client = await startServiceWorker({ dataDir: join(tmp.dir, `d${n++}`), mode: 'host', faults: true, restartDelaysMs: [50], ...options });
  const events: PushedEvent[] = [];
  client.subscribe((event) => events.push(event));
  return { client, events };
}

const patient = { patient: { birthName: 'Lefèvre', firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980' } };

describe('the service worker', () => {
  it('answers contract calls through dispatch and pushes the events of what they change', async () => {
    const { client: c, events } = await start();
    expect(await c.call('app.info', {})).toMatchObject({ ok: true, value: { mode: 'host' } });
    expect(await c.call('profile.save', { ...validProfile, rpps: '1' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await c.call('nope', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    const created = await c.call('patients.create', patient);
    expect(created.ok).toBe(true);
    await expect.poll(() => events.map((e) => e.name)).toContain('patients.changed');
  });

  it('restarts after a crash: the call in flight gets a typed error, the next ones work, the window is told', async () => {
    const { client: c, events } = await start();
    expect((await c.call('patients.create', patient)).ok).toBe(true);
    c.injectFault('hang', 300);
    c.injectFault('crash');
    const inFlight = c.call('app.info', {});
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'SERVICE_RESTARTED', message: expect.stringContaining('a redémarré') } });
    expect(await c.call('app.info', {})).toMatchObject({ ok: true });
    expect(c.restarts).toBe(1);
    await expect.poll(() => events.find((e) => e.name === 'service.restarted')?.payload).toMatchObject({ restarts: 1, message: expect.stringMatching(/redémarré/) });
    // What was committed before the crash is still there.
    expect(await c.call('patients.search', { query: 'helene' })).toMatchObject({ ok: true, value: { results: [{ birthName: 'Lefèvre' }] } });
  });

  it('a job the dead worker was running is resumed by the new one and ends once', async () => {
    const { client: c, events } = await start();
    const rows = Array.from({ length: 6000 }, (_, i) => `Nom${letterCode(i)};Prénom${String.fromCharCode(97 + (i % 26))};F;01/01/1990`);
    const contentBase64 = Buffer.from(['nom;prénoms;sexe;date de naissance', ...rows].join('\n')).toString('base64');
    const started = await c.call('patients.import', { fileName: 'gros.csv', contentBase64 });
    const id = started.ok ? (started.value as { id: number }).id : 0;
    await expect.poll(() => events.some((e) => e.name === 'jobs.changed' && e.payload.id === id && e.payload.progress?.phase === 'writing')).toBe(true);
    c.injectFault('crash');
    await expect.poll(() => c.restarts).toBe(1);
    await expect
      .poll(async () => {
        const job = await c.call('jobs.get', { id });
        return job.ok ? (job.value as { state: string }).state : 'unknown';
      }, { timeout: 60_000 })
      .toBe('done');
    const job = await c.call('jobs.get', { id });
    expect(job).toMatchObject({ ok: true, value: { state: 'done', attempts: 2, result: { imported: 6000, skipped: 0 } } });
    expect(await c.call('patients.search', { query: `nom${letterCode(5999)}` })).toMatchObject({ ok: true, value: { results: [{ birthName: `Nom${letterCode(5999)}` }] } });
    const diagnostic = await c.call('app.diagnose', {});
    expect(diagnostic).toMatchObject({ ok: true, value: { ok: true, audit: { ok: true }, jobs: { active: 0, interrupted: 0 } } });
  }, 90_000);

  it('restarts a worker that stops answering, rather than letting calls hang', async () => {
    const { client: c } = await start({ heartbeatMs: 50, hangMs: 300 });
    c.injectFault('hang', 5_000);
    const stuck = c.call('app.info', {});
    expect(await stuck).toMatchObject({ ok: false, error: { code: 'SERVICE_RESTARTED' } });
    expect(await c.call('app.info', {})).toMatchObject({ ok: true });
    expect(c.restarts).toBe(1);
  });

  it('a call no worker answers in time gets a typed error', async () => {
    const { client: c } = await start({ callTimeoutMs: 200, heartbeatMs: 60_000 });
    c.injectFault('hang', 1000);
    expect(await c.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('ne répond pas') } });
  });

  it('does not start on a database from a newer Ordo: the French reason, and no restart loop', async () => {
    const dataDir = join(tmp.dir, 'newer');
    const db = openSqlite(join(dataDir, 'ordo.db'));
    db.pragma('user_version = 999');
    db.close();
    await expect(startServiceWorker({ dataDir, mode: 'host' })).rejects.toMatchObject({ code: 'DATABASE_TOO_NEW', message: expect.stringMatching(/version plus récente/) });
  });

  it('closes cleanly: later calls get a typed error', async () => {
    const { client: c } = await start();
    await c.close();
    expect(await c.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'SERVICE_UNAVAILABLE' } });
    client = undefined;
  });
});
