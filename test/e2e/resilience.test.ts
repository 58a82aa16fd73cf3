/**
 * What a GP sees when something goes wrong under the screens: an answer the renderer cannot show
 * (one screen fails, the rest of the app stays usable; or the whole window offers « Recharger »),
 * and Réglages → Diagnostic, the checks of `ordo doctor` for someone without a command line.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validProfile } from '../support/fixtures';
import { e2eSkipReason, openSignedInSession, type Session } from './harness';

const skip = e2eSkipReason();

describe.skipIf(skip !== undefined)('resilience in Chromium', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('a screen that cannot render shows a French message; the others still work, « Réessayer » tries again', async () => {
    session = await openSignedInSession();
    const { page } = session;
    // An answer the screen does not expect (as from a mismatched main process).
    let broken = true;
    await page.route('**/rpc/drugs.status', async (route) => {
      // The page may close while a request is routed: nothing to answer then.
      if (broken) await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, value: null }) }).catch(() => undefined);
      else await route.continue().catch(() => undefined);
    });
    await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    const alert = page.getByTestId('error-boundary-screen');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Cet écran n’a pas pu s’afficher');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cet écran n’a pas pu s’afficher');
    // The frame around it is alive: another screen opens.
    await page.getByRole('navigation').getByRole('link', { name: 'Patients' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Patients');
    await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    await alert.waitFor();
    broken = false;
    await page.getByRole('button', { name: 'Réessayer' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Réglages');
  });

  it('a failure outside any screen offers « Recharger » instead of a blank window', async () => {
    session = await openSignedInSession();
    const { page } = session;
    await page.route('**/rpc/profile.get', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, value: { ...validProfile, firstName: { not: 'a text' } } }) }),
    );
    await page.reload();
    const alert = page.getByTestId('error-boundary-app');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Ordo a rencontré un problème d’affichage');
    await page.unrouteAll({ behavior: 'wait' });
    await page.getByRole('button', { name: 'Recharger' }).click();
    await page.getByRole('navigation', { name: 'Navigation principale' }).waitFor();
  });

  it('Réglages → Diagnostic runs the checks of ordo doctor and says what it found', async () => {
    session = await openSignedInSession();
    const { page } = session;
    await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    const region = page.getByRole('region', { name: 'Diagnostic' });
    await region.getByRole('button', { name: 'Lancer le diagnostic' }).click();
    const report = region.getByTestId('diagnostic-report');
    await report.waitFor();
    expect(await report.textContent()).toContain('Aucun problème détecté.');
    expect(await report.textContent()).toMatch(/Intégrité de la baseintacte/);
    expect(await report.textContent()).toMatch(/intact \(\d+ entrées?\)/);
    expect(await report.textContent()).toContain('Clé du journal d’auditprésente');
    expect(await report.textContent()).toMatch(/Ancre du journal \(hors de la base\)à jour \(entrée \d+\)/);
    expect(await report.textContent()).toMatch(/Schéma et déclencheursconformes à ceux d’Ordo/);
  });

  it('Réglages → Diagnostic says in French that the audit log’s triggers were dropped behind Ordo’s back', async () => {
    session = await openSignedInSession();
    const { page } = session;
    // Another tool on the same file while Ordo runs.
    const db = new Database(join(session.dataDir, 'ordo.db'));
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.close();
    await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    const region = page.getByRole('region', { name: 'Diagnostic' });
    await region.getByRole('button', { name: 'Lancer le diagnostic' }).click();
    const report = region.getByTestId('diagnostic-report');
    await report.waitFor();
    expect(await report.getByRole('alert').textContent()).toContain('Le schéma de la base a été modifié en dehors d’Ordo (le déclencheur « audit_log_no_delete » manque)');
    expect(await report.textContent()).toMatch(/Schéma et déclencheursmodifiés en dehors d’Ordo \(1 différence\)/);
  });
});
