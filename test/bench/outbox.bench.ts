/**
 * The DMP sync on loopback: practices of 1,000 and 10,000 signed prescriptions (signed through the
 * contract, each for its own patient with an INS), drained to `ordo sandbox-dmp` (its own process)
 * by a drain in a process of its own, so that its peak RSS is the drain's alone.
 * - build: a sync with no DMP configured builds every document (the PDF copy, then the CDA):
 *   milliseconds per document. Offline first: this happens before the network is needed.
 * - drain: documents per second (target ≥ 300) and peak RSS (target: at 10,000 within 20 % of 1,000).
 * - baseline: the same ITI-41 requests sent straight by the transport (no outbox, no database),
 *   the loopback and the sandbox's own ceiling on this machine.
 * `ORDO_BENCH_OUTBOX_SIZES=200,2000` measures other sizes (the last is compared with the first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createApp } from '../../electron/app';
import { httpTransport, submitDocument, unsignedSandboxAssertion } from '../../electron/dmp/api';
import { passphraseKeyProvider } from '../../electron/keys/signing-key';
import { ordoCommand } from '../support/cli';
import { signMany } from '../support/outbox';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';
import type { BenchRow } from './types';

const sizes = (process.env.ORDO_BENCH_OUTBOX_SIZES ?? '1000,10000').split(',').map(Number);
const [node, ...ordo] = ordoCommand;
/** A TypeScript file run by Node through tsx, as `ordo` itself runs from source. */
const tsx = ordo.slice(0, -1);

function runDrain(dataDir: string, url?: string): { sent: number; built: number; remaining: number; ms: number; maxRssMB: number } {
  const run = spawnSync(node, [...tsx, 'test/bench/outbox-drain-process.ts', dataDir, ...(url === undefined ? [] : [url])], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ORDO_LOG: 'error' },
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) throw new Error(`drain failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as { sent: number; built: number; remaining: number; ms: number; maxRssMB: number };
}

async function startSandbox(dataDir: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(node, [...ordo, 'sandbox-dmp', '--port', '0', '--data-dir', dataDir], { cwd: repoRoot, env: { ...process.env, ORDO_LOG: 'error' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sandbox-dmp exited (${code})`)));
  });
  const { url } = JSON.parse(line) as { url: string };
  return { url, stop: () => child.kill('SIGTERM') };
}

/** The documents of a practice, sent straight to a fresh sandbox by the transport: the ceiling. */
async function baseline(dataDir: string, url: string): Promise<number> {
  const db = new Database(join(dataDir, 'ordo.db'), { readonly: true });
  const docs = db.prepare('SELECT unique_id AS uniqueId, patient_id AS patientId, cda, sha1, size FROM dmp_documents').all() as { uniqueId: string; patientId: string; cda: Buffer; sha1: string; size: number }[];
  db.close();
  const transport = httpTransport();
  const prescriber = { rpps: '10003154589', lastName: 'Démo', firstName: 'Camille', specialty: 'Médecin généraliste' };
  const started = process.hrtime.bigint();
  let next = 0;
  const lane = async () => {
    while (next < docs.length) {
      const d = docs[next++]!;
      const [nir = ''] = d.patientId.split('^');
      const ins = { nir, oid: '1.2.250.1.213.1.4.8' };
      const assertion = await unsignedSandboxAssertion({ prescriber, patientIns: ins, software: { name: 'Ordo', version: 'bench', approval: null }, now: new Date() });
      const at = new Date();
      const meta = { uniqueId: d.uniqueId, patientIns: ins, hashSha1: d.sha1, size: d.size, creationTime: at, serviceStartTime: at, title: 'Prescription de médicaments', author: prescriber, facilityType: 'SA07' as const, rxId: 'BENCH' };
      const outcome = await submitDocument(transport, { url, timeoutMs: 30_000 }, meta, d.cda, assertion);
      if (outcome.type !== 'stored') throw new Error(`baseline: ${JSON.stringify(outcome)}`);
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  transport.close?.();
  return (docs.length / ms) * 1000;
}

export async function rows(): Promise<BenchRow[]> {
  const tmp = tempDir('ordo-bench-outbox-');
  const out: BenchRow[] = [];
  const peaks: number[] = [];
  try {
    for (const [k, size] of sizes.entries()) {
      const label = size.toLocaleString('en');
      const dataDir = join(tmp.dir, `practice-${size}`);
      const app = createApp({ dataDir, mode: 'host', jobs: { threads: false }, signingKey: passphraseKeyProvider(dataDir, { ORDO_KEY_PASSPHRASE: 'banc d’essai' }) });
      const signing = Date.now();
      try {
        await signMany(app, size, { from: k * 100_000 });
      } finally {
        app.close();
      }
      process.stderr.write(`bench: outbox: ${label} signed in ${((Date.now() - signing) / 1000).toFixed(1)} s\n`);
      const build = runDrain(dataDir);
      if (build.built !== size) throw new Error(`built ${build.built} of ${size}`);
      out.push({ name: `outbox: build ${label} DMP documents offline (PDF copy + CDA), per document`, unit: 'ms', samples: [build.ms / size] });

      const dmp = await startSandbox(join(tmp.dir, `dmp-${size}`));
      try {
        const drain = runDrain(dataDir, dmp.url);
        if (drain.sent !== size || drain.remaining !== 0) throw new Error(`sent ${drain.sent} of ${size}, ${drain.remaining} left`);
        out.push({ name: `outbox: drain ${label} documents to the sandbox DMP on loopback`, unit: 'docs/s', samples: [(size / drain.ms) * 1000] });
        out.push({ name: `outbox: drain ${label} documents, peak RSS of the draining process`, unit: 'MB', samples: [drain.maxRssMB] });
        peaks.push(drain.maxRssMB);
      } finally {
        dmp.stop();
      }
      const fresh = await startSandbox(join(tmp.dir, `dmp-baseline-${size}`));
      try {
        out.push({ name: `baseline: the same ${label} ITI-41 requests straight from the transport (no outbox)`, unit: 'docs/s', samples: [await baseline(dataDir, fresh.url)] });
      } finally {
        fresh.stop();
      }
    }
    if (peaks.length > 1) process.stderr.write(`bench: outbox: peak RSS ${peaks.map((p) => p.toFixed(0)).join(' → ')} MB (${(((peaks.at(-1)! - peaks[0]!) / peaks[0]!) * 100).toFixed(1)} %)\n`);
  } finally {
    tmp.remove();
  }
  return out;
}
