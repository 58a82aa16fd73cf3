/**
 * `npm run dist` file selection, exercised with electron-builder --dir against a stand-in Electron
 * distribution (the real binary cannot be downloaded here): what goes in the asar, what is
 * unpacked, what stays out. Real installers are built where Electron can be downloaded.
 */
import { listPackage } from '@electron/asar';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';

const built = existsSync(join(repoRoot, 'dist', 'electron', 'main.cjs')) && existsSync(join(repoRoot, 'dist', 'renderer', 'index.html'));
const onLinux = process.platform === 'linux';
if (!built) process.stderr.write('packaging test skipped: run npm run build first\n');

describe.skipIf(!built || !onLinux)('packaging (electron-builder --dir, stand-in Electron)', () => {
  const tmp = tempDir('ordo-dist-');
  afterAll(() => tmp.remove());

  it('puts the built app in the asar, unpacks the native module, leaves sources and dev tools out', { timeout: 180_000 }, () => {
    const fake = join(tmp.dir, 'electron-dist');
    mkdirSync(join(fake, 'resources'), { recursive: true });
    copyFileSync('/bin/true', join(fake, 'electron'));
    writeFileSync(join(fake, 'version'), 'v41.7.1');
    const out = join(tmp.dir, 'out');
    const result = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'node_modules/electron-builder/cli.js'),
        '--dir',
        '--linux',
        '--config',
        'electron-builder.yml',
        `-c.electronDist=${fake}`,
        '-c.npmRebuild=false',
        `-c.directories.output=${out}`,
      ],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
    );
    expect(result.status, result.stderr + result.stdout).toBe(0);

    const resources = join(out, 'linux-unpacked', 'resources');
    const files = listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    for (const needed of ['/package.json', '/dist/electron/main.cjs', '/dist/electron/preload.cjs', '/dist/renderer/index.html', '/node_modules/better-sqlite3/lib/index.js', '/node_modules/zod/package.json']) {
      expect(files).toContain(needed);
    }
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.some((f) => f.startsWith('/node_modules/better-sqlite3/deps/') || f.startsWith('/node_modules/better-sqlite3/src/'))).toBe(false);
    expect(files.some((f) => f.includes('/obj.target/') || f.endsWith('.a'))).toBe(false);
    for (const devOnly of ['react', 'vite', 'electron', 'typescript', 'vitest', 'playwright-core']) {
      expect(files).not.toContain(`/node_modules/${devOnly}`);
    }
    expect(files.some((f) => f.startsWith('/electron/') || f.startsWith('/renderer/') || f.startsWith('/test/'))).toBe(false);
    expect(existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
  });
});
