/**
 * "Mettre à jour la base des médicaments" through the contract, against a local HTTP server on
 * 127.0.0.1 (never the ANSM): a durable job whose progress arrives as events, retried with
 * backoff on network errors, then the import; a release lacking files only on confirmation, a
 * redirect only to an address the setting would accept, and every install in the audit log.
 *
 * The embedded sample (45 specialties) stands for a release here: ORDO_BDPM_ALLOW_SMALL_RELEASE
 * lets it replace the demonstration data, except in the test of that very rule.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DrugDetail, DrugSearchResult, DrugStatus, DrugUpdateJob } from '../../shared/calls/drugs';
import type { InteractionInstallJob } from '../../shared/calls/interactions';
import { createApp, type AppOptions, type OrdoApp } from '../../electron/app';
import { dispatch } from '../../electron/dispatch';
import { demoReferentialDir } from '../../electron/drugs/assets';
import type { Fetch } from '../../electron/net';
import { verifyAudit } from '../../electron/audit/audit';
import { referentialDir } from '../../electron/drugs/files';
import { importRelease } from '../../electron/drugs/import';
import { recordSwappedInstall, referentialInstallEntry, writePendingAudit, type InstallAudit, type PendingAudit } from '../../electron/drugs/install-audit';
import { OrdoError } from '../../shared/errors';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { serveDirectory, type StaticServer } from '../support/static-server';
import { syntheticEdgeCases as edge, writeSyntheticBdpm } from '../support/synthetic-bdpm';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-update-');
let app: OrdoApp | undefined;
let server: StaticServer | undefined;
beforeEach(() => {
  process.env['ORDO_BDPM_ALLOW_SMALL_RELEASE'] = '1';
});
afterEach(async () => {
  await app?.shutdown();
  app = undefined;
  await server?.close();
  server = undefined;
  delete process.env['ORDO_BDPM_BASE_URL'];
  delete process.env['ORDO_BDPM_ALLOW_SMALL_RELEASE'];
});
afterAll(() => tmp.remove());

let n = 0;
/** The app as the service worker builds it: jobs run by themselves; inline unless `threads`. */
function open(options: Partial<AppOptions> = {}, threads = false): OrdoApp {
  app = createApp({ dataDir: join(tmp.dir, `data-${n++}`), mode: 'host', ...options, jobs: { autoRun: true, threads, ...options.jobs } });
  return app;
}

