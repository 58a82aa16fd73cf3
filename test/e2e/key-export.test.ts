/**
 * Réglages → Clé de signature in Chromium: « Exporter la clé publique (certificat) » downloads a
 * .pem file holding the public key and the self-signed certificate, shows the key id; « Changer
 * de clé de signature… » asks first, then makes a new key; without the passphrase, the French
 * refusal in an alert.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { e2eSkipReason, openSignedInSession, type Session } from './harness';

const skip = e2eSkipReason();

describe.skipIf(skip !== undefined)('the signing key export in Chromium', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('downloads the public key and its certificate from the keyboard, and shows the key id', async () => {
    session = await openSignedInSession({ ORDO_KEY_PASSPHRASE: 'une phrase de passe de test' });
    const { page } = session;
    await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    const region = page.getByRole('region', { name: 'Clé de signature' });
    await region.waitFor();
    const button = region.getByRole('button', { name: 'Exporter la clé publique (certificat)' });
    await button.focus();
    const downloaded = page.waitForEvent('download', { timeout: 20_000 });
    await page.keyboard.press('Enter');
    const download = await downloaded;
    const keyId = (await region.getByTestId('signing-key-id').textContent()) ?? '';
    expect(keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(download.suggestedFilename()).toBe(`ordo-cle-publique-${keyId}.pem`);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text).toContain('-----BEGIN PUBLIC KEY-----');
    expect(text).toContain('-----BEGIN CERTIFICATE-----');
    expect(text).not.toContain('PRIVATE');
    expect(await region.getByRole('status').filter({ hasText: 'ordo-cle-publique' }).count()).toBe(1);
    expect(await region.getByRole('status').filter({ hasText: `ordo-cle-publique-${keyId}.pem` }).count()).toBe(1);

    // « Changer de clé de signature… »: Échap keeps the key and gives the focus back; confirmed, a new key.
    const change = region.getByRole('button', { name: 'Changer de clé de signature…' });
    await change.focus();
    await page.keyboard.press('Enter');
    const confirm = region.getByRole('group', { name: 'Changer de clé de signature' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('restent vérifiables');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Confirmer le changement');
    await page.keyboard.press('Escape');
    await expect.poll(() => confirm.count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Changer de clé de signature…');
    await page.keyboard.press('Enter');
    await confirm.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Confirmer le changement');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await region.getByTestId('signing-key-id').textContent()) ?? '', { timeout: 15_000 }).not.toBe(keyId);
    const next = (await region.getByTestId('signing-key-id').textContent()) ?? '';
    expect(next).toMatch(/^[0-9a-f]{16}$/);
    expect(await region.getByRole('status').filter({ hasText: `Nouvelle clé de signature : ${next}` }).count()).toBe(1);
    expect(session.pageErrors).toEqual([]);
  });

  it('says in French, in an alert, that the key cannot be opened without its passphrase', async () => {
    session = await openSignedInSession({ ORDO_KEY_PASSPHRASE: '' });
    const region = session.page.getByRole('region', { name: 'Clé de signature' });
    await session.page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    await region.getByRole('button', { name: 'Exporter la clé publique (certificat)' }).click();
    await expect.poll(() => region.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('ORDO_KEY_PASSPHRASE');
  });
});
