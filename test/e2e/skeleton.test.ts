import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { rpc } from '../support/cli';
import { validProfile } from '../support/fixtures';
import { e2eSkipReason, openSession, type Session } from './harness';

const skip = e2eSkipReason();

/** Presses Tab until the focused element matches, like a GP without a mouse. */
async function tabTo(page: Page, accessibleText: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return '';
      const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
      return label ?? el.textContent ?? '';
    });
    if (focused.includes(accessibleText)) return;
  }
  throw new Error(`focus never reached « ${accessibleText} »`);
}

describe.skipIf(skip !== undefined)('walking skeleton in Chromium', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('first run: the profile form in French, filled with the keyboard only, saved, still there after reload', async () => {
    session = await openSession();
    const { page } = session;
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Bienvenue dans Ordo');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');

    const typed: [string, string][] = [
      ['Nom', validProfile.lastName],
      ['Prénom', validProfile.firstName],
      ['Numéro RPPS', validProfile.rpps],
      ['Numéro Assurance Maladie', validProfile.amNumber],
      ['Adresse', validProfile.address],
      ['Code postal', validProfile.postalCode],
      ['Ville', validProfile.city],
      ['Téléphone', validProfile.phone],
      ['Adresse e-mail', validProfile.email],
    ];
    for (const [label, value] of typed) {
      await tabTo(page, label);
      await page.keyboard.type(value);
    }
    await tabTo(page, 'Enregistrer et commencer');
    await page.keyboard.press('Enter');

    await page.getByRole('navigation', { name: 'Navigation principale' }).waitFor();
    for (const link of ['Patients', 'Prescrire', 'Envois', 'Réglages']) {
      expect(await page.getByRole('navigation').getByRole('link', { name: link }).count()).toBe(1);
    }
    expect(await rpc(session.served, 'profile.get', {})).toMatchObject({ body: { value: { rpps: validProfile.rpps, specialty: 'Médecin généraliste' } } });

    await page.reload();
    await tabTo(page, 'Réglages');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Réglages');
    expect(await page.getByLabel('Numéro RPPS').inputValue()).toBe(validProfile.rpps);
    expect(await page.getByLabel('Ville').inputValue()).toBe(validProfile.city);

    // "Aller au contenu" jumps to the content of this screen, not to another route.
    await page.getByRole('link', { name: 'Aller au contenu' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Réglages');
    expect(session.pageErrors).toEqual([]);
  });

  it('an invalid RPPS shows the French error next to the field and saves nothing', async () => {
    session = await openSession();
    const { page } = session;
    await page.getByRole('heading', { name: 'Bienvenue dans Ordo' }).waitFor();
    const fields: Record<string, string> = {
      Nom: validProfile.lastName,
      Prénom: validProfile.firstName,
      'Numéro RPPS (11 chiffres)': '10003154588',
      'Numéro Assurance Maladie (9 chiffres)': validProfile.amNumber,
      Adresse: validProfile.address,
      'Code postal': validProfile.postalCode,
      Ville: validProfile.city,
      Téléphone: validProfile.phone,
      'Adresse e-mail': validProfile.email,
    };
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByLabel('Adresse e-mail').press('Enter');

    const rpps = page.getByLabel('Numéro RPPS (11 chiffres)');
    await expect.poll(() => rpps.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await rpps.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('Le numéro RPPS est incorrect : la clé de contrôle ne correspond pas.');
    expect(await page.getByRole('alert').textContent()).toContain('Le profil n’a pas été enregistré');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('rpps');
    expect(await rpc(session.served, 'profile.get', {})).toMatchObject({ body: { ok: true, value: null } });
  });

  it('the page runs under the strict CSP with no error', async () => {
    session = await openSession();
    const { page } = session;
    await page.getByRole('heading', { name: 'Bienvenue dans Ordo' }).waitFor();
    expect(session.pageErrors).toEqual([]);
    // An injected inline script must not run.
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    expect(session.pageErrors.some((e) => e.includes('Content Security Policy'))).toBe(true);
  });
});
