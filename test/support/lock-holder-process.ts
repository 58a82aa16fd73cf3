/**
 * Another process that keeps the practice database's write lock nearly all the time, as a writer
 * that leaves little room would: `BEGIN IMMEDIATE`, about HOLD_MS of holding (±40 %, so that its
 * rhythm never locks onto a waiter's), `COMMIT`, FREE_MS free, over and over. Prints `holding`
 * once it has held the lock the first time; stops when stdin closes.
 */
import Database from 'better-sqlite3';

const [file, holdArg, freeArg] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: lock-holder-process FILE [HOLD_MS] [FREE_MS]');
const holdMs = Number(holdArg ?? 50);
const freeMs = Number(freeArg ?? 1);
const db = new Database(file);
db.pragma('busy_timeout = 5000');
let stop = false;
process.stdin.on('end', () => (stop = true));
process.stdin.resume();

const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: a timer would leave the lock free longer than asked
  }
};

let first = true;
function rounds(): void {
  // Many rounds per turn of the event loop (which reads stdin), so the lock is free FREE_MS at a time only.
  for (let i = 0; i < 20 && !stop; i++) {
    db.exec('BEGIN IMMEDIATE');
    spin(holdMs * (0.6 + 0.8 * Math.random()));
    db.exec('COMMIT');
    if (first) {
      first = false;
      process.stdout.write('holding\n');
    }
    spin(freeMs);
  }
  if (stop) db.close();
  else setImmediate(rounds);
}
rounds();
