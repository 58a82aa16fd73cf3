/**
 * One drain of a practice's outbox in a process of its own (the benchmark's subject): prints one
 * JSON line with what it sent, how long it took and the process's peak RSS. Usage:
 *   node --import tsx test/bench/outbox-drain-process.ts DATA_DIR [DMP_URL]
 * Without DMP_URL it only builds the documents (a sync with no DMP configured).
 */
import { createApp } from '../../electron/app';

const [dataDir, url] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: outbox-drain-process.ts DATA_DIR [DMP_URL]');
const app = createApp({ dataDir, mode: 'host', jobs: { autoRun: false, threads: false } });
try {
  const started = process.hrtime.bigint();
  const summary = await app.tools.drainOutbox(url === undefined ? {} : { endpointUrl: url });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const built = app.db.prepare('SELECT count(*) FROM dmp_documents').pluck().get() as number;
  process.stdout.write(`${JSON.stringify({ sent: summary.sent, remaining: summary.remaining, built, ms, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
} finally {
  app.close();
}
