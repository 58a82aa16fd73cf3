/**
 * Backups in Chromium, as a GP meets them: Réglages → Sauvegardes (the last one, the folder, one
 * now, a restore confirmed in a dialog, from the keyboard), and the « base endommagée » screen
 * when a page of ordo.db was overwritten: the diagnosis, the folders, « Restaurer », and the app
 * back once restored — never a blank window nor « Erreur inattendue ».
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDataDir, createApp } from '../../electron/app';
import { dispatch } from '../../electron/dispatch';
import { databasePath } from '../../electron/paths';
import { rpc, serveOrdo, type ServedOrdo } from '../support/cli';
import { overwritePage } from '../support/damage';
import { validProfile } from '../support/fixtures';
import { tempDir } from '../support/tmp';
import { e2eSkipReason, launchBrowser, openSignedInSession, type Session } from './harness';

const skip = e2eSkipReason();

const patient = (birthName: string) => ({ patient: { birthName, firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980' }, confirmed: [] });
const totalOf = async (served: ServedOrdo, query: string) => ((await rpc(served, 'patients.search', { query })).body.value as { total: number }).total;

/** Presses Tab until the focused element's text or label matches, as a keyboard user would. */
async function tabTo(page: Page, text: RegExp, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => `${document.activeElement?.getAttribute('aria-label') ?? ''} ${document.activeElement?.textContent ?? ''}`);
    if (text.test(focused)) return;
  }
  throw new Error(`${String(text)} not reached with Tab`);
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

describe.skipIf(skip !== undefined)('backups in Chromium', () => {
  let session: Session | undefined;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await session?.close();
    await close?.();
    session = undefined;
    close = undefined;
  });

  it('Réglages → Sauvegardes: the last backup and its folder, one now, a restore confirmed in a dialog from the keyboard', async () => {
    session = await openSignedInSession();
    const { page, served } = session;
    expect((await rpc(served, 'patients.create', patient('Avant'))).body.ok).toBe(true);
    await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    const region = page.getByRole('region', { name: 'Sauvegardes' });
    await region.waitFor();
    await expect.poll(() => region.textContent()).toContain(`${session.dataDir}/backups`);

    await region.getByRole('button', { name: 'Sauvegarder maintenant' }).click();
    await expect.poll(() => region.getByRole('status').first().textContent()).toMatch(/Sauvegarde « ordo-.*-manuelle\.db » faite et vérifiée\./);
    const table = region.getByRole('table', { name: /Sauvegardes disponibles/ });
    await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(1);
    expect(await table.textContent()).toContain('manuelle');
    expect(await table.textContent()).toContain('vérifiée');
    expect(await region.getByTestId('last-backup').textContent()).toMatch(/\d{4} à \d{2}:\d{2} \(\d+ Ko\)/);

    // Written after the backup: gone once it is restored.
    expect((await rpc(served, 'patients.create', patient('Apres'))).body.ok).toBe(true);
    expect(await totalOf(served, 'apres')).toBe(1);

    // From the keyboard: the row's button, the dialog opens on « Annuler »; Échap closes it, nothing changes.
    await tabTo(page, /Restaurer la sauvegarde manuelle du/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Restaurer cette sauvegarde ?' });
    await dialog.waitFor();
    expect(await focusedText(page)).toBe('Annuler');
    expect(await dialog.textContent()).toContain('La base actuelle est d’abord conservée');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await totalOf(served, 'apres')).toBe(1);

    await tabTo(page, /Restaurer la sauvegarde manuelle du/);
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Shift+Tab');
    expect(await focusedText(page)).toBe('Restaurer');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => region.textContent()).toMatch(/Sauvegarde « ordo-.*-manuelle\.db » restaurée\. La base précédente est conservée : « avant-restauration-/);
    expect(await totalOf(served, 'apres')).toBe(0);
    expect(await totalOf(served, 'avant')).toBe(1);
    // The table now lists the database kept aside.
    await expect.poll(() => table.textContent()).toContain('avant restauration');
    expect(session.pageErrors).toEqual([]);
  });

  it('a page of ordo.db overwritten: the « base endommagée » screen with the diagnosis and the backups; « Restaurer » brings the app back', async () => {
    const tmp = tempDir('ordo-e2e-damaged-');
    const dataDir = tmp.dir;
    const app = createApp({ dataDir, mode: 'host', jobs: { threads: false } });
    expect(await dispatch(app.services, 'profile.save', validProfile)).toMatchObject({ ok: true });
    for (const name of ['Durand', 'Dupont']) expect(await dispatch(app.services, 'patients.create', patient(name))).toMatchObject({ ok: true });
    app.close();
    await backupDataDir(dataDir);
    overwritePage(databasePath(dataDir), { table: 'patients' });

    const served = await serveOrdo(dataDir);
    const browser = await launchBrowser();
    close = async () => {
      await browser.close();
      await served.stop();
      tmp.remove();
    };
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(served.url);

    const screen = page.getByTestId('damaged-database');
    await screen.waitFor({ timeout: 30_000 });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('La base de données est endommagée');
    const text = async () => (await screen.textContent()) ?? '';
    await expect.poll(async () => (await page.getByTestId('damaged-diagnosis').textContent()) ?? '').toMatch(/endommagé/);
    expect(await text()).toContain(dataDir);
    expect(await text()).toContain(`${dataDir}/backups`);
    expect(await text()).not.toMatch(/Erreur inattendue|erreur inattendue/);
    // Only the backups answer meanwhile.
    expect((await rpc(served, 'patients.search', { query: 'durand' })).body).toMatchObject({ ok: false, error: { code: 'DATABASE_ERROR' } });

    await screen.getByRole('button', { name: /Restaurer la sauvegarde manuelle du/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Restaurer cette sauvegarde ?' });
    await dialog.getByRole('button', { name: 'Restaurer', exact: true }).click();
    // The app is back on the restored database.
    await page.getByRole('navigation', { name: 'Navigation principale' }).waitFor({ timeout: 30_000 });
    expect(await totalOf(served, 'dupont')).toBe(1);
    expect(await totalOf(served, 'durand')).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
