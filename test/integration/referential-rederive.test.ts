/**
 * A referential an older Ordo installed (format version 1: same rows, older labels and search
 * words) is rebuilt from its own rows with today's rules when the service finds it: the GP reads
 * today's labels without re-importing, and the release's metadata is kept.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../electron/clock';
import { demoReferentialDir } from '../../electron/drugs/assets';
import { currentFile, referentialDir } from '../../electron/drugs/files';
import { importBdpm } from '../../electron/drugs/import';
import { REFERENTIAL_VERSION } from '../../electron/drugs/schema';
import { inlineDrugService } from '../support/drugs';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-rederive-');
afterAll(() => tmp.remove());

describe('a referential of the previous format version', () => {
  it('is rebuilt with the current labels and search words, its release kept, once', async () => {
    const demo = demoReferentialDir();
    expect(demo, 'the demonstration release ships with the project').toBeDefined();
    const clock = fixedClock('2026-11-25T10:00:00Z');
    await importBdpm(demo!, tmp.dir, { sqlite: {}, now: () => clock.now(), source: 'an older Ordo', releaseDate: { date: '2026-11-01', source: 'declared' } });
    const installed = currentFile(referentialDir(tmp.dir), 'drugs')!;
    // What an older Ordo left: version 1, its own labels and words.
    const old = new Database(installed);
    const expected = new Map((old.prepare('SELECT cis, dci_label FROM specialty').raw().all() as [string, string][]).map(([cis, label]) => [cis, label]));
    old.prepare("UPDATE specialty SET dci_label = 'libellé d’une ancienne version', search_words = '', search_primary = ''").run();
    old.pragma('user_version = 1');
    old.close();

    const drugs = inlineDrugService({ dataDir: tmp.dir, clock, sqlite: {} });
    try {
      const status = await drugs.status();
      expect(status).toMatchObject({ state: 'real', releaseDate: '2026-11-01', releaseDateSource: 'declared', source: 'an older Ordo' });
      const rebuilt = currentFile(referentialDir(tmp.dir), 'drugs')!;
      expect(rebuilt).not.toBe(installed);
      expect(existsSync(installed), 'the old file is removed once the new one is installed').toBe(false);
      const db = new Database(rebuilt, { readonly: true });
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(REFERENTIAL_VERSION);
        const labels = new Map(db.prepare('SELECT cis, dci_label FROM specialty').raw().all() as [string, string][]);
        expect(labels).toEqual(expected);
        expect(db.prepare("SELECT value FROM meta WHERE key = 'rederived_at'").pluck().get()).toBe('2026-11-25T10:00:00.000Z');
      } finally {
        db.close();
      }
      // The search reads the rebuilt words: a brand and a strength are found again.
      const result = await drugs.search('doliprane 500');
      expect(result.groups.length).toBeGreaterThan(0);
      expect(result.groups.flatMap((g) => g.items.map((i) => i.name)).some((name) => /DOLIPRANE 500/i.test(name))).toBe(true);
    } finally {
      drugs.close();
    }
  });
});
