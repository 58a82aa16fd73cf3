/**
 * The paper copy and its check, in Chromium with the keyboard: « Imprimer l’ordonnance » on a
 * signed prescription downloads its PDF (the browser has no print dialog of Ordo's); then
 * « Vérifier une ordonnance » says the pasted code is valid, a code with one character changed is
 * not, and the downloaded PDF's QR code, read in the page by pdf.js and jsQR, is valid too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { e2eSkipReason, openSignedInSession, signedPrescription, type Session } from './harness';

const skip = e2eSkipReason();

describe.skipIf(skip !== undefined)('printing and verifying in Chromium', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('prints (downloads) the signed PDF, then verifies its code pasted, altered, and read from the PDF', async () => {
    session = await openSignedInSession({ ORDO_KEY_PASSPHRASE: 'une phrase de passe de test' });
    const { page } = session;
    const draft = await signedPrescription(session.served, { birthName: 'Lemoine', firstNames: 'Inès', sex: 'F', birthDate: '17/02/1984' }, '00000000-0000-4000-8000-000000000012');
    const { rxId, qrPayload } = draft;

    await page.evaluate((id) => (window.location.hash = `#/prescribe/${id}`), draft.id);
    const facts = page.getByRole('region', { name: 'Ordonnance signée' });
    await facts.waitFor({ timeout: 15_000 });
    const downloading = page.waitForEvent('download', { timeout: 15_000 });
    await facts.getByRole('button', { name: 'Imprimer l’ordonnance' }).press('Enter');
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`ordonnance-${rxId}.pdf`);
    const file = join(session.dataDir, 'downloaded.pdf');
    await download.saveAs(file);
    await expect.poll(() => facts.getByRole('status').filter({ hasText: 'PDF téléchargé' }).count()).toBe(1);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(`Ordonnance n° ${rxId}`);
    expect(text).toContain('Inès LEMOINE');
    // The copy kept in the data folder.
    expect(existsSync(join(session.dataDir, 'prints', `ordonnance-${rxId}.pdf`))).toBe(true);

    // « Vérifier »: from the main navigation.
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Vérifier' }).press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Vérifier une ordonnance');
    const code = page.getByLabel('Code de l’ordonnance (texte du QR)');
    await code.focus();
    // A scanner types the code and Entrée.
    await page.keyboard.insertText(qrPayload);
    await page.keyboard.press('Enter');
    const result = page.getByRole('region', { name: 'Signature valide' });
    await result.waitFor({ timeout: 15_000 });
    expect(await result.locator('[data-field="rx-id"]').textContent()).toBe(rxId);
    expect(await result.textContent()).toContain('Signée dans cet Ordo.');

    // One character changed: not valid, and said.
    const at = qrPayload.length - 10;
    const altered = qrPayload.slice(0, at) + (qrPayload[at] === 'A' ? 'B' : 'A') + qrPayload.slice(at + 1);
    await code.fill(altered);
    await code.press('Enter');
    await expect.poll(async () => page.locator('.verify-result').getAttribute('data-status'), { timeout: 15_000 }).not.toBe('valid');
    expect(await page.locator('.verify-result').getByRole('alert').first().textContent()).not.toBe('');

    // The PDF, read in the page.
    await code.fill('');
    await page.locator('input[type="file"][name="pdf"]').setInputFiles(file);
    await page.getByRole('button', { name: 'Vérifier' }).press('Enter');
    const fromPdf = page.getByRole('region', { name: 'Signature valide' });
    await fromPdf.waitFor({ timeout: 30_000 });
    expect(await fromPdf.locator('[data-field="rx-id"]').textContent()).toBe(rxId);
    expect(session.pageErrors).toEqual([]);
  });
});
