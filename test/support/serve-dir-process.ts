/**
 * A download server in a process of its own (benchmarks): serving 40 MB must not share an event
 * loop with the code that measures. Prints its URL on stdout, serves until killed.
 */
import { serveDirectory } from './static-server';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: serve-dir-process DIR');
const server = await serveDirectory(dir);
process.stdout.write(`${server.url}\n`);
