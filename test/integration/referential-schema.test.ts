/** The referential's hot reads use an index, as the planner says (not a scan of 20,000 packs). */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoReferentialDir } from '../../electron/drugs/assets';
import { currentFile, referentialDir } from '../../electron/drugs/files';
import { importBdpm } from '../../electron/drugs/import';
import { rulesBetweenSql } from '../../electron/drugs/interactions';
import { interactionsSchema } from '../../electron/drugs/interactions-schema';
import { openReferential, referentialQueries } from '../../electron/drugs/referential';
import { openSqlite } from '../../electron/db/open';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-referential-schema-');
afterAll(() => tmp.remove());

const plan = (db: ReturnType<typeof openSqlite>, sql: string, params: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('referential query plans', () => {
  it.each(Object.entries(referentialQueries))('%s uses an index', async (name, sql) => {
    const dataDir = join(tmp.dir, name);
    await importBdpm(demoReferentialDir()!, dataDir, { sqlite: {}, now: () => new Date(), source: 'test' });
    const db = openReferential(currentFile(referentialDir(dataDir), 'drugs')!, {})!;
    const detail = plan(db, sql, ['x']);
    db.close();
    expect(detail).toMatch(/USING (INDEX|PRIMARY KEY|COVERING INDEX)/);
    expect(detail).not.toMatch(/^SCAN \w+$/);
  });

  it('the interaction lookup uses the protagonist index', () => {
    const db = openSqlite(join(tmp.dir, 'rules.sqlite'));
    db.exec(interactionsSchema);
    expect(plan(db, rulesBetweenSql(3), ['a', 'b', 'c', 'a', 'b', 'c'])).toMatch(/USING INDEX rule_by_protagonist/);
    db.close();
  });
});
