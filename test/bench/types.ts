/** What a row's samples count: milliseconds (the default), a rate, or memory. */
export type BenchUnit = 'ms' | 'docs/s' | 'MB';

/** One benchmark row: raw samples (milliseconds unless `unit` says otherwise); `baseline` names another row of the same run. */
export interface BenchRow {
  name: string;
  unit: BenchUnit;
  samples: number[];
  /** Name of the row this one is compared with (its median / this median = ratio). */
  baseline?: string;
}

/** What `npm run bench -- --json` prints, one object per row. */
export interface BenchResult {
  name: string;
  unit: BenchUnit;
  median: number;
  p99: number;
  max: number;
  /** How many samples the row has. */
  count: number;
  baseline: string | null;
  baselineMedian: number | null;
  ratio: number | null;
}

/** Times `fn` `count` times (after `warmup` untimed runs); returns milliseconds per run. */
export async function sample(count: number, fn: () => unknown, warmup = Math.min(20, count)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

/** Synchronous variant: no await between runs, for in-process calls measured in microseconds. */
export function sampleSync(count: number, fn: () => unknown, warmup = Math.min(20, count)): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}
