/**
 * Nothing signed is lost, nothing is stored twice: `ordo outbox drain` is killed (SIGKILL) at
 * random moments of a 500-document drain (while it builds documents, while requests are in
 * flight, between a commit of the DMP and ours), started again each time, and in the end the
 * sandbox DMP holds each of the 500 documents exactly once and every outbox row is `sent`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../electron/app';
import { passphraseKeyProvider } from '../../electron/keys/signing-key';
import { startSandboxDmp } from '../../electron/sandbox/dmp';
import { ordoCommand } from '../support/cli';
import { signMany } from '../support/outbox';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-outbox-kill-');
afterAll(() => tmp.remove());
const COUNT = 500;

/** Runs the drain; kills it as soon as `killWhen` says so (checked every 10 ms; undefined: lets it finish). */
function drain(dataDir: string, url: string, killWhen?: () => boolean): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  const [node, ...pre] = ordoCommand;
  const child = spawn(node, [...pre, 'outbox', 'drain', '--data-dir', dataDir, '--dmp-url', url], {
    cwd: repoRoot,
    env: { ...process.env, ORDO_LOG: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const timer =
    killWhen === undefined
      ? undefined
      : setInterval(() => {
          if (killWhen()) child.kill('SIGKILL');
        }, 10);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stdout });
    }),
  );
}

describe('killing the drain', () => {
  it(`ends with all ${COUNT} documents stored exactly once`, async () => {
    const dataDir = join(tmp.dir, 'practice');
    const app = createApp({ dataDir, mode: 'host', jobs: { threads: false }, signingKey: passphraseKeyProvider(dataDir, { ORDO_KEY_PASSPHRASE: 'phrase de passe du test' }) });
    try {
      await signMany(app, COUNT);
    } finally {
      app.close();
    }
    const dmp = await startSandboxDmp({ port: 0, dataDir: join(tmp.dir, 'dmp') });
    try {
      const practice = new Database(join(dataDir, 'ordo.db'), { readonly: true });
      const progress = () => practice.prepare("SELECT (SELECT count(*) FROM dmp_documents) AS built, (SELECT count(*) FROM outbox WHERE destination = 'dmp' AND state = 'sent') AS sent, (SELECT count(*) FROM outbox WHERE state = 'sending') AS sending").get() as { built: number; sent: number; sending: number };
      const seen: { built: number; sent: number; sending: number }[] = [];
      let killed = 0;
      // A seeded generator: the same kill moments on every run of the test.
      let seed = 12;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      // Each round is killed at a random point of the work left: while documents are built
      // (the first rounds), then while they are sent (requests in flight, commits on either side).
      for (let round = 0; round < 8; round++) {
        const before = progress();
        if (before.sent >= COUNT) break;
        const building = before.built < COUNT;
        const target = (building ? before.built : before.sent) + 1 + Math.floor(random() * Math.min(120, COUNT - 1 - (building ? before.built : before.sent)));
        const run = await drain(dataDir, dmp.url, () => {
          const now = progress();
          return (building ? now.built : now.sent) >= target;
        });
        if (run.signal === 'SIGKILL') killed++;
        seen.push(progress());
      }
      const last = await drain(dataDir, dmp.url);
      expect(last.code, last.stdout).toBe(0);
      expect(JSON.parse(last.stdout.trim())).toMatchObject({ remaining: 0 });
      // It was killed mid-way at least once: some documents sent, not all.
      expect(killed, JSON.stringify(seen)).toBeGreaterThan(0);
      expect(seen.some((s) => s.sent < COUNT && (s.built > 0 || s.sent > 0)), JSON.stringify(seen)).toBe(true);

      const stored = (await (await fetch(`${dmp.origin}/documents`)).json()) as { uniqueId: string }[];
      const ids = stored.map((d) => d.uniqueId);
      expect(ids).toHaveLength(COUNT);
      expect(new Set(ids).size).toBe(COUNT);
      const ours = practice.prepare('SELECT unique_id FROM dmp_documents ORDER BY unique_id').pluck().all() as string[];
      expect([...ids].sort()).toEqual(ours);
      expect(practice.prepare("SELECT count(*) FROM outbox WHERE destination = 'dmp' AND state <> 'sent'").pluck().get()).toBe(0);
      practice.close();
    } finally {
      await dmp.close();
    }
  }, 300_000);
});
