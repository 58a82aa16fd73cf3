/**
 * Réglages → « Adresse de téléchargement » as a GP uses it with the keyboard: a refused address
 * says why next to the field, a valid one is saved and still there after a reload, and
 * « Rétablir l’adresse officielle » goes back to the ANSM's. Réglages reads as French: the
 * demonstration warning points below (not « dans Réglages », where the GP already is), every
 * file chooser is the French one, and numbers carry French separators.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rpc } from '../support/cli';
import { validProfile } from '../support/fixtures';
import { e2eSkipReason, openSession, type Session } from './harness';

const skip = e2eSkipReason();
const OFFICIAL = 'https://base-donnees-publique.medicaments.gouv.fr/download/file/';

describe.skipIf(skip !== undefined)('download address in Chromium', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('is typed, refused with a French message, saved, kept after a reload, then reset', async () => {
    // Blank: no override, the address comes from Réglages. Nothing is downloaded here.
    session = await openSession({ ORDO_BDPM_BASE_URL: '' });
    const { page } = session;
    expect(await rpc(session.served, 'profile.save', validProfile)).toMatchObject({ body: { ok: true } });
    await page.reload();
    const openSettings = async () => {
      await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Réglages' }).click();
      const form = page.getByRole('form', { name: 'Adresse de téléchargement' });
      await form.waitFor();
      return { form, field: form.getByRole('textbox', { name: 'Adresse de téléchargement' }) };
    };

    let { form, field } = await openSettings();
    await expect.poll(() => field.inputValue()).toBe(OFFICIAL);
    expect(await form.getByRole('status').textContent()).toBe('Adresse officielle utilisée.');

    await field.fill('');
    await field.pressSequentially('http://miroir.exemple.fr');
    await field.press('Enter');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    expect(await form.textContent()).toContain('Seule une adresse sécurisée (https://) est acceptée');
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);

    await field.fill('');
    await field.pressSequentially('https://Miroir.exemple.fr/bdpm');
    await field.press('Enter');
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Adresse de téléchargement enregistrée.');
    expect(await field.inputValue()).toBe('https://miroir.exemple.fr/bdpm/');
    expect(await field.getAttribute('aria-invalid')).toBeNull();

    await page.reload();
    ({ form, field } = await openSettings());
    await expect.poll(() => field.inputValue()).toBe('https://miroir.exemple.fr/bdpm/');

    await field.focus();
    await page.keyboard.press('Tab'); // Enregistrer l’adresse
    await page.keyboard.press('Tab'); // Rétablir l’adresse officielle
    await page.keyboard.press('Enter');
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Adresse officielle rétablie.');
    expect(await field.inputValue()).toBe(OFFICIAL);
    expect(session.pageErrors).toEqual([]);
  }, 60_000);

  it('Réglages is in French: the demo warning points below, file choosers are French buttons, numbers are French', async () => {
    session = await openSession({ ORDO_BDPM_BASE_URL: '' });
    const { page } = session;
    expect(await rpc(session.served, 'profile.save', validProfile)).toMatchObject({ body: { ok: true } });
    await page.reload();
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Réglages' }).click();
    const drugs = page.getByRole('region', { name: 'Base des médicaments (BDPM)' });
    await expect.poll(() => drugs.textContent(), { timeout: 15_000 }).toContain('Données de démonstration — non utilisables pour un patient réel. Mettez à jour la base des médicaments ci-dessous.');
    const main = (await page.textContent('main')) ?? '';
    expect(main).not.toContain('dans Réglages');
    expect(main).not.toMatch(/Choose File|No file chosen|Parcourir/);
    // Every file input is the French one: out of sight, its « Choisir un fichier… » button and the chosen name beside it.
    const inputs = page.locator('input[type="file"]');
    expect(await inputs.count()).toBeGreaterThanOrEqual(2);
    for (const input of await inputs.all()) {
      expect(await input.evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
      const row = input.locator('xpath=..');
      expect(await row.locator('.file-field__button').textContent()).toBe('Choisir un fichier…');
      expect(await row.locator('.file-field__name').textContent()).toBe('Aucun fichier choisi');
    }
    // The apostrophes a GP reads are typographic.
    expect(main).not.toMatch(/[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]/);
    // Counts go through the French formatter (the demonstration base has fewer than 1 000 specialties).
    expect(await drugs.textContent()).toMatch(/Contenu\d+ spécialités, \d+ présentations/);
    expect(session.pageErrors).toEqual([]);
  }, 60_000);
});
