/**
 * What a GP's save waits while another process imports patients: `ordo patients import` of a
 * 100,000-row CSV run beside the service worker (the app, or `ordo serve`), which saves a patient
 * every 50 ms meanwhile. The import's batches leave SQLite's lock free a few ms each
 * (patients/import-job.ts) and the save tries for it every millisecond (db/busy.ts).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServiceWorker } from '../../electron/worker/client';
import { ordoCommand } from '../support/cli';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';
import type { BenchRow } from './types';
import { letterCode } from '../support/names';

const ROWS = 100_000;

export async function rows(): Promise<BenchRow[]> {
  const tmp = tempDir('ordo-bench-cross-');
  try {
    const lines = ['Nom;Prénoms;Sexe;Date de naissance'];
    for (let i = 0; i < ROWS; i++) lines.push(`Nom${letterCode(i)};Anne;${i % 2 === 0 ? 'F' : 'M'};${String((i % 28) + 1).padStart(2, '0')}/0${(i % 9) + 1}/19${50 + (i % 50)}`);
    const file = join(tmp.dir, 'export.csv');
    writeFileSync(file, lines.join('\n'));
    const dataDir = join(tmp.dir, 'data');
    const worker = await startServiceWorker({ dataDir, mode: 'host' });
    await worker.call('app.info', {});

    const [node, ...pre] = ordoCommand;
    const started = performance.now();
    const child = spawn(node, [...pre, 'patients', 'import', file, '--data-dir', dataDir], { cwd: repoRoot, env: { ...process.env, ORDO_LOG: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let writingSince: number | undefined;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      writingSince ??= stderr.includes('import enregistrement') ? performance.now() : undefined;
    });
    let running = true;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (status) => resolve(status)));
    void exited.then(() => (running = false));

    const saves: number[] = [];
    for (let i = 0; running; i++) {
      const writing = writingSince !== undefined;
      const t = performance.now();
      const result = await worker.call('patients.create', { patient: { birthName: `Pendant${letterCode(i)}`, firstNames: 'Jeanne', sex: 'F', birthDate: '01/01/2001' } });
      if (!result.ok) throw new Error(`patients.create failed during the import: ${result.error.code} ${result.error.message}`);
      if (writing && running) saves.push(performance.now() - t);
      await sleep(50);
    }
    const status = await exited;
    if (status !== 0) throw new Error(`ordo patients import exited with ${status}: ${stderr}`);
    const ended = performance.now();
    await worker.close();
    return [
      { name: `patients.create every 50 ms while another process writes a ${ROWS.toLocaleString('en')}-row CSV import`, unit: 'ms', samples: saves },
      { name: `ordo patients import of ${ROWS.toLocaleString('en')} rows beside the app, whole command`, unit: 'ms', samples: [ended - started] },
      { name: `ordo patients import of ${ROWS.toLocaleString('en')} rows beside the app, writing phase`, unit: 'ms', samples: [ended - (writingSince ?? ended)] },
    ];
  } finally {
    tmp.remove();
  }
}
