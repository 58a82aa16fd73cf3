/**
 * `npm run dist` file selection, exercised with electron-builder --dir against a stand-in Electron
 * distribution (the real binary cannot be downloaded here): what goes in the asar, what is
 * unpacked, what stays out. Real installers are built where Electron can be downloaded.
 */
import { listPackage } from '@electron/asar';
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';

/** Where @electron/fuses finds the fuse wire in an Electron binary. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const built = existsSync(join(repoRoot, 'dist', 'electron', 'main.cjs')) && existsSync(join(repoRoot, 'dist', 'renderer', 'index.html'));
const onLinux = process.platform === 'linux';
if (!built) process.stderr.write('packaging test skipped: run npm run build first\n');

describe.skipIf(!built || !onLinux)('packaging (electron-builder --dir, stand-in Electron)', () => {
  const tmp = tempDir('ordo-dist-');
  afterAll(() => tmp.remove());

  it('puts the built app in the asar, unpacks the native module, leaves sources and dev tools out, flips the fuses', { timeout: 180_000 }, async () => {
    const fake = join(tmp.dir, 'electron-dist');
    mkdirSync(join(fake, 'resources'), { recursive: true });
    // A binary with Electron's fuse wire as a real one carries it: its defaults, all eight fuses.
    copyFileSync('/bin/true', join(fake, 'electron'));
    appendFileSync(join(fake, 'electron'), Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10110001')]));
    writeFileSync(join(fake, 'version'), 'v45.5.0');
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
    for (const needed of ['/package.json', '/dist/electron/main.cjs', '/dist/electron/preload.cjs', '/dist/electron/worker.cjs', '/dist/renderer/index.html', '/node_modules/better-sqlite3/lib/index.js', '/node_modules/zod/package.json']) {
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

    // The fuses, read back from the packaged binary.
    const wire = await getCurrentFuseWire(join(out, 'linux-unpacked', 'ordo'));
    expect(wire.version).toBe(FuseVersion.V1);
    const state = (option: FuseV1Options) => String.fromCharCode(wire[option] as unknown as number);
    expect({
      runAsNode: state(FuseV1Options.RunAsNode),
      nodeOptions: state(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
      inspect: state(FuseV1Options.EnableNodeCliInspectArguments),
      onlyFromAsar: state(FuseV1Options.OnlyLoadAppFromAsar),
      asarIntegrity: state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
      cookies: state(FuseV1Options.EnableCookieEncryption),
      fileProtocol: state(FuseV1Options.GrantFileProtocolExtraPrivileges),
    }).toEqual({ runAsNode: '0', nodeOptions: '0', inspect: '0', onlyFromAsar: '1', asarIntegrity: '1', cookies: '1', fileProtocol: '0' });
  });
});
