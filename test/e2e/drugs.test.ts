/**
 * The drug database as a GP meets it in Chromium: demonstration data flagged at first, an update
 * from Réglages (against a local server on 127.0.0.1 serving the 2019 release, or the sample when
 * ../shared/data is absent) with its progress bar and the new date, then a search on Prescrire.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoReferentialDir } from '../../electron/drugs/assets';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { serveDirectory, type StaticServer } from '../support/static-server';
import { writeSyntheticBdpm } from '../support/synthetic-bdpm';
import { tempDir } from '../support/tmp';
import { e2eSkipReason, openSignedInSession, type Session } from './harness';

const skip = e2eSkipReason();
const releaseDir = hasSharedData ? join(sharedDataDir, 'bdpm-2019') : demoReferentialDir()!;
if (!hasSharedData) process.stderr.write(`drugs e2e: ${sharedDataDir} absent, updating from the embedded sample instead\n`);

const frenchDay = (date: Date) => date.toISOString().slice(0, 10).split('-').reverse().join('/');

describe.skipIf(skip !== undefined)('drug database in Chromium', () => {
  let session: Session | undefined;
  let server: StaticServer | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
    await server?.close();
    server = undefined;
  });

  async function signedIn(): Promise<Session> {
    // Slow bodies so the progress bar is on screen long enough for a person (and this test) to see it.
    server = await serveDirectory(releaseDir, { throttleBytesPerSecond: hasSharedData ? 4_000_000 : 8_000 });
    // The embedded sample (45 specialties) is a test release: it may replace the demonstration data only when told so.
    return openSignedInSession({ ORDO_BDPM_BASE_URL: server.url, ...(hasSharedData ? {} : { ORDO_BDPM_ALLOW_SMALL_RELEASE: '1' }) });
  }

  it('Réglages: demonstration data, then an update with a progress bar, then the new date', async () => {
    session = await signedIn();
    const { page } = session;
    await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    const section = page.getByRole('region', { name: 'Base des médicaments (BDPM)' });
    await expect.poll(() => section.textContent(), { timeout: 15_000 }).toMatch(/données de démonstration — non utilisables pour un patient réel/i);

    // Progress comes pushed over GET /events: during the update the page asks nothing about it.
    const asked: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/rpc/') || path === '/events') asked.push(path);
    });
    await section.getByRole('button', { name: 'Mettre à jour la base des médicaments' }).click();
    const bar = section.getByRole('progressbar', { name: 'Progression de la mise à jour' });
    await bar.waitFor({ timeout: 10_000 });

    // A reload in the middle shows the update where it stands, and it goes on.
    await page.reload();
    await page.getByRole('navigation', { name: 'Navigation principale' }).waitFor();
    await bar.waitFor({ timeout: 10_000 });
    const afterReload = asked.length;
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          if (await bar.isVisible()) seen.add((await bar.getAttribute('value')) ?? '');
          return section.getByTestId('drug-update-result').textContent();
        },
        { timeout: 90_000, interval: 100 },
      )
      .toMatch(/Mise à jour terminée : [\d\s ]+ spécialités importées/);
    expect(seen.size).toBeGreaterThan(1);
    const duringUpdate = asked.slice(afterReload);
    expect(duringUpdate.filter((path) => path.startsWith('/rpc/jobs.'))).toEqual([]);
    // Once it ended, what shows the base is refetched once (the referential.changed event), not polled.
    expect(duringUpdate.filter((path) => path === '/rpc/drugs.status').length).toBeLessThanOrEqual(2);

    const mtime = new Date(Math.max(...['CIS_bdpm.txt', 'CIS_CIP_bdpm.txt', 'CIS_COMPO_bdpm.txt', 'CIS_GENER_bdpm.txt', 'CIS_CPD_bdpm.txt'].map((f) => statSync(join(releaseDir, f)).mtimeMs)));
    await expect.poll(() => page.getByTestId('drug-release-date').textContent(), { timeout: 15_000 }).toBe(`${frenchDay(mtime)} (date du serveur)`);
    expect(await page.getByTestId('drug-import-date').textContent()).toMatch(/^\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}$/);
    expect(await section.textContent()).toContain(server!.url);
    expect(await section.textContent()).not.toMatch(/démonstration/i);

    // The new base is the one Prescrire searches.
    await page.getByRole('navigation').getByRole('link', { name: 'Prescrire' }).click();
    const box = page.getByRole('combobox', { name: 'Rechercher un médicament' });
    await box.pressSequentially('amox 500', { delay: 30 });
    await page.getByRole('listbox').getByRole('group', { name: 'amoxicilline 500 mg, gélule' }).waitFor();
    expect(await page.getByRole('region', { name: 'Base des médicaments' }).textContent()).not.toMatch(/démonstration/i);
    expect(session.pageErrors).toEqual([]);
  }, 180_000);

  it('Prescrire: the count of groups, the next groups and a group’s other specialties from the keyboard', async () => {
    // A full-size synthetic release: groups of many generics, hundreds of groups for one letter.
    const tmp = tempDir('ordo-e2e-drugs-');
    try {
      writeSyntheticBdpm(tmp.dir);
      server = await serveDirectory(tmp.dir);
      session = await openSignedInSession({ ORDO_BDPM_BASE_URL: server.url });
      const { page } = session;
      await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
      const section = page.getByRole('region', { name: 'Base des médicaments (BDPM)' });
      await section.getByRole('button', { name: 'Mettre à jour la base des médicaments' }).click();
      await expect.poll(() => section.getByTestId('drug-update-result').textContent(), { timeout: 90_000 }).toMatch(/Mise à jour terminée/);

      await page.getByRole('navigation').getByRole('link', { name: 'Prescrire' }).click();
      const box = page.getByRole('combobox', { name: 'Rechercher un médicament' });
      await box.pressSequentially('paracetamol', { delay: 20 });
      const status = page.locator('.drug-search__status');
      // « 1 234 groupes … » : French thousands separator (narrow no-break space) when there are that many.
      await expect.poll(() => status.textContent()).toMatch(/^(\d{1,3}(\u202f\d{3})*) groupes de médicaments trouvés, 10 affichés\.$/);
      const total = Number((await status.textContent())!.split(' groupes')[0]!.replace(/\u202f/g, ''));
      const list = page.getByRole('listbox', { name: 'Médicaments trouvés' });
      expect(await list.getByRole('group').count()).toBe(10);

      // Tab reaches the buttons; Enter on « Afficher … » shows the next groups and gives the box
      // the focus back on the first new one.
      const more = page.getByRole('button', { name: /^Afficher (les \d+ autres groupes|20 groupes de plus)/ });
      await more.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => list.getByRole('group').count()).toBe(Math.min(30, total));
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
      const activeId = await box.getAttribute('aria-activedescendant');
      const eleventh = list.getByRole('group').nth(10);
      expect(await eleventh.locator(`[id="${activeId}"]`).count()).toBe(1);
      await expect.poll(() => status.textContent()).toContain(`, ${Math.min(30, total)} affichés.`);

      // « … et N autres spécialités » opens the group whole.
      const openName = /^… et [\d\u202f]+ autres? spécialités?$/;
      const groupId = await list.getByRole('group').filter({ has: page.getByRole('button', { name: openName }) }).first().getAttribute('aria-labelledby');
      const group = list.locator(`[role="group"][aria-labelledby="${groupId}"]`);
      const open = group.getByRole('button', { name: openName });
      const label = (await open.textContent())!;
      const others = Number(/… et ([\d\u202f]+) autres?/.exec(label)![1]!.replace(/\u202f/g, ''));
      const before = await group.getByRole('option').count();
      await open.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => group.getByRole('option').count()).toBe(before + others);
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
      await box.press('Enter');
      await expect.poll(() => page.locator('#drug-detail-title').count()).toBe(1);
      expect(session.pageErrors).toEqual([]);
    } finally {
      tmp.remove();
    }
  }, 180_000);

  it('Prescrire: typing "amoxicilline" lists it grouped by DCI; arrows and Enter open its card', async () => {
    session = await signedIn();
    const { page } = session;
    await page.getByRole('navigation').getByRole('link', { name: 'Prescrire' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Prescrire');
    expect(await page.getByRole('region', { name: 'Base des médicaments' }).textContent()).toMatch(/données de démonstration/i);
    expect(await page.textContent('main')).toContain('Consulter un médicament');

    const box = page.getByRole('combobox', { name: 'Rechercher un médicament' });
    await box.click();
    await box.pressSequentially('amoxicilline', { delay: 30 });
    const list = page.getByRole('listbox', { name: 'Médicaments trouvés' });
    const group = list.getByRole('group', { name: 'amoxicilline 500 mg, gélule' });
    await group.waitFor();
    expect(await group.getByRole('option').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('CLAMOXYL 500 mg, gélule')]));
    expect(await box.getAttribute('aria-expanded')).toBe('true');

    await box.press('ArrowDown');
    const activeId = await box.getAttribute('aria-activedescendant');
    expect(activeId).not.toBeNull();
    expect(await page.locator(`[id="${activeId}"]`).getAttribute('aria-selected')).toBe('true');
    await box.press('Enter');
    await expect.poll(() => page.locator('#drug-detail-title').textContent()).toMatch(/^amoxicilline/);
    expect(await page.locator('.drug-detail').textContent()).toContain('34009');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('.drug-search__status').textContent()).toMatch(/groupes? de médicaments trouvés?/);

    // Closing the card gives the focus back to the search box.
    await page.getByRole('button', { name: 'Fermer la fiche' }).click();
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);

    // Enter right after a new query never picks a drug from the previous query's results (kept on
    // screen while the new ones load, here slowed down so the window cannot be missed).
    await box.press('ArrowDown');
    await page.route('**/rpc/drugs.search', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 600));
      await route.continue();
    });
    await box.fill('paracetamol');
    await box.press('Enter');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await page.locator('#drug-detail-title').count()).toBe(0);
    // Wait for the slowed requests to end before removing the route (else Playwright handles them twice).
    await page.unrouteAll({ behavior: 'wait' });
    await expect.poll(() => page.locator('.drug-search__status').textContent()).toMatch(/trouvé|Aucun/);
    expect(await page.locator('.drug-search__status').textContent()).not.toMatch(/Chargement/);
    const title = page.locator('#drug-detail-title');
    if ((await title.count()) > 0) {
      expect(await title.textContent()).toMatch(/^paracétamol/);
      await page.getByRole('button', { name: 'Fermer la fiche' }).click();
    }

    await box.fill('');
    await box.pressSequentially('3400999', { delay: 20 });
    await expect.poll(() => list.getByRole('option').count()).toBeGreaterThan(0);
    await box.press('Escape');
    expect(await box.inputValue()).toBe('');
    expect(session.pageErrors).toEqual([]);
  }, 60_000);
});
