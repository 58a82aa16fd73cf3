/**
 * Réglages → « Adresse de téléchargement » as a GP uses it with the keyboard: a refused address
 * says why next to the field, a valid one is saved and still there after a reload, and
 * « Rétablir l’adresse officielle » goes back to the ANSM's.
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
});
