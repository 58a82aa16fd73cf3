/**
 * Coding an allergy and recording long-term treatments in Chromium, with the keyboard: the
 * « Substance ou classe » box suggests what the interaction rule set knows, arrows and Enter pick,
 * the record keeps the code and shows « codée : Pénicillines (classe) »; nothing picked, the text
 * stays free text. The rule set's own search is tested with it; here its answer comes from a route
 * that answers in the contract's shape (`allergens.search`), so the form is tested whatever rule
 * set the host has — and once without it, as a practice with no rule set installed sees it.
 */
import type { Page, Route } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Allergen } from '../../shared/calls/prescriptions';
import { normalizeText } from '../../shared/domain/text';
import { rpc } from '../support/cli';
import { e2eSkipReason, openSignedInSession, type Session } from './harness';

const skip = e2eSkipReason();

/** Entries as the rule set names them (upper case) and labels them. */
const known: Allergen[] = [
  { kind: 'class', name: 'PENICILLINES', label: 'Pénicillines' },
  { kind: 'substance', name: 'PENICILLAMINE', label: 'pénicillamine' },
  { kind: 'substance', name: 'AMOXICILLINE', label: 'amoxicilline' },
  { kind: 'substance', name: 'APIXABAN', label: 'apixaban' },
  { kind: 'class', name: 'ANTICOAGULANTS ORAUX', label: 'Anticoagulants oraux' },
];

/** Every word typed starts a word of the label or the name (accents and case aside). */
async function answerAllergens(route: Route): Promise<void> {
  const { query } = route.request().postDataJSON() as { query: string };
  const words = normalizeText(query).split(' ').filter((w) => w !== '');
  const value = known.filter((a) => {
    const mine = [...normalizeText(a.label).split(' '), ...normalizeText(a.name).split(' ')];
    return words.length > 0 && words.every((w) => mine.some((m) => m.startsWith(w)));
  });
  await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, value }) });
}

async function fillIdentity(page: Page) {
  await page.getByLabel('Nom de naissance', { exact: true }).fill('Lefèvre');
  await page.getByLabel('Prénoms (tous, dans l’ordre de l’état civil)').fill('Hélène');
  await page.getByLabel('Sexe', { exact: true }).selectOption('F');
  await page.getByLabel('Date de naissance (jj/mm/aaaa)').fill('14/03/1980');
}

/** A loaded machine (the e2e files run side by side) takes longer than expect.poll's second. */
const SLOW = { timeout: 10_000 };

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('name') ?? null);

