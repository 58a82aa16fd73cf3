/**
 * Writing a prescription in Chromium with the keyboard only, on the embedded demonstration
 * referential and the starter interaction set: a patient allergic to penicillins with an ALD, three
 * lines (type, Enter, the posology comes with defaults, Enter goes on to the next line), the
 * allergy found on the amoxicillin line as a contre-indication that blocks signing until the GP
 * overrides it with a written reason, an ALD line, and the draft as it was after a reload.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { rpc } from '../support/cli';
import { e2eSkipReason, openSignedInSession, signedPrescription, type Session } from './harness';

const skip = e2eSkipReason();

const focusedField = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-field') ?? document.activeElement?.getAttribute('name') ?? document.activeElement?.tagName ?? null);

/** Type a drug in the picker (which has the focus), wait for its results, Enter takes the first. */
async function addDrug(page: Page, query: string, expectLabel: RegExp): Promise<void> {
  expect(await focusedField(page)).toBe('drug-picker');
  await page.keyboard.type(query);
  const list = page.getByRole('listbox', { name: 'Médicaments trouvés' });
  await expect.poll(async () => (await list.getByRole('option').count()) > 0 && (await list.getAttribute('aria-busy')) !== 'true', { timeout: 15_000 }).toBe(true);
  await page.keyboard.press('Enter');
  // The new line's dose field takes the focus, its default posology filled from the form.
  await expect.poll(() => focusedField(page)).toBe('dose');
  const lines = page.getByRole('list').filter({ has: page.locator('li.line') });
  await expect.poll(async () => (await lines.locator('li.line').last().locator('h3').textContent()) ?? '').toMatch(expectLabel);
}

/** The duration of line `n` (1-based), typed into its field: the legal check wants one. */
async function typeDuration(page: Page, n: number, days: string): Promise<void> {
  const field = page.locator('li.line').nth(n - 1).getByLabel('Durée', { exact: true });
  await field.press('Control+a');
  await page.keyboard.type(days);
  expect(await focusedField(page)).toBe('durationValue');
}

