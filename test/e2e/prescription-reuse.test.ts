/**
 * Reusing what was written, in Chromium with the keyboard, on the embedded demonstration
 * referential: a line saved as a favourite and inserted into another draft with Ctrl+K; and
 * « Renouveler » on the patient's page, which opens a new draft with the same drugs and flags the
 * one no longer marketed.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { rpc, type ServedOrdo as Served } from '../support/cli';
import { e2eSkipReason, openSignedInSession, type Session } from './harness';

const skip = e2eSkipReason();

const focusedField = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-field') ?? document.activeElement?.getAttribute('name') ?? document.activeElement?.tagName ?? null);

async function value<T>(served: Served, name: string, input: unknown): Promise<T> {
  const { body } = await rpc(served, name, input);
  expect(body.ok, JSON.stringify(body)).toBe(true);
  return body.value as T;
}

async function newPatient(served: Served): Promise<number> {
  return (await value<{ id: number }>(served, 'patients.create', { patient: { birthName: 'Garnier', firstNames: 'Paul', sex: 'M', birthDate: '05/06/1958' } })).id;
}

/** The calls the page made that the host refused (status 400 and up), as `status path input`. */
function refusedCalls(page: Page): string[] {
  const refused: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) refused.push(`${response.status()} ${new URL(response.url()).pathname} ${response.request().postData() ?? ''}`);
  });
  return refused;
}

describe.skipIf(skip !== undefined)('reusing prescriptions in Chromium', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('a line saved as a favourite is inserted into another draft with Ctrl+K, its posology with it', async () => {
    session = await openSignedInSession();
    const { page, served } = session;
    const refused = refusedCalls(page);
    const patientId = await newPatient(served);
    const first = await value<{ id: number }>(served, 'prescriptions.create', { patientId });
    await page.evaluate((id) => (window.location.hash = `#/prescribe/${id}`), first.id);
    const box = page.getByRole('combobox', { name: 'Ajouter un médicament' });
    await box.waitFor({ timeout: 15_000 });
    await box.focus();
    await page.keyboard.type('amoxicilline 500');
    const list = page.getByRole('listbox', { name: 'Médicaments trouvés' });
    await expect.poll(async () => (await list.getByRole('option').count()) > 0 && (await list.getAttribute('aria-busy')) !== 'true', { timeout: 15_000 }).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedField(page)).toBe('dose');
    // Three a day rather than the form's default, then the line goes to the favourites.
    const line = page.locator('li.line').first();
    await line.getByLabel('Prises par jour').press('Control+a');
    await page.keyboard.type('3');
    await line.getByRole('button', { name: 'Enregistrer la ligne comme favori' }).press('Enter');
    const name = page.getByRole('textbox', { name: 'Nom du favori' });
    await expect.poll(() => focusedField(page)).toBe('INPUT');
    await name.press('Control+a');
    await page.keyboard.type('Angine adulte');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await value<{ name: string }[]>(served, 'favourites.list', {})).map((f) => f.name), { timeout: 10_000 }).toEqual(['Angine adulte']);
    const saved = (await value<{ lines: { posology?: { frequency?: { times?: number } } }[] }[]>(served, 'favourites.list', {}))[0]!;
    expect(saved.lines[0]!.posology?.frequency?.times).toBe(3);

    // Another draft: Ctrl+K in the picker lists the favourites, Enter inserts it.
    const second = await value<{ id: number }>(served, 'prescriptions.create', { patientId });
    await page.evaluate((id) => (window.location.hash = `#/prescribe/${id}`), second.id);
    await expect.poll(() => page.locator('li.line').count(), { timeout: 15_000 }).toBe(0);
    await box.focus();
    await page.keyboard.press('Control+k');
    await page.keyboard.type('angine');
    const favourites = page.getByRole('listbox', { name: 'Favoris' });
    await expect.poll(() => favourites.getByRole('option').count(), { timeout: 10_000 }).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await page.locator('li.line').first().locator('h3').textContent()) ?? '', { timeout: 10_000 }).toMatch(/amoxicilline 500 mg/);
    expect(await page.locator('li.line').first().getByLabel('Prises par jour').inputValue()).toBe('3');
    // Saved with the draft, as any line.
    await expect.poll(async () => (await value<{ lines: unknown[] }>(served, 'prescriptions.get', { id: second.id })).lines.length, { timeout: 10_000 }).toBe(1);
    expect(refused).toEqual([]);
  });

  it('« Renouveler » opens a new draft with the same drugs, and flags the one no longer marketed', async () => {
    session = await openSignedInSession();
    const { page, served } = session;
    const refused = refusedCalls(page);
    const patientId = await newPatient(served);
    const draft = await value<{ id: number; version: number }>(served, 'prescriptions.create', { patientId });
    const posology = { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 2 } };
    // 69999005, AMOXICILLINE DÉMOGEN 250 mg/5 ml: « Non commercialisée » in the demonstration base.
    const marketed = (await value<{ groups: { items: { cis: string; marketed: boolean }[] }[] }>(served, 'drugs.search', { query: 'paracetamol' })).groups.flatMap((g) => g.items).find((i) => i.marketed)!.cis;
    await value(served, 'prescriptions.save', {
      id: draft.id,
      version: draft.version,
      lines: [
        { kind: 'drug', key: '00000000-0000-4000-8000-000000000001', cis: marketed, posology, duration: { value: 5, unit: 'days' } },
        { kind: 'drug', key: '00000000-0000-4000-8000-000000000002', cis: '69999005', posology: { ...posology, unit: 'ml' }, duration: { value: 7, unit: 'days' } },
      ],
    });
    await page.evaluate((id) => (window.location.hash = `#/patients/${id}`), patientId);
    const renew = page.getByRole('button', { name: /^Renouveler l’ordonnance du / });
    await renew.waitFor({ timeout: 15_000 });
    await renew.press('Enter');
    await expect.poll(() => page.evaluate(() => window.location.hash), { timeout: 15_000 }).toMatch(/^#\/prescribe\/\d+$/);
    const renewedId = Number((await page.evaluate(() => window.location.hash)).split('/').at(-1));
    expect(renewedId).not.toBe(draft.id);
    await expect.poll(() => page.locator('li.line').count(), { timeout: 15_000 }).toBe(2);
    const renewed = await value<{ renewalOf: number; lines: { drug: { cis: string } | null }[] }>(served, 'prescriptions.get', { id: renewedId });
    expect(renewed.renewalOf).toBe(draft.id);
    expect(renewed.lines.map((l) => l.drug?.cis)).toEqual([marketed, '69999005']);
    // The check, beside the second line and nowhere beside the first.
    await expect.poll(async () => (await page.locator('li.line').nth(1).textContent()) ?? '', { timeout: 10_000 }).toContain('n’est pas commercialisé');
    expect(await page.locator('li.line').first().textContent()).not.toContain('n’est pas commercialisé');
    // Going to the new draft, the patient's page did not first ask for « patient <draft id> ».
    expect(refused).toEqual([]);
  });
});
