// `npm start`: launch the built app in Electron, with better-sqlite3 built for Electron's ABI.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronBinary;
try {
  electronBinary = require('electron');
} catch {
  process.stderr.write(
    "Le binaire Electron est absent : lancez « node node_modules/electron/install.js » (accès à Internet requis), puis « npm start ».\n",
  );
  process.exit(1);
}
const binding = execFileSync(process.execPath, ['scripts/native.mjs', 'electron'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
const child = spawn(electronBinary, ['.', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ORDO_SQLITE_BINDING: binding },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
