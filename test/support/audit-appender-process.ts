/**
 * Another process appending to a practice database's audit log as Ordo does (one row per write
 * transaction, the anchor moved after each commit). After each of its commits it prints the seq
 * the anchor file holds then, one per line, so that the test sees whether the anchor ever moved
 * back while several processes raced.
 */
import { appendAudit } from '../../electron/audit/audit';
import { readAnchor } from '../../electron/audit/anchor';
import { openDatabase } from '../../electron/db/open';
import { writeTransaction } from '../../electron/db/transaction';

const [file, countArg, name] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: audit-appender-process FILE COUNT NAME');
const db = openDatabase(file);
const seen: number[] = [];
for (let i = 0; i < Number(countArg ?? 50); i++) {
  writeTransaction(db, () => appendAudit(db, { actor: 'test', action: 'race', subject: `${name ?? 'p'}:${i}`, details: {} }, new Date()));
  const read = readAnchor(`${file}.anchor`);
  seen.push(read.state === 'ok' ? read.anchor.seq : -1);
}
db.close();
process.stdout.write(`${JSON.stringify(seen)}\n`);
