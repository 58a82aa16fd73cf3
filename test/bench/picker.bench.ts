/**
 * Keystroke to painted results in the drug picker of the prescription screen, in Chromium on the
 * real 2019 BDPM (the embedded sample when ../shared/data is absent): every keystroke of 20
 * queries a GP types, one at a time, in a freshly loaded page. In the page: from the `keydown`
 * event to the first animation frame after the list shows that query's results (the picker's own
 * `performance.measure`). Typed twice: at a fast typist's pace (PACE_MS between keys), when the
 * answers the picker asks ahead (`drugs.searchAhead`) have had time to come, and back to back,
 * each key as soon as the previous results show, where each keystroke races them. From outside
 * the page: Playwright's key press to the same results being in the DOM, as the drug search
 * screen was measured before (about 25 ms median, 48 ms p99).
 * Skipped, saying why, without Chromium or a built renderer.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { rpc, runOrdo, serveOrdo } from '../support/cli';
import { validProfile } from '../support/fixtures';
import { hasSharedData, repoRoot, sharedDataDir } from '../support/paths';
import { tempDir } from '../support/tmp';
import { CHROMIUM, launchBrowser } from '../e2e/harness';
import type { BenchRow } from './types';

/** What the picker records for the benchmark (renderer/features/prescriptions/DrugPicker.tsx). */
type Timed = { __ordoPickerTimings?: { query: string; ms: number; committedMs: number }[] };

/** Between keystrokes: about 400 characters a minute, a fast typist. */
const PACE_MS = 150;

const QUERIES = [
  'amoxicilline',
  'doliprane',
  'paracetamol 1g',
  'ibuprofene 400',
  'metformine',
  'levothyrox',
  'kardegic',
  'atorvastatine',
  'omeprazole',
  'ramipril',
  'amlodipine',
  'augmentin',
  'ventoline',
  'xanax',
  'zolpidem',
  'tramadol',
  'prednisolone',
  'azithromycine',
  'cetirizine',
  'furosemide',
];

