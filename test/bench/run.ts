/**
 * `npm run bench [-- --json] [-- --only NAME]`: runs every test/bench/*.bench.ts module, prints a
 * table (name, median, p99, baseline, ratio) or, with --json, one JSON array of rows.
 * Baselines are measured in the same run, so ratios compare like with like on this machine.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { percentile, type BenchResult, type BenchRow } from './types';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, only: { type: 'string' } } });
const here = dirname(fileURLToPath(import.meta.url));
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => values.only === undefined || f.startsWith(values.only))
  .sort();

const rows: BenchRow[] = [];
for (const file of modules) {
  process.stderr.write(`bench: ${file}…\n`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { rows(): Promise<BenchRow[]> };
  rows.push(...(await mod.rows()));
}

const medians = new Map(rows.map((r) => [r.name, percentile(r.samples, 50)]));
const results: BenchResult[] = rows.map((r) => {
  const median = medians.get(r.name)!;
  const baselineMedian = r.baseline === undefined ? null : (medians.get(r.baseline) ?? null);
  return {
    name: r.name,
    unit: r.unit,
    median,
    p99: percentile(r.samples, 99),
    max: Math.max(...r.samples),
    count: r.samples.length,
    baseline: r.baseline ?? null,
    baselineMedian,
    ratio: baselineMedian === null ? null : baselineMedian / median,
  };
});

const fmt = (n: number | null) => (n === null ? '' : n < 0.01 ? n.toFixed(4) : n < 10 ? n.toFixed(3) : n.toFixed(1));
if (values.json) {
  process.stdout.write(`${JSON.stringify(results)}\n`);
} else {
  const table = [
    ['name', 'unit', 'n', 'median', 'p99', 'max', 'baseline', 'baseline median', 'ratio ×'],
    ...results.map((r) => [
      r.name,
      r.unit,
      String(r.count),
      fmt(r.median),
      fmt(r.p99),
      fmt(r.max),
      r.baseline ?? '',
      fmt(r.baselineMedian),
      r.ratio === null ? '' : r.ratio < 1 ? r.ratio.toPrecision(2) : r.ratio.toFixed(1),
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const [i, row] of table.entries()) {
    process.stdout.write(`${row.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join('  ')}\n`);
    if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  }
}
