/**
 * Réglages → « Adresse de téléchargement » as a GP uses it with the keyboard: a refused address
 * says why next to the field, a valid one is saved and still there after a reload, and
 * « Rétablir l’adresse officielle » goes back to the ANSM's. Réglages reads as French: the
 * demonstration warning points below (not « dans Réglages », where the GP already is), every
 * file chooser is the French one, and numbers carry French separators. An update the server
 * lacks a file for is refused, then imported on the GP's confirmation from the keyboard, and the
 * missing part is said in Réglages, on Prescrire and on the drug card.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { demoReferentialDir } from '../../electron/drugs/assets';
import { rpc } from '../support/cli';
import { serveDirectory, type StaticServer } from '../support/static-server';
import { validProfile } from '../support/fixtures';
import { e2eSkipReason, openSession, type Session } from './harness';

const skip = e2eSkipReason();
const OFFICIAL = 'https://base-donnees-publique.medicaments.gouv.fr/download/file/';

describe.skipIf(skip !== undefined)('download address in Chromium', () => {
  let session: Session | undefined;
  let server: StaticServer | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
    await server?.close();
    server = undefined;
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

  it('a release lacking a file is refused, imported on confirmation from the keyboard, and shown as partial everywhere', async () => {
    // The embedded sample without its compositions, served on 127.0.0.1 (a test release: 45 specialties).
    server = await serveDirectory(demoReferentialDir()!, { missing: ['CIS_COMPO_bdpm.txt'] });
    session = await openSession({ ORDO_BDPM_BASE_URL: server.url, ORDO_BDPM_ALLOW_SMALL_RELEASE: '1' });
    const { page } = session;
    expect(await rpc(session.served, 'profile.save', validProfile)).toMatchObject({ body: { ok: true } });
    await page.reload();
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Réglages' }).click();
    const section = page.getByRole('region', { name: 'Base des médicaments (BDPM)' });
    const update = section.getByRole('button', { name: 'Mettre à jour la base des médicaments' });
    await update.click();

    const refusal = section.getByRole('group', { name: /^Mise à jour non installée : Version incomplète/ });
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.getByRole('alert').textContent()).toBe(
      'Mise à jour non installée : Version incomplète, fichier absent : CIS_COMPO_bdpm.txt (compositions). Une telle version n’est importée que sur confirmation, et la base serait alors partielle (compositions absentes). Les données précédentes sont conservées.',
    );
    const confirm = refusal.getByRole('button', { name: 'Importer quand même (base partielle)' });
    // Its description says what the GP accepts.
    expect(await confirm.getAttribute('aria-describedby')).toMatch(/refused .*consequences$/);
    expect(await refusal.textContent()).toContain('les fiches des médicaments indiqueront « non disponible » pour ce qui manque');
    expect(await section.textContent()).toMatch(/données de démonstration/i);

    // From the keyboard: Tab from « Mettre à jour » reaches the confirmation, Enter confirms.
    await update.focus();
    await page.keyboard.press('Tab');
    expect(await confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => section.getByTestId('drug-update-result').textContent(), { timeout: 60_000 }).toMatch(/^Mise à jour terminée : \d+ spécialités importées\.$/);
    expect(await section.textContent()).toContain('Importée sans CIS_COMPO_bdpm.txt : base partielle : compositions absentes.');
    await expect.poll(() => section.getByTestId('drug-missing-files').textContent(), { timeout: 15_000 }).toBe('CIS_COMPO_bdpm.txt — Base partielle : compositions absentes.');
    expect(await section.textContent()).toContain('Base partielle : compositions absentes.');

    // Prescrire's status line, and the card, which says « non disponible » rather than nothing.
    await page.getByRole('navigation').getByRole('link', { name: 'Prescrire' }).click();
    const status = page.getByRole('region', { name: 'Base des médicaments' });
    await expect.poll(() => status.textContent()).toContain('Base partielle : compositions absentes.');
    const box = page.getByRole('combobox', { name: 'Rechercher un médicament' });
    await box.pressSequentially('clamoxyl', { delay: 20 });
    await page.getByRole('listbox', { name: 'Médicaments trouvés' }).getByRole('option').first().waitFor();
    await box.press('ArrowDown');
    await box.press('Enter');
    await expect.poll(() => page.locator('.drug-detail').textContent()).toContain(
      'Non disponible : base partielle (fichier CIS_COMPO_bdpm.txt absent de la version importée).',
    );
    expect(session.pageErrors).toEqual([]);
  }, 120_000);

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
