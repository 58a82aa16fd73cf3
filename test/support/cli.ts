import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from './paths';

/** `ordo` from source, as `npm run ordo` runs it. */
export const ordoCommand = [process.execPath, '--import', 'tsx', 'electron/cli.ts'] as const;

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runOrdo(args: string[], options: { env?: Record<string, string>; input?: string } = {}): CliResult {
  const [node, ...pre] = ordoCommand;
  const result = spawnSync(node, [...pre, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ORDO_LOG: 'warn', ...options.env },
    input: options.input ?? '',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface ServedOrdo {
  url: string;
  token: string;
  origin: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `ordo serve --port 0` and resolves with the JSON line it prints when ready. */
export function serveOrdo(dataDir: string, env: Record<string, string> = {}): Promise<ServedOrdo> {
  const [node, ...pre] = ordoCommand;
  const child = spawn(node, [...pre, 'serve', '--data-dir', dataDir, '--port', '0'], {
    cwd: repoRoot,
    env: { ...process.env, ORDO_LOG: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`ordo serve did not start: ${stderr}`)), 60_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const { url, token } = JSON.parse(line) as { url: string; token: string };
      resolve({ url, token, origin: new URL(url).origin, child, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ordo serve exited with ${code}: ${stderr}`));
    });
  });
}

/** POST /rpc/<name> with the token; returns the HTTP status and the parsed envelope. */
export async function rpc(served: { origin: string; token: string }, name: string, input: unknown, token = served.token) {
  const response = await fetch(`${served.origin}/rpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string; fields?: Record<string, string> } } };
}