export async function rows(): Promise<BenchRow[]> {
  if (!existsSync(CHROMIUM) || !existsSync(join(repoRoot, 'dist', 'renderer', 'index.html'))) {
    process.stderr.write('bench picker: skipped, Chromium or the built renderer (npm run build) is absent\n');
    return [];
  }
  const tmp = tempDir('ordo-bench-picker-');
  const dataDir = join(tmp.dir, 'data');
  const release = hasSharedData ? join(sharedDataDir, 'bdpm-2019') : null;
  if (release !== null) {
    const imported = runOrdo(['import-bdpm', release, '--data-dir', dataDir, '--release-date', '2019-10-01']);
    if (imported.status !== 0) throw new Error(`import-bdpm failed: ${imported.stderr}`);
  } else process.stderr.write('bench picker: ../shared/data absent, measuring on the embedded sample\n');
  const served = await serveOrdo(dataDir);
  const browser = await launchBrowser();
  try {
    const ok = async <T>(name: string, input: unknown): Promise<T> => {
      const { body } = await rpc(served, name, input);
      if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
      return body.value as T;
    };
    await ok('profile.save', validProfile);
    const patient = await ok<{ id: number }>('patients.create', { patient: { birthName: 'Banc', firstNames: 'Mesure', sex: 'F', birthDate: '01/01/1970' } });
    const draft = await ok<{ id: number }>('prescriptions.create', { patientId: patient.id });
    const page = await browser.newPage();
    /** Types every query in a freshly loaded page (an empty cache), `pauseMs` between keystrokes. */
    const typeAll = async (pauseMs: number) => {
      // The address carries the session's token in its hash: the app takes it, then goes to the draft.
      await page.goto(served.url);
      await page.getByRole('navigation', { name: 'Navigation principale' }).waitFor({ timeout: 60_000 });
      await page.evaluate((id) => (window.location.hash = `#/prescribe/${id}`), draft.id);
      const box = page.getByRole('combobox', { name: 'Ajouter un médicament' });
      await box.waitFor({ timeout: 60_000 });
      // The referential's index is warm before measuring (the first search loads it).
      await box.fill('a');
      await page.waitForFunction(() => ((window as unknown as Timed).__ordoPickerTimings?.length ?? 0) > 0, undefined, { timeout: 60_000 });
      const outside: number[] = [];
      for (const query of QUERIES) {
        await box.fill('');
        await box.focus();
        await page.waitForTimeout(pauseMs);
        for (let i = 1; i <= query.length; i++) {
          const typed = query.slice(0, i);
          const before = await page.evaluate(() => (window as unknown as Timed).__ordoPickerTimings?.length ?? 0);
          const started = performance.now();
          await page.keyboard.press(query[i - 1] === ' ' ? 'Space' : query[i - 1]!);
          // The results of this query are on screen: the picker recorded its timing for it.
          await page.waitForFunction(([n, q]) => ((window as unknown as Timed).__ordoPickerTimings ?? []).slice(n).some((t) => t.query === q), [before, typed] as const, { timeout: 30_000 });
          outside.push(performance.now() - started);
          if (pauseMs > 0) await page.waitForTimeout(pauseMs);
        }
      }
      const inside = await page.evaluate((queries) => {
        const wanted = new Set(queries.flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1))));
        return ((window as unknown as Timed).__ordoPickerTimings ?? []).filter((t) => wanted.has(t.query)).map((t) => [t.ms, t.committedMs] as const);
      }, QUERIES);
      const measured = inside.slice(-outside.length);
      return { inside: measured.map(([ms]) => ms), committed: measured.map(([, ms]) => ms), outside };
    };

    // A fast typist (about 400 characters a minute): the next letters' results asked ahead have come.
    const paced = await typeAll(PACE_MS);
    // As fast as the results show: every keystroke races the answers asked ahead for it.
    const raced = await typeAll(0);
    // Where the time goes, for the last query typed: keydown → request sent → answer → painted.
    const committed = await page.evaluate(() => ((window as unknown as Timed).__ordoPickerTimings ?? []).slice(-5).map((t) => t.committedMs.toFixed(1)).join(', '));
    process.stderr.write(`bench picker: last keystrokes, results committed by React at +${committed} ms\n`);
    const last = await page.evaluate(() => {
      const marks = performance.getEntriesByType('measure').filter((m) => m.name.startsWith('ordo:picker:')).slice(-5);
      const fetches = performance.getEntriesByType('resource').filter((e) => e.name.includes('/rpc/drugs.search'));
      return marks.map((m) => {
        const f = fetches.filter((e) => e.startTime >= m.startTime).at(0);
        return f === undefined ? m.duration.toFixed(1) : `sent +${(f.startTime - m.startTime).toFixed(1)}, answered +${((f as PerformanceResourceTiming).responseEnd - m.startTime).toFixed(1)}, painted +${m.duration.toFixed(1)}`;
      });
    });
    process.stderr.write(`bench picker: last keystrokes (ms after keydown): ${last.join(' | ')}\n`);
    // The search's HTTP round trip as the page saw it (Resource Timing).
    const fetches = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /\/rpc\/drugs\.search$/.test(e.name)).map((e) => e.duration));
    fetches.sort((a, b) => a - b);
    process.stderr.write(`bench picker: drugs.search round trip from the page: median ${fetches[Math.floor(fetches.length / 2)]?.toFixed(1)} ms, p99 ${fetches[Math.floor(fetches.length * 0.99)]?.toFixed(1)} ms over ${fetches.length}\n`);
    const source = release === null ? 'embedded sample' : 'BDPM 2019';
    const insideName = `prescription picker: keydown to painted results, in the page (${QUERIES.length} queries, every keystroke, ${PACE_MS} ms apart, ${source})`;
    return [
      { name: insideName, unit: 'ms', samples: paced.inside },
      { name: `prescription picker: keydown to results in the page (React committed; then the wait for the next frame), ${PACE_MS} ms apart`, unit: 'ms', samples: paced.committed, baseline: insideName },
      { name: `prescription picker: the same, keystrokes back to back (each as soon as the previous results show)`, unit: 'ms', samples: raced.inside, baseline: insideName },
      { name: `prescription picker: key press to results, from outside the page (Playwright, ${PACE_MS} ms apart)`, unit: 'ms', samples: paced.outside, baseline: insideName },
    ];
  } finally {
    await browser.close();
    await served.stop();
    tmp.remove();
  }
}
