/**
 * A GP's writes while another process writes to the same practice database (issue 9, point 8):
 * `ordo patients import` run from a terminal while the app (here the host and its service worker)
 * keeps saving patients. Before, the import's batches held SQLite's lock back to back and the
 * app's saves, waiting in SQLite's busy handler (tries 100 ms apart), failed with DATABASE_ERROR
 * once busy_timeout was spent without finding the lock free.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath } from '../../electron/paths';
import { ordoCommand, rpc } from '../support/cli';
import { startInProcessHost, type InProcessHost } from '../support/host';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';
import { letterCode } from '../support/names';

/** Enough rows for several seconds of writing on a 2-core machine, the whole test under a minute. */
const ROWS = 100_000;
const SAVES_AGAINST_HOLDER = 8;

function csvOf(rows: number): string {
  const lines = ['Nom;Prénoms;Sexe;Date de naissance'];
  for (let i = 0; i < rows; i++) lines.push(`Nom${letterCode(i)};Anne;${i % 2 === 0 ? 'F' : 'M'};${String((i % 28) + 1).padStart(2, '0')}/0${(i % 9) + 1}/19${50 + (i % 50)}`);
  return `${lines.join('\n')}\n`;
}

const gpPatient = (i: number) => ({ patient: { birthName: `Pendant${letterCode(i)}`, firstNames: 'Jeanne', sex: 'F', birthDate: '01/01/2001' } });

let h: InProcessHost;
const tmp = tempDir('ordo-cross-process-');
beforeEach(async () => {
  h = await startInProcessHost();
});
afterEach(async () => {
  await h.close();
});

describe('writes from the app while another process writes', () => {
  it('saves every patient the GP creates during a CLI import in another process, and the import writes every row', { timeout: 120_000 }, async () => {
    const file = join(tmp.dir, 'export.csv');
    writeFileSync(file, csvOf(ROWS));
    const [node, ...pre] = ordoCommand;
    const child = spawn(node, [...pre, 'patients', 'import', file, '--data-dir', h.dataDir], {
      cwd: repoRoot,
      env: { ...process.env, ORDO_LOG: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let writing = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('import enregistrement')) writing = true;
    });
    let running = true;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (status) => resolve(status)));
    void exited.then(() => (running = false));

    // A GP saving a patient every 50 ms, through the host, as long as the import runs.
    const failures: unknown[] = [];
    let created = 0;
    let whileWriting = 0;
    for (let i = 0; running; i++) {
      const duringWrites = writing;
      const { status, body } = await rpc(h, 'patients.create', gpPatient(i));
      if (status === 200 && body.ok) created += 1;
      else failures.push({ i, status, error: body.error });
      if (duringWrites && running) whileWriting += 1;
      await sleep(50);
    }

    expect(await exited, stderr).toBe(0);
    expect(failures).toEqual([]);
    // Not vacuous: saves were made while the import was writing (100,000 rows write for seconds
    // on any machine: a few saves at 50 ms apart, whatever its speed).
    expect(whileWriting).toBeGreaterThanOrEqual(5);
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { rows: number; imported: number; skipped: number };
    expect(report).toMatchObject({ rows: ROWS, imported: ROWS, skipped: 0 });
    expect(h.observer.prepare('SELECT count(*) FROM patients').pluck().get()).toBe(ROWS + created);
  });

  it('saves what the GP creates while another process leaves the write lock free 0.2 ms in 50', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/support/lock-holder-process.ts'), databasePath(h.dataDir), '50', '0.2'], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', () => resolve());
      child.once('exit', (status) => reject(new Error(`lock holder exited with ${status}`)));
    });
    try {
      const results = [];
      for (let i = 0; i < SAVES_AGAINST_HOLDER; i++) {
        const { status, body } = await rpc(h, 'patients.create', gpPatient(i));
        results.push(status === 200 && body.ok ? 'saved' : `${status} ${body.error?.code}`);
      }
      expect(results).toEqual(Array(SAVES_AGAINST_HOLDER).fill('saved'));
    } finally {
      child.stdin.end();
      await exited;
    }
  });
});
