// better-sqlite3 is a native module: Node (tests, CLI) and Electron (the app) need builds for
// different ABIs. node_modules keeps the Node build; the Electron build lives in .native/ and the
// app is pointed at it (ORDO_SQLITE_BINDING), so `npm start` and `npm test` never undo each other.
//
//   node scripts/native.mjs node       make sure node_modules' build loads in this Node
//   node scripts/native.mjs electron   print the path of a build for the installed Electron
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const say = (message) => process.stderr.write(`[native] ${message}\n`);

function loadsInNode() {
  const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    cwd: root,
    encoding: 'utf8',
  });
  return { ok: probe.status === 0, detail: probe.stderr.split('\n').find((l) => l.includes('NODE_MODULE_VERSION') || l.includes('Error')) ?? '' };
}

function ensureNode() {
  const first = loadsInNode();
  if (first.ok) return;
  say(`better-sqlite3 does not load in Node ${process.version} (${first.detail.trim()}); rebuilding for Node…`);
  execFileSync('npm', ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  const second = loadsInNode();
  if (!second.ok) throw new Error(`better-sqlite3 still does not load: ${second.detail}`);
}

function ensureElectron() {
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const target = join(root, '.native', `electron-${electronVersion}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
  if (!existsSync(target)) {
    say(`building better-sqlite3 for Electron ${electronVersion} (once; a few minutes)…`);
    const source = dirname(require.resolve('better-sqlite3/package.json'));
    const work = mkdtempSync(join(tmpdir(), 'ordo-native-'));
    try {
      cpSync(source, work, { recursive: true, filter: (path) => !path.includes(`${join(source, 'build')}`) });
      // A GP's machine usually has no compiler: take better-sqlite3's published Electron build
      // first, and compile against Electron's headers only when there is none.
      const prebuilt = spawnSync(
        process.execPath,
        [require.resolve('prebuild-install/bin.js'), '--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`, `--platform=${process.platform}`],
        { cwd: work, stdio: ['ignore', 'inherit', 'inherit'] },
      );
      if (prebuilt.status !== 0) {
        say('no prebuilt binary for this Electron: compiling…');
        execFileSync(
          process.execPath,
          [
            require.resolve('node-gyp/bin/node-gyp.js'),
            'rebuild',
            '--release',
            '--runtime=electron',
            `--target=${electronVersion}`,
            `--arch=${process.arch}`,
            '--dist-url=https://electronjs.org/headers',
          ],
          // Headers must be Electron's: drop a nodedir that points at Node's own headers.
          { cwd: work, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, npm_config_nodedir: '' } },
        );
      }
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${target}\n`);
}

const which = process.argv[2];
try {
  if (which === 'node') ensureNode();
  else if (which === 'electron') ensureElectron();
  else {
    say('usage: node scripts/native.mjs node|electron');
    process.exit(2);
  }
} catch (error) {
  say(`could not prepare better-sqlite3 for ${which}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  say('The first build for Electron downloads a prebuilt binary or Electron headers: it needs the Internet once.');
  process.exit(1);
}
