#!/usr/bin/env node
// The installed `ordo` command: runs the bundled CLI (built by `npm run build`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const cli = join(__dirname, '..', 'dist', 'electron', 'cli.mjs');
if (!existsSync(cli)) {
  process.stderr.write('ordo : CLI non construite. Lancez « npm run build » dans le dossier d’Ordo.\n');
  process.exit(2);
}
import(pathToFileURL(cli).href);