describe.skipIf(skip !== undefined)('writing a prescription in Chromium, keyboard only', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('three lines, the allergy blocks until overridden with a reason, an ALD line, and the draft survives a reload', async () => {
    session = await openSignedInSession();
    const { page } = session;
    const created = await rpc(session.served, 'patients.create', {
      patient: {
        birthName: 'Lefèvre',
        firstNames: 'Hélène',
        sex: 'F',
        birthDate: '14/03/1960',
        allergies: [{ kind: 'allergy', substance: 'Pénicillines', reaction: 'urticaire' }],
        conditions: [{ label: 'Diabète de type 2', ald: true }],
        weight: { value: 68, measuredOn: '01/11/2026' },
      },
    });
    expect(created.body.ok, JSON.stringify(created.body)).toBe(true);
    const patientId = (created.body.value as { id: number }).id;
    await page.evaluate((id) => (window.location.hash = `#/patients/${id}`), patientId);

    // « Nouvelle ordonnance » from the patient's page, with Enter.
    await page.getByRole('link', { name: 'Nouvelle ordonnance' }).first().press('Enter');
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe('Ordonnance — LEFÈVRE Hélène');
    const header = page.getByRole('region', { name: 'Patient' });
    expect(await header.textContent()).toContain('Pénicillines');
    expect(await header.textContent()).toContain('Diabète de type 2');
    // The shortcuts are on screen.
    expect(await page.getByRole('region', { name: 'Raccourcis clavier' }).textContent()).toContain('Ctrl+Entrée');

    await page.keyboard.press('Control+l');
    await addDrug(page, 'amoxicilline 500', /amoxicilline 500 mg/);
    await typeDuration(page, 1, '7');
    // Enter in a field: on to the next line.
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedField(page)).toBe('drug-picker');
    await addDrug(page, 'metformine', /metformine/);
    await typeDuration(page, 2, '90');
    // The metformin line is for the ALD: the box is offered because the patient has one.
    await page.getByRole('listitem').filter({ hasText: 'Ligne 2' }).getByLabel('En rapport avec l’ALD (100 %)').press('Space');
    await page.keyboard.press('Control+l');
    await addDrug(page, 'doliprane 1000', /paracétamol 1 g/);
    await typeDuration(page, 3, '5');
    await page.keyboard.press('Enter');

    // Every line saved, rendered in French, and the allergy found on line 1.
    await expect.poll(() => page.locator('[data-save-status]').getAttribute('data-save-status'), { timeout: 15_000 }).toBe('saved');
    const rendered = await page.locator('.line__rendered').allTextContents();
    expect(rendered).toHaveLength(3);
    expect(rendered[0]).toBe('Sur l’ordonnance : amoxicilline 500 mg, gélule — 1 gélule par jour pendant 7 jours');
    // Only the allergy stands in the way: every legal mention is there.
    expect(await page.locator('li[data-check="legal"]').count()).toBe(0);
    const checks = page.getByRole('region', { name: 'Vérifications' });
    const allergy = checks.locator('li[data-check="allergy"]');
    await expect.poll(() => allergy.count(), { timeout: 15_000 }).toBe(1);
    expect(await allergy.getAttribute('data-level')).toBe('CI');
    expect(await allergy.textContent()).toContain('Pénicillines');
    expect(await checks.textContent()).toMatch(/partiel/);

    // Ctrl+Entrée: not ready, the contre-indication stands.
    await page.keyboard.press('Control+Enter');
    const sign = page.getByRole('region', { name: 'Avant de signer' });
    await expect.poll(() => sign.textContent()).toContain('Pas encore prête à signer');
    expect(await sign.textContent()).toContain('Pénicillines');
    await page.keyboard.press('Escape');

    // Overridden with a written reason (too short first: refused in French).
    await allergy.getByRole('button', { name: /^Passer outre/ }).press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('non');
    await page.keyboard.press('Enter');
    expect(await allergy.textContent()).toContain('Le motif doit faire au moins 5 caractères.');
    await page.keyboard.type(' : allergie ancienne non confirmée, tolérance documentée');
    await page.keyboard.press('Enter');
    await expect.poll(() => allergy.textContent(), { timeout: 15_000 }).toContain('Passé outre : non : allergie ancienne non confirmée, tolérance documentée');
    await expect.poll(() => page.locator('[data-save-status]').getAttribute('data-save-status'), { timeout: 15_000 }).toBe('saved');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByRole('region', { name: 'Avant de signer' }).textContent()).toContain('Prête à signer');

    // A reload reopens the same draft, as it was.
    const address = page.url();
    await page.reload();
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe('Ordonnance — LEFÈVRE Hélène');
    expect(page.url()).toBe(address);
    await expect.poll(() => page.locator('.line__rendered').count()).toBe(3);
    expect(await page.getByRole('listitem').filter({ hasText: 'Ligne 2' }).getByLabel('En rapport avec l’ALD (100 %)').isChecked()).toBe(true);
    expect(await page.getByRole('region', { name: 'Vérifications' }).locator('li[data-check="allergy"]').textContent()).toContain('Passé outre');

    // The patient's page lists it.
    await page.evaluate((id) => (window.location.hash = `#/patients/${id}`), patientId);
    const list = page.getByRole('list', { name: 'Ordonnances du patient' });
    await expect.poll(() => list.locator('li').count(), { timeout: 15_000 }).toBe(1);
    expect(await list.textContent()).toContain('Brouillon');
    expect(await list.textContent()).toContain('amoxicilline');
    expect(session.pageErrors).toEqual([]);
  });

  it('the next letter shows the results asked ahead, without waiting for its own search', async () => {
    session = await openSignedInSession();
    const { page } = session;
    const created = await rpc(session.served, 'patients.create', { patient: { birthName: 'Morel', firstNames: 'Jean', sex: 'M', birthDate: '02/02/1950' } });
    const patientId = (created.body.value as { id: number }).id;
    const draft = await rpc(session.served, 'prescriptions.create', { patientId });
    await page.evaluate((id) => (window.location.hash = `#/prescribe/${id}`), (draft.body.value as { id: number }).id);
    // Every plain search answers three seconds late; the answers asked ahead do not.
    await page.route(/\/rpc\/drugs\.search$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await route.continue();
    });
    const box = page.getByRole('combobox', { name: 'Ajouter un médicament' });
    await box.focus();
    const askedAhead = page.waitForResponse((r) => r.url().endsWith('/rpc/drugs.searchAhead') && (r.request().postData() ?? '').includes('"amo"'), { timeout: 20_000 });
    await page.keyboard.type('amo');
    const list = page.getByRole('listbox', { name: 'Médicaments trouvés' });
    await expect.poll(async () => (await box.inputValue()) === 'amo' && (await list.getAttribute('aria-busy')) === 'false', { timeout: 15_000 }).toBe(true);
    await askedAhead;
    await page.keyboard.type('x');
    // Well before the three seconds its own search takes: « amox » is already shown, and can be taken.
    await expect.poll(async () => (await list.getAttribute('aria-busy')) === 'false' && (await list.getByRole('option').first().textContent())?.toUpperCase().includes('AMOX'), { timeout: 1500 }).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await page.locator('li.line').first().locator('h3').textContent()) ?? '', { timeout: 10_000 }).toMatch(/amoxicilline/);
  });

  it('signs from the screen: Ctrl+Entrée, « Signer l’ordonnance », then the id and the signed code, read-only', async () => {
    session = await openSignedInSession({ ORDO_KEY_PASSPHRASE: 'une phrase de passe de test' });
    const { page } = session;
    const created = await rpc(session.served, 'patients.create', { patient: { birthName: 'Petit', firstNames: 'Anne', sex: 'F', birthDate: '09/09/1971' } });
    const patientId = (created.body.value as { id: number }).id;
    const draft = (await rpc(session.served, 'prescriptions.create', { patientId })).body.value as { id: number; version: number };
    const saved = await rpc(session.served, 'prescriptions.save', {
      id: draft.id,
      version: draft.version,
      lines: [{ kind: 'drug', key: '00000000-0000-4000-8000-000000000001', cis: '69999008', posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 3 } }, duration: { value: 5, unit: 'days' } }],
    });
    expect((saved.body.value as { readyToSign: boolean }).readyToSign).toBe(true);
    await page.evaluate((id) => (window.location.hash = `#/prescribe/${id}`), draft.id);
    await page.locator('li.line').first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Control+l');
    await page.keyboard.press('Control+Enter');
    const panel = page.getByRole('region', { name: 'Avant de signer' });
    await expect.poll(async () => (await panel.textContent()) ?? '', { timeout: 10_000 }).toContain('Prête à signer.');
    await panel.getByRole('button', { name: 'Signer l’ordonnance' }).press('Enter');
    const facts = page.getByRole('region', { name: 'Ordonnance signée' });
    await facts.waitFor({ timeout: 15_000 });
    const rxId = (await facts.locator('[data-field="rx-id"]').textContent()) ?? '';
    expect(rxId).toMatch(/^[0-9A-Z]{18}$/);
    const stored = (await rpc(session.served, 'prescriptions.get', { id: draft.id })).body.value as { state: string; signature: { rxId: string; qrPayload: string } };
    expect(stored).toMatchObject({ state: 'signed', signature: { rxId } });
    expect(await facts.locator('[data-field="qr-payload"]').textContent()).toBe(stored.signature.qrPayload);
    // Read-only now: no picker, and the screen says why.
    expect(await page.getByRole('combobox', { name: 'Ajouter un médicament' }).count()).toBe(0);
    expect(await page.locator('p.warning').first().textContent()).toContain('Cette ordonnance est signée');
  });

  it('cancels a signed prescription from its screen with the keyboard: the reason, « Confirmer l’annulation », then the cancelled view and list', async () => {
    session = await openSignedInSession({ ORDO_KEY_PASSPHRASE: 'une phrase de passe de test' });
    const { page } = session;
    const draft = await signedPrescription(session.served, { birthName: 'Roux', firstNames: 'Marc', sex: 'M', birthDate: '02/05/1966' }, '00000000-0000-4000-8000-000000000003');
    const { patientId } = draft;
    await page.evaluate((id) => (window.location.hash = `#/prescribe/${id}`), draft.id);
    const facts = page.getByRole('region', { name: 'Ordonnance signée' });
    await facts.waitFor({ timeout: 15_000 });

    await facts.getByRole('button', { name: 'Annuler l’ordonnance…' }).press('Enter');
    const form = facts.getByRole('group', { name: 'Annuler l’ordonnance' });
    const reason = form.getByLabel('Motif de l’annulation (au moins 5 caractères)');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
    // Échap keeps it, and gives the focus back to the button.
    await page.keyboard.press('Escape');
    await expect.poll(() => form.count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Annuler l’ordonnance…');
    await page.keyboard.press('Enter');
    // Too short: said beside the field, nothing sent.
    await page.keyboard.type('abc');
    await page.keyboard.press('Enter');
    await expect.poll(() => form.getByRole('alert').textContent()).toBe('Le motif doit faire au moins 5 caractères.');
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    await reason.fill('Erreur de posologie');
    await page.keyboard.press('Enter');
    const cancelled = facts.locator('[data-field="cancellation"]');
    await cancelled.waitFor({ timeout: 15_000 });
    expect(await cancelled.textContent()).toMatch(/^Ordonnance annulée le .+ — motif : Erreur de posologie$/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-field'))).toBe('cancellation');
    expect(await facts.getByRole('button', { name: 'Annuler l’ordonnance…' }).count()).toBe(0);
    expect(await page.locator('p.warning').first().textContent()).toContain('Cette ordonnance est annulée');
    const stored = (await rpc(session.served, 'prescriptions.get', { id: draft.id })).body.value as { state: string; cancellation: { reason: string } };
    expect(stored).toMatchObject({ state: 'cancelled', cancellation: { reason: 'Erreur de posologie' } });

    // The patient's list says it in French.
    await page.evaluate((id) => (window.location.hash = `#/patients/${id}`), patientId);
    const item = page.locator(`[data-prescription="${draft.id}"]`);
    await item.waitFor({ timeout: 15_000 });
    expect(await item.textContent()).toMatch(/Annulée.*annulée le \d{2}\/\d{2}\/\d{4} — motif : Erreur de posologie/);
    expect(session.pageErrors).toEqual([]);
  });
});
