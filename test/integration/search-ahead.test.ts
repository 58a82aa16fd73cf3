/**
 * `drugs.searchAhead`: the first page of every query one character longer, exactly what
 * `drugs.search` answers for it, computed in the search thread; and a search the GP waits for is
 * answered before the rest of a batch asked ahead of time.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { dispatch } from '../../electron/dispatch';
import { referentialDir } from '../../electron/drugs/files';
import { threadSearcher } from '../../electron/drugs/searcher';
import type { DrugSearchResult } from '../../shared/calls/drugs';
import { FIRST_PAGE_GROUPS, SEARCH_AHEAD } from '../../shared/domain/drugs';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-search-ahead-');
const dataDir = join(tmp.dir, 'data');
let app: OrdoApp;

async function call<T>(name: string, input: unknown): Promise<T> {
  const result = await dispatch(app.services, name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as T;
}

beforeAll(() => {
  // Threads as in the app: the search runs in the search thread.
  app = createApp({ dataDir, mode: 'host' });
});
afterAll(() => {
  app.close();
  tmp.remove();
});

describe('drugs.searchAhead', () => {
  it.each(['', 'a', 'amo', 'paracetamol ', 'doli'])('answers for « %s » + each next character what drugs.search answers', async (query) => {
    const ahead = await call<{ query: string; answers: DrugSearchResult[] }>('drugs.searchAhead', { query });
    expect(ahead.query).toBe(query);
    expect(ahead.answers.map((a) => a.query)).toEqual(SEARCH_AHEAD.map((c) => `${query}${c}`));
    for (const answer of ahead.answers) {
      expect(answer).toEqual(await call<DrugSearchResult>('drugs.search', { query: answer.query, limit: FIRST_PAGE_GROUPS }));
    }
    // Not a list of empty pages: the demonstration base has drugs for the next letters of these.
    expect(ahead.answers.some((a) => a.totalGroups > 0)).toBe(true);
  });

  it('refuses, in French, a query that could not grow by one character', async () => {
    const result = await dispatch(app.services, 'drugs.searchAhead', { query: 'a'.repeat(200) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(JSON.stringify(result.error.fields)).toMatch(/La recherche/);
  });
});

describe('the search thread', () => {
  it('answers a search sent during a batch before the batch ends', async () => {
    await call('drugs.search', { query: 'a' });
    const file = readdirSync(referentialDir(dataDir)).find((f) => f.endsWith('.sqlite'));
    expect(file).toBeDefined();
    const searcher = threadSearcher({});
    try {
      await searcher.load(join(referentialDir(dataDir), file!));
      const order: string[] = [];
      const batch = searcher.searchMany(Array.from({ length: 3000 }, (_, i) => `a${SEARCH_AHEAD[i % SEARCH_AHEAD.length]!}`), { limit: FIRST_PAGE_GROUPS }).then((pages) => {
        order.push('batch');
        return pages;
      });
      const one = searcher.search('amox', { limit: FIRST_PAGE_GROUPS }).then((page) => {
        order.push('search');
        return page;
      });
      const [pages, page] = await Promise.all([batch, one]);
      expect(order).toEqual(['search', 'batch']);
      expect(pages).toHaveLength(3000);
      expect(page.totalGroups).toBeGreaterThan(0);
    } finally {
      searcher.close();
    }
  });
});

describe.skipIf(!hasSharedData)('drugs.searchAhead on the whole 2019 BDPM', () => {
  it('answers, for every prefix of queries GPs type, exactly what drugs.search answers for each next character', { timeout: 120_000 }, async () => {
    const real = createApp({ dataDir: join(tmp.dir, 'bdpm-2019'), mode: 'host', jobs: { threads: false } });
    const ask = async <T>(name: string, input: unknown): Promise<T> => {
      const result = await dispatch(real.services, name, input);
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
      return result.value as T;
    };
    try {
      expect((await real.tools.importBdpmFolder(join(sharedDataDir, 'bdpm-2019'), '2019-10-01')).state).toBe('done');
      let compared = 0;
      for (const typed of ['amoxicilline 500', 'doliprane', 'paracétamol 1 g', 'levothyrox', 'xanax']) {
        for (let i = 0; i < typed.length; i++) {
          const { answers } = await ask<{ answers: DrugSearchResult[] }>('drugs.searchAhead', { query: typed.slice(0, i) });
          for (const answer of answers) {
            expect(answer, answer.query).toEqual(await ask<DrugSearchResult>('drugs.search', { query: answer.query, limit: FIRST_PAGE_GROUPS }));
            compared++;
          }
          // The letter the GP typed next is among them, with results.
          expect(answers.find((a) => a.query === typed.slice(0, i + 1))?.totalGroups ?? 0, typed.slice(0, i + 1)).toBeGreaterThan(0);
        }
      }
      expect(compared).toBeGreaterThan(2000);
    } finally {
      real.close();
    }
  });
});