async function call<T>(a: OrdoApp, name: string, input: unknown = {}): Promise<T> {
  const result = await dispatch(a.services, name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Starts the update and keeps every snapshot the events carried, until it ends. */
async function runUpdate(a: OrdoApp): Promise<DrugUpdateJob[]> {
  const seen: DrugUpdateJob[] = [];
  const off = a.subscribe((event) => {
    if (event.name === 'jobs.changed' && event.payload.kind === 'drugs.update') seen.push(event.payload);
  });
  const started = await call<DrugUpdateJob>(a, 'drugs.update');
  await a.jobs.whenFinished(started.id);
  off();
  return seen;
}

describe('updating the drug database from a download server', { timeout: 60_000 }, () => {
  it('downloads, imports and replaces the demonstration data, with progress pushed as events', async () => {
    const dir = demoReferentialDir()!;
    server = await serveDirectory(dir, { throttleBytesPerSecond: 200_000 });
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    const a = open();
    expect(await call<DrugStatus>(a, 'drugs.status')).toMatchObject({ state: 'demo', downloadUrl: server.url });

    const seen: DrugUpdateJob[] = [];
    a.subscribe((event) => {
      if (event.name === 'jobs.changed' && event.payload.kind === 'drugs.update') seen.push(event.payload);
    });
    const started = await call<DrugUpdateJob>(a, 'drugs.update');
    expect(started).toMatchObject({ kind: 'drugs.update', state: 'queued', input: { source: 'download', baseUrl: server.url } });
    // A second click while it is not finished returns the same job, it does not start another.
    expect((await call<DrugUpdateJob>(a, 'drugs.update')).id).toBe(started.id);
    const done = await a.jobs.whenFinished(started.id);

    const running = seen.filter((s) => s.state === 'running' && s.progress !== null);
    expect(running.length).toBeGreaterThan(1);
    expect(running.some((s) => s.progress?.phase === 'download' && s.progress.percent > 0 && s.progress.percent < 50)).toBe(true);
    const percents = running.map((s) => s.progress!.percent);
    expect(percents).toEqual([...percents].sort((x, y) => x - y));
    expect(done).toMatchObject({ state: 'done', attempts: 1, error: null, result: { rejectedCount: 0, missingFiles: [] } });
    expect(server.requests).toEqual(['CIS_bdpm.txt', 'CIS_CIP_bdpm.txt', 'CIS_COMPO_bdpm.txt', 'CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt']);

    const lastModified = new Date(Math.max(...['CIS_bdpm.txt', 'CIS_CPD_bdpm.txt', 'CIS_CIP_bdpm.txt'].map((f) => statSync(join(dir, f)).mtimeMs)));
    const status = await call<DrugStatus>(a, 'drugs.status');
    expect(status).toMatchObject({ state: 'real', releaseDateSource: 'server', source: server.url });
    expect(status.releaseDate).toBe(lastModified.toISOString().slice(0, 10));
    expect((await call<{ demo: boolean }>(a, 'drugs.search', { query: 'amox' })).demo).toBe(false);
    // The job stays readable where a reload of the window looks for it.
    expect(await call(a, 'jobs.list', { kind: 'drugs.update', limit: 1 })).toEqual({ jobs: [done] });
  });

  it('refuses a release the server lacks optional files of, then imports it on confirmation and says what is missing', async () => {
    server = await serveDirectory(demoReferentialDir()!, { missing: ['CIS_COMPO_bdpm.txt', 'CIS_CPD_bdpm.txt'] });
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    const a = open();
    const refused = (await runUpdate(a)).at(-1)!;
    expect(refused).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'NEEDS_CONFIRMATION' } });
    expect(refused.error?.message).toBe(
      'Version incomplète, fichiers absents : CIS_COMPO_bdpm.txt (compositions), CIS_CPD_bdpm.txt (conditions de prescription). Une telle version n’est importée que sur confirmation, et la base serait alors partielle (compositions absentes, conditions de prescription absentes). Les données précédentes sont conservées.',
    );
    expect(await call<DrugStatus>(a, 'drugs.status')).toMatchObject({ state: 'demo', missingParts: [] });

    // « Importer quand même (base partielle) »
    const confirmed = await call<DrugUpdateJob>(a, 'drugs.update', { allowPartial: true });
    expect(confirmed.input).toMatchObject({ source: 'download', allowPartial: true });
    const done = await a.jobs.whenFinished(confirmed.id);
    expect(done).toMatchObject({ state: 'done', result: { missingFiles: ['CIS_COMPO_bdpm.txt', 'CIS_CPD_bdpm.txt'] } });
    expect(await call<DrugStatus>(a, 'drugs.status')).toMatchObject({
      state: 'real',
      missingFiles: ['CIS_COMPO_bdpm.txt', 'CIS_CPD_bdpm.txt'],
      missingParts: ['compositions', 'conditions'],
    });
    const cis = (await call<DrugSearchResult>(a, 'drugs.search', { query: 'amox' })).groups[0]!.items[0]!.cis;
    expect(await call<DrugDetail>(a, 'drugs.get', { cis })).toMatchObject({ composition: [], conditions: [], missingParts: ['compositions', 'conditions'] });
  });

  it('refuses a release of a few dozen specialties in place of the demonstration data, unless told it is a test release', async () => {
    delete process.env['ORDO_BDPM_ALLOW_SMALL_RELEASE'];
    server = await serveDirectory(demoReferentialDir()!);
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    const a = open();
    const failed = (await runUpdate(a)).at(-1)!;
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'IMPORT_FAILED', message: expect.stringMatching(/^Cette version ne compte que \d+ spécialités .* n’est pas installée\. Les données précédentes sont conservées\.$/) } });
    expect((await call<DrugStatus>(a, 'drugs.status')).state).toBe('demo');
  });

  it('retries a network failure with backoff, then succeeds; the previous data meanwhile stays', async () => {
    server = await serveDirectory(demoReferentialDir()!, { failFirst: 2 });
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    // random() = 0: full jitter then waits no time at all, so the test does not wait 30 s.
    const a = open({ jobs: { random: () => 0 } });
    const before = await call<DrugStatus>(a, 'drugs.status');
    const seen = await runUpdate(a);
    const retrying = seen.filter((s) => s.state === 'retrying');
    expect(retrying.map((s) => s.attempts)).toEqual([1, 2]);
    expect(retrying[0]).toMatchObject({ error: { code: 'NETWORK_ERROR', message: expect.stringContaining('HTTP 503') }, nextRunAt: expect.any(String) });
    expect(seen.at(-1)).toMatchObject({ state: 'done', attempts: 3, error: null });
    expect(before.state).toBe('demo');
    expect((await call<DrugStatus>(a, 'drugs.status')).state).toBe('real');
  });

  it('fails with a French message after its attempts, and keeps the previous data', async () => {
    process.env['ORDO_BDPM_BASE_URL'] = 'http://127.0.0.1:9/';
    const a = open({ jobs: { random: () => 0 } });
    const before = await call<DrugStatus>(a, 'drugs.status');
    const failed = (await runUpdate(a)).at(-1)!;
    expect(failed).toMatchObject({ state: 'failed', attempts: 5, error: { code: 'NETWORK_ERROR', message: expect.stringContaining('injoignable') } });
    expect(failed.error?.message).toContain('Les données précédentes sont conservées');
    expect(await call<DrugStatus>(a, 'drugs.status')).toEqual(before);
  });

  it('a broken release is not retried', async () => {
    server = await serveDirectory(demoReferentialDir()!, { missing: ['CIS_bdpm.txt'] });
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    const a = open({ jobs: { random: () => 0 } });
    const failed = (await runUpdate(a)).at(-1)!;
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect((await call<DrugStatus>(a, 'drugs.status')).state).toBe('demo');
  });

  it('records each install in the audit log: its source, the job, counts and the SHA-256 of each file', async () => {
    const dir = demoReferentialDir()!;
    server = await serveDirectory(dir);
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    const a = open();
    // The demonstration data installed at the first look is an install too.
    expect((await call<DrugStatus>(a, 'drugs.status')).state).toBe('demo');
    const job = (await runUpdate(a)).at(-1)!;
    expect(job.state).toBe('done');
    const rows = a.db.prepare("SELECT actor, action, subject, details FROM audit_log WHERE action = 'drugs.referential.installed' ORDER BY seq").all() as { actor: string; action: string; subject: string; details: string }[];
    expect(rows).toHaveLength(2);
    const [demo, update] = rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
    // The demonstration data is installed by Ordo on its own, the update by the GP.
    expect(demo).toMatchObject({ actor: 'ordo', subject: expect.stringMatching(/^referential:drugs-.*\.sqlite$/), details: { source: 'assets/bdpm-sample', demo: true } });
    expect(readdirSync(join(tmp.dir, `data-${n - 1}`, 'referential')).filter((f) => f.startsWith('pending-audit-'))).toEqual([]);
    const hashes = ['CIS_bdpm.txt', 'CIS_CIP_bdpm.txt', 'CIS_COMPO_bdpm.txt', 'CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt'].map((file) => {
      const bytes = readFileSync(join(dir, file));
      return { file, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, lines: job.result!.files.find((f) => f.file === file)!.lines };
    });
    const imported = (file: string) => job.result!.files.find((f) => f.file === file)!.imported;
    expect(update).toMatchObject({
      actor: 'prescriber',
      details: {
        source: server.url,
        job: job.id,
        demo: false,
        partial: false,
        missingFiles: [],
        releaseDate: job.result!.releaseDate,
        counts: {
          specialties: imported('CIS_bdpm.txt'),
          packs: imported('CIS_CIP_bdpm.txt'),
          compositions: imported('CIS_COMPO_bdpm.txt'),
          genericGroups: imported('CIS_GENER_bdpm.txt'),
          conditions: imported('CIS_CPD_bdpm.txt'),
          rejectedLines: 0,
        },
        files: hashes,
      },
    });
    expect((update!.details['counts'] as { specialties: number }).specialties).toBeGreaterThan(40);
    expect(verifyAudit(a.db).ok).toBe(true);
  });

  it('an install whose audit entry failed, or was cut short by a kill after the swap, gets it at the next start, exactly once', async () => {
    const dataDir = join(tmp.dir, `data-${n++}`);
    // What the update job does up to the swap, then a busy database at each retry (or a kill).
    let pending: { entry: InstallAudit; file: PendingAudit } | undefined;
    const release = await importRelease(demoReferentialDir()!, dataDir, {
      sqlite: {},
      now: () => new Date('2026-11-25T10:00:00Z'),
      source: 'https://miroir.exemple.fr/bdpm/',
      beforeInstall: (built) => {
        const entry = referentialInstallEntry(built, { source: 'https://miroir.exemple.fr/bdpm/', job: 1 });
        pending = { entry, file: writePendingAudit(dataDir, entry, join(referentialDir(dataDir), built.fileName)) };
      },
    });
    const busy = () => {
      throw new OrdoError('SERVICE_UNAVAILABLE', 'occupé');
    };
    expect(await recordSwappedInstall(busy, pending!.entry, pending!.file, 0)).toBe(false);
    expect(existsSync(pending!.file.path)).toBe(true);

    const entries = (a: OrdoApp) =>
      a.db.prepare("SELECT actor, subject, details FROM audit_log WHERE action = 'drugs.referential.installed'").all() as { actor: string; subject: string; details: string }[];
    let a = open({ dataDir });
    expect((await call<DrugStatus>(a, 'drugs.status')).state).toBe('real');
    expect(entries(a)).toHaveLength(1);
    expect(entries(a)[0]).toMatchObject({ actor: 'prescriber', subject: `referential:${release.fileName}` });
    expect(existsSync(pending!.file.path)).toBe(false);
    await a.shutdown();

    // A pending file left again (a kill between the append and its removal) is not appended twice.
    writePendingAudit(dataDir, pending!.entry, join(referentialDir(dataDir), release.fileName));
    a = open({ dataDir });
    await call<DrugStatus>(a, 'drugs.status');
    expect(entries(a)).toHaveLength(1);
    expect(verifyAudit(a.db).ok).toBe(true);
  });

  it('records the install of an interaction thesaurus with its counts and the SHA-256 of each table', async () => {
    const dir = join(tmp.dir, 'thesaurus');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'molecules.txt'), 'WARFARINE\nAMOXICILLINE\n');
    writeFileSync(join(dir, 'molecule-classes.tsv'), 'molecule\tfamille\nWARFARINE\tANTICOAGULANTS ORAUX\n');
    writeFileSync(
      join(dir, 'thesaurus.tsv'),
      "protagoniste1\tprotagoniste2\tdescription_interaction\tdescription_medoc\tmecanisme\tCI\tAD\tPE\tPC\nAMOXICILLINE\tANTICOAGULANTS ORAUX\tA prendre en compte Augmentation de l'effet.\t\tAugmentation de l'effet.\t\t\t\tsurveiller l'INR\n",
    );
    const a = open();
    const started = await call<InteractionInstallJob>(a, 'interactions.install', { source: 'path', path: dir });
    const done = (await a.jobs.whenFinished(started.id)) as InteractionInstallJob;
    expect(done).toMatchObject({ state: 'done', result: { rules: 1 } });
    const row = a.db.prepare("SELECT action, subject, details FROM audit_log WHERE action = 'interactions.thesaurus.installed'").get() as { subject: string; details: string };
    expect(row.subject).toBe(`thesaurus:${done.result!.version}`);
    const sha = (file: string) => createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');
    expect(JSON.parse(row.details)).toEqual({
      install: expect.any(String),
      source: dir,
      job: done.id,
      edition: done.result!.edition,
      counts: { interactions: 1, molecules: done.result!.molecules, classes: 1, rejectedLines: 0 },
      matchedAgainst: done.result!.matchedAgainst,
      unmatchedMolecules: done.result!.unmatchedMolecules.length,
      files: ['thesaurus.tsv', 'molecule-classes.tsv', 'molecules.txt'].map((file) => ({ file, sha256: sha(file) })),
    });
  });

  it('follows a redirect only to an address the setting would accept, and refuses the others without connecting', async () => {
    const dir = demoReferentialDir()!;
    const files = await serveDirectory(dir);
    server = files;
    // Where each file is asked first: `moved/` sends it on to the file server, the others away.
    const targets: Record<string, (file: string) => string> = {
      'moved/': (file) => `${files.url}${file}`,
      'away/': (file) => `http://example.invalid/bdpm/${file}`,
      'plain/': (file) => `http://ordo-test.invalid/${file}`,
      'ftp/': (file) => `ftp://127.0.0.1/${file}`,
      'user/': (file) => `https://jean:secret@example.invalid/${file}`,
    };
    const redirector: Server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.slice(1);
      const prefix = Object.keys(targets).find((p) => path.startsWith(p));
      if (prefix === undefined) return void res.writeHead(404).end();
      res.writeHead(302, { location: targets[prefix]!(path.slice(prefix.length)) }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/`;
    try {
      // Every address Ordo connects to goes through the app's fetch: recorded here.
      const asked: string[] = [];
      const recording: Fetch = (url, init) => {
        asked.push(url);
        return fetch(url, init);
      };
      process.env['ORDO_BDPM_BASE_URL'] = `${base}moved/`;
      let a = open({ fetch: recording });
      expect((await runUpdate(a)).at(-1)).toMatchObject({ state: 'done', result: { rejectedCount: 0 } });
      expect(asked.filter((u) => u.startsWith(files.url))).toHaveLength(5);

      for (const [prefix, shown] of [['away/', 'http://example.invalid/bdpm/CIS_bdpm.txt'], ['plain/', 'http://ordo-test.invalid/CIS_bdpm.txt'], ['ftp/', 'ftp://127.0.0.1/CIS_bdpm.txt'], ['user/', 'https://example.invalid/CIS_bdpm.txt']] as const) {
        await app?.shutdown();
        process.env['ORDO_BDPM_BASE_URL'] = `${base}${prefix}`;
        asked.length = 0;
        a = open({ fetch: recording, jobs: { random: () => 0 } });
        const failed = (await runUpdate(a)).at(-1)!;
        expect(failed, prefix).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'NETWORK_ERROR' } });
        expect(failed.error?.message).toBe(
          `Le serveur de la base des médicaments redirige CIS_bdpm.txt vers une adresse refusée (${shown}) : seule une adresse sécurisée (https://), ou http:// sur ce poste (127.0.0.1, localhost), est suivie. Rien n’a été téléchargé depuis cette adresse. Les données précédentes sont conservées.`,
        );
        // Only the redirecting server was asked, never the address it pointed to.
        expect(asked).toEqual([`${base}${prefix}CIS_bdpm.txt`]);
        expect((await call<DrugStatus>(a, 'drugs.status')).state).toBe('demo');
      }
    } finally {
      redirector.closeAllConnections();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });

  it('downloads with the fetch the app is given', async () => {
    const asked: string[] = [];
    const fakeFetch = (url: string) => {
      asked.push(url);
      return Promise.resolve(new Response('nope', { status: 404 }));
    };
    process.env['ORDO_BDPM_BASE_URL'] = 'https://mirror.example/bdpm/';
    const a = open({ fetch: fakeFetch });
    expect((await call<DrugStatus>(a, 'drugs.status')).downloadUrl).toBe('https://mirror.example/bdpm/');
    const failed = (await runUpdate(a)).at(-1)!;
    expect(asked).toEqual(['https://mirror.example/bdpm/CIS_bdpm.txt']);
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'NETWORK_ERROR', message: expect.stringContaining('HTTP 404') } });
  });

  it('can be cancelled while it downloads; the previous data stays', async () => {
    server = await serveDirectory(demoReferentialDir()!, { throttleBytesPerSecond: 20_000 });
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    const a = open();
    const started = await call<DrugUpdateJob>(a, 'drugs.update');
    await new Promise<void>((resolve) => {
      const off = a.subscribe((event) => {
        if (event.name === 'jobs.changed' && event.payload.state === 'running' && (event.payload.progress?.percent ?? 0) > 0) {
          off();
          resolve();
        }
      });
    });
    expect(await call(a, 'jobs.cancel', { id: started.id })).toMatchObject({ cancelRequested: true });
    expect(await a.jobs.whenFinished(started.id)).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
    expect((await call<DrugStatus>(a, 'drugs.status')).state).toBe('demo');
  });

  it('dates a downloaded release by the server’s Last-Modified, never by a 2924 date inside; its search through the contract', async () => {
    const release = join(tmp.dir, 'synthetic');
    writeSyntheticBdpm(release);
    const published = new Date('2026-11-20T08:00:00Z');
    for (const file of ['CIS_bdpm.txt', 'CIS_CIP_bdpm.txt', 'CIS_COMPO_bdpm.txt', 'CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt']) utimesSync(join(release, file), published, published);
    server = await serveDirectory(release);
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    const a = open();
    expect((await runUpdate(a)).at(-1)).toMatchObject({ state: 'done', result: { releaseDate: '2026-11-20', releaseDateSource: 'server' } });
    const status = await call<DrugStatus>(a, 'drugs.status');
    expect(status).toMatchObject({ state: 'real', releaseDate: '2026-11-20', releaseDateSource: 'server' });

    const search = (query: string, more: Record<string, unknown> = {}) => call<DrugSearchResult>(a, 'drugs.search', { query, limit: 50, ...more });
    const found = async (query: string) => (await search(query)).groups.flatMap((g) => g.items.map((i) => i.cis));
    // « 500 » is a strength: the pack code 5002989 does not put the dental cream first, or at all.
    expect(await found('500')).not.toContain(edge.dentalCream.cis);
    expect((await found('500')).length).toBeGreaterThan(0);
    expect(await found('50029')).toEqual([edge.dentalCream.cis]);
    // « 1 g » is not « bêta-1a »; « µg » is not « g ».
    expect(await found('1 g')).not.toContain(edge.interferon.cis);
    expect(await found('30 µg')).toContain(edge.interferon.cis);
    expect(await found('30 µg')).not.toContain(edge.thirtyGrams.cis);
    expect(await found('30 g')).toContain(edge.thirtyGrams.cis);
    expect(await found('30 g')).not.toContain(edge.interferon.cis);
    // « zeliqua 5 » is 5 mg, before 2,5 mg if that shows at all.
    const zeliqua = await found('zeliqua 5');
    expect(zeliqua[0]).toBe(edge.apixaban5.cis);
    expect(zeliqua.indexOf(edge.apixaban25.cis) === -1 || zeliqua.indexOf(edge.apixaban25.cis) > 0).toBe(true);
    // A CIP13 typed in groups is one code, and the box it names is said.
    const spaced = await search('34009 5002 989');
    expect(spaced.groups.flatMap((g) => g.items)).toEqual([expect.objectContaining({ cis: edge.dentalCream.cis, matchedCode: expect.stringMatching(/^34009500298/) })]);

    // Every group is counted; later pages continue the first; one group lists all its specialties.
    const first = await search('a', { limit: 10 });
    expect(first.groups).toHaveLength(10);
    expect(first.totalGroups).toBeGreaterThan(60);
    const second = await search('a', { limit: 20, offset: 10 });
    expect(second.offset).toBe(10);
    expect(new Set([...first.groups, ...second.groups].map((g) => g.key)).size).toBe(30);
    const big = first.groups.find((g) => g.total > g.items.length)!;
    const whole = await search('a', { group: big.key });
    expect(whole.groups).toHaveLength(1);
    expect(whole.groups[0]!.items).toHaveLength(big.total);
  }, 120_000);

  it.skipIf(!hasSharedData)('imports the full 2019 release served on 127.0.0.1, in a job thread of its own', async () => {
    server = await serveDirectory(join(sharedDataDir, 'bdpm-2019'));
    process.env['ORDO_BDPM_BASE_URL'] = server.url;
    const a = open({}, true);
    const snapshots = await runUpdate(a);
    expect(snapshots.some((s) => s.progress?.phase === 'import' && s.progress.percent > 50 && s.progress.percent < 100)).toBe(true);
    expect(snapshots.at(-1)).toMatchObject({ state: 'done', result: { rejectedCount: 0 } });
    expect((await call<DrugStatus>(a, 'drugs.status')).counts.specialties).toBe(14_442);
  }, 120_000);
});
