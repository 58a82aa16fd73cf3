/**
 * Smoke test of the real Electron app: the window opens on the first-run screen, locked down.
 * Runs where the Electron binary exists (a GP's or a developer's machine with internet at
 * install time); skipped, saying why, where it was installed with ELECTRON_SKIP_BINARY_DOWNLOAD.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';

function electronBinary(): string | undefined {
  try {
    const path = createRequire(join(repoRoot, 'package.json'))('electron') as string;
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
const skipReason =
  binary === undefined
    ? 'Electron smoke test skipped: the Electron binary is not installed here (npm ci ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1; it cannot be downloaded on this machine).'
    : !existsSync(join(repoRoot, 'dist', 'electron', 'main.cjs'))
      ? 'Electron smoke test skipped: the app is not built (npm run build).'
      : undefined;
if (skipReason !== undefined) process.stderr.write(`${skipReason}\n`);

describe.skipIf(skipReason !== undefined)('Electron app', () => {
  it('opens one sandboxed window on the French first-run screen', { timeout: 600_000 }, async () => {
    const binding = execFileSync(process.execPath, ['scripts/native.mjs', 'electron'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const data = tempDir('ordo-electron-');
    const app = await electron.launch({
      executablePath: binary!,
      args: ['.'],
      cwd: repoRoot,
      env: { ...process.env, ORDO_DATA_DIR: data.dir, ORDO_SQLITE_BINDING: binding },
    });
    try {
      const page = await app.firstWindow();
      await page.getByRole('heading', { name: 'Bienvenue dans Ordo' }).waitFor();
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      const exposed = await page.evaluate(() => ({
        keys: Object.keys((window as unknown as { ordo: object }).ordo),
        hasRequire: 'require' in window,
        hasProcess: 'process' in window,
        origin: window.location.origin,
      }));
      expect(exposed).toEqual({ keys: ['call', 'on'], hasRequire: false, hasProcess: false, origin: 'app://ordo' });
      expect(await page.evaluate(() => window.open('https://example.org') === null)).toBe(true);
    } finally {
      await app.close();
      data.remove();
    }
  });
});