describe.skipIf(skip !== undefined)('coded allergies and long-term treatments in Chromium', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('codes an allergy with the arrows and Enter, records a treatment with its substance, shows both, and takes a coding off', async () => {
    session = await openSignedInSession();
    const { page } = session;
    await page.route('**/rpc/allergens.search', answerAllergens);
    await page.getByRole('link', { name: 'Nouveau patient' }).click();
    await expect.poll(() => heading(page), SLOW).toBe('Nouveau patient');
    await fillIdentity(page);

    await page.getByRole('button', { name: 'Ajouter une allergie ou intolérance' }).click();
    // The new row's first field takes the focus at the next frame: Tab from there.
    await expect.poll(() => focusedName(page), SLOW).toBe('allergies.0.kind');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('allergies.0.substance');
    await page.keyboard.type('péni');
    const box = page.getByRole('combobox', { name: 'Substance ou classe (ligne 1)' });
    const options = page.getByRole('listbox', { name: 'Suggestions du thésaurus des interactions (allergie, ligne 1)' }).getByRole('option');
    await expect.poll(() => options.allTextContents(), SLOW).toEqual(['Pénicillinesclasse', 'pénicillaminesubstance']);
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    // Enter with no suggestion active closes the list and keeps the text: the form is not sent.
    await page.keyboard.press('Enter');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    expect(await box.inputValue()).toBe('péni');
    expect(await heading(page)).toBe('Nouveau patient');
    expect(await page.getByRole('alert').count()).toBe(0);
    // ArrowDown opens it again; down twice then up: the class is active, and the box says so to a screen reader.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => box.getAttribute('aria-expanded'), SLOW).toBe('true');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    const activeId = await box.getAttribute('aria-activedescendant');
    expect(await page.locator(`[id="${activeId}"]`).textContent()).toBe('Pénicillinesclasse');
    await page.keyboard.press('Enter');
    // Enter picked: the form was not sent, the box holds the label, the row says what it is coded as.
    expect(await heading(page)).toBe('Nouveau patient');
    expect(await box.inputValue()).toBe('Pénicillines');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    const row1 = page.locator('[data-row-start="allergies.0"]');
    expect(await row1.textContent()).toContain('codée : Pénicillines (classe)');

    // A second allergy nothing in the rule set matches: the text stays as typed, uncoded.
    await page.getByRole('button', { name: 'Ajouter une allergie ou intolérance' }).click();
    await expect.poll(() => focusedName(page), SLOW).toBe('allergies.1.kind');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Sparadrap');
    await expect.poll(() => page.locator('[data-row-start="allergies.1"] [role="status"]').textContent(), SLOW)
      .toBe('Aucune substance ni classe du thésaurus des interactions ne correspond : le texte est gardé tel quel.');
    expect(await page.locator('[data-row-start="allergies.1"]').textContent()).toContain('non codée');

    // A long-term treatment: its label, then its substance picked the same way.
    await page.getByRole('button', { name: 'Ajouter un traitement au long cours' }).click();
    await expect.poll(() => focusedName(page), SLOW).toBe('treatments.0.label');
    await page.keyboard.type('Eliquis 5 mg');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('treatments.0.substance');
    // Typed fast: ArrowDown and Enter before the suggestions came. Enter sends nothing; the
    // first suggestion becomes active when it comes, and the next Enter takes it.
    await page.keyboard.type('apix');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await heading(page)).toBe('Nouveau patient');
    const substanceBox = page.getByRole('combobox', { name: 'Substance du traitement (ligne 1, facultatif)' });
    await expect.poll(() => substanceBox.getAttribute('aria-activedescendant'), SLOW).not.toBeNull();
    expect(await page.getByRole('listbox', { name: 'Suggestions du thésaurus des interactions (traitement, ligne 1)' }).getByRole('option').allTextContents()).toEqual(['apixabansubstance']);
    await page.keyboard.press('Enter');
    const chips = page.getByRole('list', { name: 'Substances du traitement (ligne 1)' });
    expect(await chips.getByRole('listitem').allTextContents()).toEqual(['apixaban×']);
    expect(await page.getByRole('combobox', { name: 'Substance du traitement (ligne 1, facultatif)' }).inputValue()).toBe('');
    // A treatment box offers substances only: a class is never a treatment's substance.
    await page.keyboard.type('anticoag');
    await expect.poll(() => page.locator('[data-row-start="treatments.0"] [role="status"]').textContent(), SLOW)
      .toBe('Aucune substance ni classe du thésaurus des interactions ne correspond : le texte est gardé tel quel.');
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Substance du traitement (ligne 1, facultatif)' }).fill('');

    await page.getByRole('button', { name: 'Créer le patient' }).click();
    await expect.poll(() => heading(page), { timeout: 15_000 }).toBe('LEFÈVRE Hélène');
    const main = page.getByRole('main');
    await expect.poll(() => main.textContent(), SLOW).toContain('Pénicillines — Allergie — codée : Pénicillines (classe)');
    expect(await main.textContent()).toContain('Sparadrap — Allergie');
    expect(await main.getByRole('heading', { name: 'Traitements au long cours' }).count()).toBe(1);
    await expect.poll(() => main.textContent(), SLOW).toContain('Eliquis 5 mg — substances : apixaban');

    const id = Number(/#\/patients\/(\d+)/.exec(page.url())?.[1]);
    const stored = (await rpc(session.served, 'patients.get', { id })).body.value as {
      allergies: { substance: string; code: unknown }[];
      treatments: unknown[];
    };
    expect(stored.allergies).toEqual([
      expect.objectContaining({ substance: 'Pénicillines', code: { kind: 'class', name: 'PENICILLINES' } }),
      expect.objectContaining({ substance: 'Sparadrap', code: null }),
    ]);
    expect(stored.treatments).toEqual([{ label: 'Eliquis 5 mg', substanceNames: ['APIXABAN'] }]);

    // Edit: the coding taken off with its button, the substance removed from the treatment.
    await page.getByRole('link', { name: 'Modifier', exact: true }).click();
    await expect.poll(() => heading(page), SLOW).toBe('Modifier : LEFÈVRE Hélène');
    await expect.poll(() => page.locator('[data-row-start="allergies.0"]').textContent(), SLOW).toContain('codée : Pénicillines (classe)');
    await page.getByRole('button', { name: 'Retirer la codification (ligne 1)' }).click();
    expect(await page.locator('[data-row-start="allergies.0"]').textContent()).toContain('non codée');
    await page.getByRole('button', { name: 'Retirer apixaban du traitement (ligne 1)' }).click();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => heading(page), { timeout: 15_000 }).toBe('LEFÈVRE Hélène');
    const edited = (await rpc(session.served, 'patients.get', { id })).body.value as { allergies: { code: unknown }[]; treatments: unknown[] };
    expect(edited.allergies.map((a) => a.code)).toEqual([null, null]);
    expect(edited.treatments).toEqual([{ label: 'Eliquis 5 mg', substanceNames: [] }]);
    expect(session.pageErrors).toEqual([]);
  });

  it('nothing picked, the free text is saved uncoded, and Enter in the box sends the form (the rule set the host has, if any)', async () => {
    session = await openSignedInSession();
    const { page } = session;
    await page.getByRole('link', { name: 'Nouveau patient' }).click();
    await fillIdentity(page);
    await page.getByRole('button', { name: 'Ajouter une allergie ou intolérance' }).click();
    await expect.poll(() => focusedName(page), SLOW).toBe('allergies.0.kind');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('allergies.0.substance');
    await page.keyboard.type('Pénicillines');
    const box = page.getByRole('combobox', { name: 'Substance ou classe (ligne 1)' });
    // Whatever the host's rule set answers, nothing is picked unless the GP picks it.
    await expect.poll(() => page.locator('[data-row-start="allergies.0"] [role="status"]').textContent(), SLOW).not.toBe('');
    expect(await box.getAttribute('aria-activedescendant')).toBeNull();
    // A rule set installed by default may list suggestions: Escape closes them, the text stays.
    if ((await box.getAttribute('aria-expanded')) === 'true') await page.keyboard.press('Escape');
    expect(await box.inputValue()).toBe('Pénicillines');
    await page.keyboard.press('Enter');
    await expect.poll(() => heading(page), { timeout: 15_000 }).toBe('LEFÈVRE Hélène');
    const id = Number(/#\/patients\/(\d+)/.exec(page.url())?.[1]);
    const stored = (await rpc(session.served, 'patients.get', { id })).body.value as { allergies: unknown[]; treatments: unknown[] };
    expect(stored.allergies).toEqual([{ kind: 'allergy', substance: 'Pénicillines', reaction: '', code: null }]);
    expect(stored.treatments).toEqual([]);
    expect(await page.getByRole('main').textContent()).not.toContain('codée');
    expect(session.pageErrors).toEqual([]);
  });
});
