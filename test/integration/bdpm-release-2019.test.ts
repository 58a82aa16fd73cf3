/**
 * The real, complete November 2019 BDPM release (../shared/data, never copied into the project):
 * every line imports, and a GP's searches find the right drug in the first results.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrugSearchResult } from '../../shared/calls/drugs';
import Database from 'better-sqlite3';
import { bdpmFileNames } from '../../electron/drugs/bdpm-files';
import { currentFile, referentialDir } from '../../electron/drugs/files';
import type { DrugService } from '../../electron/drugs/service';
import type { ImportSummary } from '../../shared/calls/drugs';
import { importFolder, inlineDrugService } from '../support/drugs';
import { fixedClock } from '../../electron/clock';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { tempDir } from '../support/tmp';

const release = join(sharedDataDir, 'bdpm-2019');
if (!hasSharedData) process.stderr.write(`BDPM 2019 release tests skipped: ${release} absent (real data lives outside the project)\n`);

/** Non-blank lines, counted on the raw bytes so the test does not share the importer's decoding. */
const lineCount = (file: string) => readFileSync(join(release, file)).toString('latin1').split('\n').filter((l) => l.trim() !== '').length;

describe.skipIf(!hasSharedData)('the BDPM 2019 release', () => {
  const tmp = tempDir('ordo-bdpm2019-');
  let drugs: DrugService;
  let importMs = 0;
  let summary: ImportSummary;

  beforeAll(async () => {
    const clock = fixedClock('2026-11-25T10:00:00Z');
    drugs = inlineDrugService({ dataDir: tmp.dir, clock, sqlite: {} });
    const started = performance.now();
    summary = await importFolder(drugs, tmp.dir, release, clock);
    importMs = performance.now() - started;
    process.stderr.write(`BDPM 2019 import: ${Math.round(importMs)} ms\n`);
  }, 120_000);
  afterAll(() => {
    drugs.close();
    tmp.remove();
  });

  it('imports every line of every file', () => {
    expect(summary.rejectedCount).toBe(0);
    expect(summary.missingFiles).toEqual([]);
    for (const file of bdpmFileNames) {
      const report = summary.files.find((f) => f.file === file)!;
      expect(report, file).toMatchObject({ present: true, encoding: 'windows-1252', rejected: 0 });
      expect(report.imported, file).toBe(lineCount(file));
    }
    expect(summary.files.map((f) => f.imported)).toEqual([14_442, 20_083, 27_023, 8_516, 19_106]);
  });

  it('keeps the price of every pack that has one, 1,000 € and more included (2,849,83)', () => {
    const raw = readFileSync(join(release, 'CIS_CIP_bdpm.txt')).toString('latin1').split('\n').map((l) => l.split('\t'));
    const written = new Map(raw.filter((f) => f.length > 9).map((f) => [f[6]!.trim(), [9, 10, 11].map((c) => (f[c] ?? '').trim() !== '')]));
    expect(raw.filter((f) => /^\d{1,3}(,\d{3})+,\d{2}$/.test((f[9] ?? '').trim())).length).toBe(123);
    const db = new Database(currentFile(referentialDir(tmp.dir), 'drugs'), { readonly: true });
    try {
      const stored = db.prepare('SELECT cip13, price_cents, price_with_fee_cents, fee_cents FROM pack').all() as { cip13: string; price_cents: number | null; price_with_fee_cents: number | null; fee_cents: number | null }[];
      const lost = stored.filter((p) => {
        const [price, withFee, fee] = written.get(p.cip13) ?? [];
        return (price === true && p.price_cents === null) || (withFee === true && p.price_with_fee_cents === null) || (fee === true && p.fee_cents === null);
      });
      expect(lost.map((p) => p.cip13)).toEqual([]);
      expect(stored.filter((p) => (p.price_cents ?? 0) >= 100_000).length).toBe(123);
    } finally {
      db.close();
    }
  });

  it('reports counts, a release date and its staleness', async () => {
    const status = await drugs.status();
    expect(status).toMatchObject({ state: 'real', counts: { specialties: 14_442, packs: 20_083, compositions: 27_023 }, releaseDateSource: 'content', stale: true });
    expect(status.releaseDate).toMatch(/^201\d-\d{2}-\d{2}$/);
  });

  const first = (r: DrugSearchResult, n = 10) => r.groups.flatMap((g) => g.items.map((i) => ({ ...i, dciLabel: g.dciLabel }))).slice(0, n);
  const labels = (r: DrugSearchResult) => r.groups.map((g) => g.dciLabel);

  it('"amox 500" finds amoxicilline 500 mg', async () => {
    expect(labels(await drugs.search('amox 500'))).toContain('amoxicilline 500 mg, gélule');
    expect(labels(await drugs.search('amox 500')).slice(0, 3)).toContain('amoxicilline 500 mg, gélule');
  });

  it('finds a brand, by prefix, accents and case aside', async () => {
    expect(first(await drugs.search('clamoxyl')).some((i) => i.name.startsWith('CLAMOXYL'))).toBe(true);
    expect(first(await drugs.search('DOLIPRANE 1000')).some((i) => i.name === 'DOLIPRANE 1000 mg, comprimé')).toBe(true);
    expect(first(await drugs.search('levothyr')).some((i) => i.name.startsWith('LEVOTHYROX'))).toBe(true);
  });

  it('finds a DCI with or without its accents', async () => {
    for (const q of ['paracétamol', 'paracetamol', 'PARACETAMOL 1 g']) expect(labels(await drugs.search(q))[0], q).toMatch(/^paracétamol/);
    expect(labels(await drugs.search('ibuprofene 400'))[0]).toMatch(/^ibuprofène 400 mg/);
  });

  it('finds a pack by CIP13 and CIP7, a specialty by CIS', async () => {
    const byCip13 = await drugs.search('3400949497294');
    expect(first(byCip13)).toEqual([expect.objectContaining({ cis: '60002283', matchedCode: '3400949497294' })]);
    expect(first(await drugs.search('4949729'))).toEqual([expect.objectContaining({ cis: '60002283', matchedCode: '4949729' })]);
    expect(first(await drugs.search('60002283'))).toEqual([expect.objectContaining({ cis: '60002283' })]);
  });

  it('shows flags: narcotic, hospital-only, not marketed, generic group', async () => {
    const skenan = first(await drugs.search('skenan'));
    expect(skenan[0]?.flags.narcotic).toBe(true);
    const hospital = first(await drugs.search('vancomycine'));
    expect(hospital.length).toBeGreaterThan(0);
    expect(hospital.every((i) => i.flags.hospitalOnly)).toBe(true);
    const notMarketed = (await drugs.search('clamoxyl')).groups.flatMap((g) => g.items).filter((i) => !i.marketed);
    expect(notMarketed.every((i) => i.flags.notMarketed)).toBe(true);
    const detail = await drugs.get('69118175');
    expect(detail).toMatchObject({ dciLabel: 'amoxicilline 500 mg, gélule', genericType: 'generic', flags: { listI: true } });
  });

  const cisOf = async (query: string, options: { limit?: number; offset?: number } = {}) =>
    (await drugs.search(query, { limit: 50, ...options })).groups.flatMap((g) => g.items.map((i) => i.cis));

  it('« 500 » is a strength: the dental cream of pack code 5002989 is not among its results', async () => {
    const cream = (await drugs.search('5002989')).groups[0]!.items[0]!;
    expect(cream).toMatchObject({ cis: '65191044', matchedCode: '5002989' });
    const found = await cisOf('500');
    expect(found.length).toBeGreaterThan(0);
    expect(found).not.toContain(cream.cis);
    // What « 500 » shows first holds 500 in its name (paracétamol 500 mg…).
    const [first] = (await drugs.search('500')).groups;
    expect(first?.items.every((i) => /\b500\b/.test(i.name))).toBe(true);
  });

  it('« 1 g » is a strength with its unit, not the « 1 » of interféron bêta-1a', async () => {
    const interferons = await cisOf('interferon beta 1a');
    expect(interferons.length).toBeGreaterThan(0);
    const oneGram = await cisOf('1 g');
    expect(oneGram.length).toBeGreaterThan(0);
    expect(oneGram.filter((cis) => interferons.includes(cis))).toEqual([]);
  });

  it('« eliquis 5 » puts 5 mg before 2,5 mg; « µg » is not « g »', async () => {
    const eliquis = await cisOf('eliquis 5');
    expect(eliquis[0]).toBe('61902218');
    expect(eliquis.indexOf('69340279') === -1 || eliquis.indexOf('69340279') > eliquis.indexOf('61902218')).toBe(true);
    expect(await cisOf('eliquis 2,5')).toEqual(['69340279']);
    const micrograms = await cisOf('30 µg');
    const grams = await cisOf('30 g');
    expect(micrograms.length).toBeGreaterThan(0);
    expect(grams.length).toBeGreaterThan(0);
    expect(micrograms.filter((cis) => grams.includes(cis))).toEqual([]);
  });

  it('a CIP13 typed in groups (« 34009 3558 3 ») is one code', async () => {
    const items = (await drugs.search('34009 3558 3')).groups.flatMap((g) => g.items);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.matchedCode?.startsWith('3400935583') === true)).toBe(true);
  });

  it('counts every DOLIPRANE group and pages to the rest, the children’s suspension among them', async () => {
    const first = await drugs.search('doliprane');
    expect(first.groups).toHaveLength(10);
    expect(first.totalGroups).toBe(25);
    const rest = await drugs.search('doliprane', { offset: 10, limit: 20 });
    expect(rest.groups).toHaveLength(15);
    const all = [...first.groups, ...rest.groups];
    expect(new Set(all.map((g) => g.key)).size).toBe(25);
    const suspension = (await drugs.search('doliprane 2,4')).groups[0]!.items[0]!;
    expect(suspension.name).toMatch(/^DOLIPRANE 2,4 /);
    expect(all.flatMap((g) => g.items.map((i) => i.cis))).toContain(suspension.cis);
  });

  it('lists every specialty of a group on demand', async () => {
    const group = (await drugs.search('paracetamol 500')).groups.find((g) => g.total > g.items.length)!;
    const whole = await drugs.search('paracetamol 500', { group: group.key });
    expect(whole.groups[0]!.items).toHaveLength(group.total);
    expect(whole.groups[0]!.items.slice(0, group.items.length).map((i) => i.cis)).toEqual(group.items.map((i) => i.cis));
  });

  it('puts marketed brands first within a group', async () => {
    for (const group of (await drugs.search('amoxicilline')).groups) {
      const marketed = group.items.map((i) => i.marketed);
      expect(marketed).toEqual([...marketed].sort((a, b) => Number(b) - Number(a)));
    }
  });
});
