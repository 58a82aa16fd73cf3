/** Host start-up and the cost of one contract call over HTTP compared with a direct call. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createApp, inProcessBackend } from '../../electron/app';
import { dispatch } from '../../electron/dispatch';
import { startHost } from '../../electron/host/server';
import { validProfile } from '../support/fixtures';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';
import { sample, type BenchRow } from './types';

const builtCli = join(repoRoot, 'dist', 'electron', 'cli.mjs');

/** Spawns the built `ordo serve` on a new data folder; time until the first successful call. */
async function coldStart(): Promise<number> {
  const tmp = tempDir('ordo-bench-');
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [builtCli, 'serve', '--data-dir', tmp.dir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, ORDO_LOG: 'silent' },
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`ordo serve exited with ${code}`)));
    });
    const { url, token } = JSON.parse(line) as { url: string; token: string };
    const response = await fetch(`${new URL(url).origin}/rpc/app.info`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' });
    if (!((await response.json()) as { ok: boolean }).ok) throw new Error('first call failed');
    return Number(process.hrtime.bigint() - start) / 1e6;
  } finally {
    child.kill();
    tmp.remove();
  }
}

export async function rows(): Promise<BenchRow[]> {
  const cold: number[] = [];
  for (let i = 0; i < 12; i++) cold.push(await coldStart());

  const tmp = tempDir('ordo-bench-');
  const app = createApp({ dataDir: tmp.dir, mode: 'host' });
  await dispatch(app.services, 'profile.save', validProfile);
  const host = await startHost({ backend: inProcessBackend(app) });
  const headers = { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' };
  const overHttp = await sample(2000, async () => {
    const response = await fetch(`${host.url}/rpc/profile.get`, { method: 'POST', headers, body: '{}' });
    await response.json();
  });
  const direct = await sample(2000, () => app.services['profile.get']({}));
  const viaDispatch = await sample(2000, () => dispatch(app.services, 'profile.get', {}));
  await host.close();
  app.close();
  tmp.remove();

  return [
    { name: 'host cold start → first call (ordo serve)', unit: 'ms', samples: cold.slice(2) },
    { name: 'profile.get direct service call', unit: 'ms', samples: direct },
    { name: 'profile.get via dispatch (schema checks)', unit: 'ms', samples: viaDispatch, baseline: 'profile.get direct service call' },
    { name: 'profile.get over HTTP (round trip)', unit: 'ms', samples: overHttp, baseline: 'profile.get direct service call' },
  ];
}
