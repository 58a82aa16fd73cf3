/**
 * The patient register in Chromium, as a GP uses it: create, find as you type, open; the checks
 * that keep a mis-identified patient out; the CSV import from Réglages.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { rpc } from '../support/cli';
import { e2eSkipReason, openSignedInSession, type Session } from './harness';
import { letterCode } from '../support/names';

const skip = e2eSkipReason();

type Envelope = Awaited<ReturnType<typeof rpc>>['body'];
const resultsOf = (body: Envelope) => (body.value as { results: { id: number; birthName: string; firstNames: string }[] }).results;

/** A session past the first run: the prescriber's profile exists, the patient list is open. */
async function openRegister(): Promise<Session> {
  const session = await openSignedInSession();
  await session.page.getByRole('heading', { level: 1, name: 'Patients' }).waitFor();
  return session;
}

/** The new-patient form filled with the identity the tests need. */
async function fillIdentity(page: Page, identity: { birthName: string; firstNames: string; sex: 'F' | 'M'; birthDate: string; nir?: string }) {
  await page.getByLabel('Nom de naissance', { exact: true }).fill(identity.birthName);
  await page.getByLabel('Prénoms (tous, dans l’ordre de l’état civil)').fill(identity.firstNames);
  await page.getByLabel('Sexe', { exact: true }).selectOption(identity.sex);
  await page.getByLabel('Date de naissance (jj/mm/aaaa)').fill(identity.birthDate);
  if (identity.nir !== undefined) await page.getByLabel('NIR / matricule INS (facultatif)').fill(identity.nir);
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

/** A CSV of many patients: 45 named MARTIN, two born MARTIN / SAINT-MARTIN under another name, first names Martin, MARTINEZ, and others. */
function registerCsv(): string {
  const date = (i: number) => `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/${1940 + (i % 60)}`;
  const rows = ['Nom;Nom d’usage;Prénoms;Sexe;Date de naissance'];
  for (let i = 0; i < 45; i++) rows.push(`Martin;;Prénom${letterCode(i)};${i % 2 === 0 ? 'F' : 'M'};${date(i)}`);
  rows.push('Martin;Arnaud;Zoé;F;01/02/1970', 'Saint-Martin;Brunet;Agnès;F;03/04/1972');
  for (let i = 0; i < 5; i++) rows.push(`Dupuis${letterCode(i)};;Martin;M;${date(i + 100)}`);
  for (let i = 0; i < 3; i++) rows.push(`Martinez;;Aaron${letterCode(i)};M;${date(i + 200)}`);
  for (let i = 0; i < 400; i++) rows.push(`Nom${letterCode(i)};;${i % 2 === 0 ? 'Maël' : 'Marie'};${i % 2 === 0 ? 'M' : 'F'};${date(i + 300)}`);
  return rows.join('\n');
}

/** Presses Tab until the focus is on an element matching `accessibleText`, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, text: RegExp, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    if (text.test(focused)) return;
  }
  throw new Error(`${String(text)} not reached with Tab`);
}

describe.skipIf(skip !== undefined)('patients in Chromium', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('creates Hélène Lefèvre, finds her typing "helene lef", and opens her page', async () => {
    session = await openRegister();
    const { page } = session;
    await page.getByRole('link', { name: 'Nouveau patient' }).click();
    await expect.poll(() => heading(page)).toBe('Nouveau patient');
    await fillIdentity(page, { birthName: 'Lefèvre', firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980', nir: '2 80 03 75 112 034 18' });
    await page.getByLabel('Poids (kg)').fill('61,5');
    await page.getByLabel('Poids mesuré le (jj/mm/aaaa)').fill('02/09/2025');
    await page.getByRole('button', { name: 'Ajouter une allergie ou intolérance' }).click();
    // The new row's first field has the focus: the keyboard goes on from there.
    await page.keyboard.press('Tab');
    await page.keyboard.type('Pénicillines');
    await page.getByRole('button', { name: 'Créer le patient' }).click();

    // The first save of a fresh practice also creates the audit key and anchor: give it time on a loaded machine.
    await expect.poll(() => heading(page), { timeout: 15_000 }).toBe('LEFÈVRE Hélène');
    const main = page.getByRole('main');
    expect(await main.textContent()).toContain('née le 14/03/1980');
    expect(await main.textContent()).toContain('2 80 03 75 112 034 18');
    expect(await main.textContent()).toContain('Pénicillines');
    expect(await main.textContent()).toContain('61,5 kg (le 02/09/2025)');
    expect(await main.getByRole('heading', { name: 'Ordonnances' }).count()).toBe(1);

    await page.getByRole('link', { name: 'Retour à la liste des patients' }).click();
    const search = page.getByLabel('Rechercher un patient');
    await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
    await search.fill('');
    // Everything the live region says while the GP types: settled counts only, never "Chargement…".
    await page.evaluate(() => {
      const said: string[] = [];
      (window as unknown as { said: string[] }).said = said;
      const region = document.querySelector('[role="status"]');
      if (region === null) throw new Error('no status region');
      new MutationObserver(() => said.push(region.textContent ?? '')).observe(region, { childList: true, subtree: true, characterData: true });
    });
    await page.keyboard.type('helene lef');
    const result = page.getByRole('list', { name: 'Patients trouvés' }).getByRole('link');
    await expect.poll(() => result.first().textContent()).toContain('LEFÈVRE Hélène');
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('1 patient trouvé.');
    const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
    expect(said).toContain('1 patient trouvé.');
    expect(said).not.toContain('Chargement…');
    expect(said.every((text) => /^(?:[\d\u202f]+ patients? trouvés?\.|Aucun patient ne correspond\.|[\d\u202f]+ patients? affichés? sur [\d\u202f]+ trouvés\.)$/.test(text)), said.join(' | ')).toBe(true);
    // Down arrow from the box to the first result, Enter to open it: no mouse needed.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => heading(page)).toBe('LEFÈVRE Hélène');
    expect(session.pageErrors).toEqual([]);
  });

  it('keeps the focus on the form when a clinical row is removed, and names the edit form after the patient', async () => {
    session = await openRegister();
    const { page } = session;
    const created = await rpc(session.served, 'patients.create', {
      patient: {
        birthName: 'Lefèvre', firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980',
        allergies: [{ substance: 'Pénicillines' }, { substance: 'Iode' }, { substance: 'Latex' }],
        conditions: [{ label: 'Diabète de type 2', ald: true }],
      },
    });
    const id = (created.body.value as { id: number }).id;
    await page.evaluate((patientId) => (window.location.hash = `#/patients/${patientId}/edit`), id);
    await expect.poll(() => heading(page)).toBe('Modifier : LEFÈVRE Hélène');
    expect(await page.getByRole('form', { name: 'Modifier : LEFÈVRE Hélène' }).count()).toBe(1);

    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.textContent ?? null);
    // The middle row: the next one (now row 2) takes the focus.
    await page.getByRole('button', { name: 'Retirer la ligne 2' }).click();
    await expect.poll(focused).toBe('allergies.1.kind');
    expect(await page.getByLabel('Substance ou classe (ligne 2)').inputValue()).toBe('Latex');
    // The last row: the one before.
    await page.getByRole('button', { name: 'Retirer la ligne 2' }).click();
    await expect.poll(focused).toBe('allergies.0.kind');
    // None left: the "Ajouter" button.
    await page.getByRole('button', { name: 'Retirer la ligne 1' }).click();
    await expect.poll(focused).toBe('Ajouter une allergie ou intolérance');
    await page.getByRole('button', { name: 'Retirer la pathologie 1' }).click();
    await expect.poll(focused).toBe('Ajouter une pathologie');
    expect(session.pageErrors).toEqual([]);
  });

  it('an invalid NIR shows the French error next to the field and saves nothing', async () => {
    session = await openRegister();
    const { page } = session;
    await page.getByRole('link', { name: 'Nouveau patient' }).click();
    await fillIdentity(page, { birthName: 'Lefèvre', firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980', nir: '2 80 03 75 112 034 19' });
    await page.getByRole('button', { name: 'Créer le patient' }).click();

    const nir = page.getByLabel('NIR / matricule INS (facultatif)');
    await expect.poll(() => nir.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await nir.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe(
      'La clé du NIR ne correspond pas aux 13 premiers caractères : vérifiez la saisie.',
    );
    expect(await page.getByRole('alert').textContent()).toContain('Le patient n’a pas été enregistré');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('nir');
    expect(resultsOf((await rpc(session.served, 'patients.search', { query: 'lefevre' })).body)).toEqual([]);
  });

  it('refuses a NIR already in the register, and asks before a second patient with the same identity', async () => {
    session = await openRegister();
    const { page } = session;
    const existing = { birthName: 'Lefèvre', firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980', nir: '280037511203418' };
    expect(await rpc(session.served, 'patients.create', { patient: existing })).toMatchObject({ body: { ok: true } });

    await page.getByRole('link', { name: 'Nouveau patient' }).click();
    await fillIdentity(page, { birthName: 'Durand', firstNames: 'Anne', sex: 'F', birthDate: '14/03/1980', nir: '280037511203418' });
    await page.getByRole('button', { name: 'Créer le patient' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Ce NIR est déjà enregistré pour un autre patient : LEFÈVRE Hélène, née le 14/03/1980.');
    expect(await page.getByLabel('NIR / matricule INS (facultatif)').getAttribute('aria-invalid')).toBe('true');
    expect(resultsOf((await rpc(session.served, 'patients.search', { query: 'durand anne' })).body)).toEqual([]);

    // Same names and birth date, no NIR: Ordo asks, the GP confirms it is another person.
    await page.getByLabel('Nom de naissance', { exact: true }).fill('LEFEVRE');
    await page.getByLabel('Prénoms (tous, dans l’ordre de l’état civil)').fill('helene');
    await page.getByLabel('NIR / matricule INS (facultatif)').fill('');
    await page.getByRole('button', { name: 'Créer le patient' }).click();
    await expect.poll(() => alert.textContent()).toContain('Un patient porte déjà les mêmes nom de naissance, prénoms et date de naissance');
    expect(resultsOf((await rpc(session.served, 'patients.search', { query: 'lefevre' })).body)).toHaveLength(1);
    await page.getByRole('button', { name: 'Oui, c’est une autre personne : enregistrer' }).click();
    await expect.poll(() => heading(page)).toBe('LEFEVRE helene');
    expect(resultsOf((await rpc(session.served, 'patients.search', { query: 'lefevre' })).body)).toHaveLength(2);
  });

  it('« martin » among many patients: the MARTIN first, the total shown, paged on with the keyboard', async () => {
    session = await openRegister();
    const { page } = session;
    const contentBase64 = Buffer.from(registerCsv(), 'utf8').toString('base64');
    expect(await rpc(session.served, 'patients.import', { fileName: 'registre.csv', contentBase64 })).toMatchObject({ body: { ok: true } });
    await expect
      .poll(async () => ((await rpc(session!.served, 'patients.search', { query: `nom${letterCode(399)}` })).body.value as { total: number } | undefined)?.total, { timeout: 20_000 })
      .toBe(1);

    const search = page.getByLabel('Rechercher un patient');
    await search.focus();
    await page.keyboard.type('martin');
    const status = page.getByRole('status').first();
    // 45 MARTIN + ARNAUD née MARTIN + BRUNET née SAINT-MARTIN + 5 first names + 3 MARTINEZ.
    await expect.poll(() => status.textContent()).toBe('20 patients affichés sur 55 trouvés.');
    const names = () => page.getByRole('list', { name: 'Patients trouvés' }).locator('.patient-results__name').allTextContents();
    expect((await names()).every((n) => n.startsWith('MARTIN '))).toBe(true);

    // The button after the last result, reached with Tab, pressed with Enter.
    await tabTo(page, /^Afficher les 20 suivants$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => status.textContent()).toBe('40 patients affichés sur 55 trouvés.');
    // The first new result has the focus: the keyboard goes on from there.
    expect(await page.evaluate(() => document.activeElement?.querySelector('.patient-results__name')?.textContent)).toMatch(/^MARTIN /);
    expect((await names()).every((n) => n.startsWith('MARTIN '))).toBe(true);
    await tabTo(page, /^Afficher les 15 suivants$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => status.textContent()).toBe('55 patients trouvés.');
    const all = await names();
    expect(all).toHaveLength(55);
    expect(all.slice(0, 45).every((n) => n.startsWith('MARTIN '))).toBe(true);
    expect(all.slice(45, 47)).toEqual(['ARNAUD née MARTIN Zoé', 'BRUNET née SAINT-MARTIN Agnès']);
    expect(all.slice(47, 52).every((n) => n.endsWith(' Martin'))).toBe(true);
    expect(all.slice(52).every((n) => n.startsWith('MARTINEZ '))).toBe(true);
    expect(await page.getByRole('button', { name: /^Afficher/ }).count()).toBe(0);

    // « ma »: surnames before the 200 first names Maël.
    await search.fill('ma');
    await expect.poll(() => status.textContent()).toMatch(/^20 patients affichés sur [\d\u202f]+ trouvés\.$/);
    expect((await names()).every((n) => /^MA/.test(n))).toBe(true);
    expect(session.pageErrors).toEqual([]);
  });

  it('an error goes as soon as its field is corrected; dates typed without separators; leaving a half-filled form asks first', async () => {
    session = await openRegister();
    const { page } = session;
    await page.getByRole('link', { name: 'Nouveau patient' }).click();
    await expect.poll(() => heading(page)).toBe('Nouveau patient');
    await page.getByRole('button', { name: 'Créer le patient' }).click();
    const birthName = page.getByLabel('Nom de naissance', { exact: true });
    const firstNames = page.getByLabel('Prénoms (tous, dans l’ordre de l’état civil)');
    const birthDate = page.getByLabel('Date de naissance (jj/mm/aaaa)');
    await expect.poll(() => birthName.getAttribute('aria-invalid')).toBe('true');
    const summary = page.getByRole('alert');
    expect(await summary.textContent()).toContain('Les prénoms sont obligatoires.');
    expect(await summary.textContent()).toContain('Le nom de naissance est obligatoire.');
    expect(await summary.textContent()).not.toContain('n’est pas valide');

    await birthName.fill('Łukasiewicz');
    await expect.poll(() => birthName.getAttribute('aria-invalid')).toBeNull();
    expect(await firstNames.getAttribute('aria-invalid')).toBe('true');
    expect(await summary.textContent()).not.toContain('Le nom de naissance est obligatoire.');
    await birthDate.fill('1507');
    await expect.poll(() => birthDate.getAttribute('aria-invalid')).toBe('true');
    await birthDate.fill('15071985');
    await expect.poll(() => birthDate.getAttribute('aria-invalid')).toBeNull();
    await firstNames.fill('Jan');
    await page.getByLabel('Sexe', { exact: true }).selectOption('M');
    await page.getByLabel('Téléphone').fill('+262 692 12 34 56');

    // Half filled: the menu link asks, in French; refused, the form stays as it was.
    const dialogs: string[] = [];
    let accept = false;
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void (accept ? dialog.accept() : dialog.dismiss());
    });
    await page.getByRole('navigation').getByRole('link', { name: 'Patients' }).click();
    await expect.poll(() => dialogs).toEqual(['Les informations saisies sur ce patient ne sont pas enregistrées. Quitter quand même et les perdre ?']);
    expect(await heading(page)).toBe('Nouveau patient');
    expect(await birthName.inputValue()).toBe('Łukasiewicz');
    await page.getByRole('button', { name: 'Annuler' }).click();
    await expect.poll(() => dialogs).toHaveLength(2);
    expect(await heading(page)).toBe('Nouveau patient');

    // Saved: no question, and « lukasiewicz » finds him.
    await page.getByRole('button', { name: 'Créer le patient' }).click();
    await expect.poll(() => heading(page)).toBe('ŁUKASIEWICZ Jan');
    expect(await page.getByRole('main').textContent()).toContain('né le 15/07/1985');
    await page.getByRole('link', { name: 'Retour à la liste des patients' }).click();
    expect(dialogs).toHaveLength(2);
    await page.getByLabel('Rechercher un patient').fill('lukasiewicz');
    await expect.poll(() => page.getByRole('list', { name: 'Patients trouvés' }).getByRole('link').first().textContent()).toContain('ŁUKASIEWICZ Jan');

    // Accepted, the GP leaves.
    accept = true;
    await page.getByRole('link', { name: 'Nouveau patient' }).click();
    await page.getByLabel('Nom de naissance', { exact: true }).fill('Brouillon');
    await page.getByRole('navigation').getByRole('link', { name: 'Patients' }).click();
    await expect.poll(() => dialogs).toHaveLength(3);
    await expect.poll(() => heading(page)).toBe('Patients');
    expect(session.pageErrors).toEqual([]);
  });

  it('imports a CSV from Réglages with a progress bar, reports the bad rows, and the good ones are found', async () => {
    session = await openRegister();
    const { page } = session;
    await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    await page.getByRole('heading', { name: 'Importer des patients' }).waitFor();
    const csv = [
      'Nom;Prénoms;Sexe;Date de naissance;NIR;Ville',
      'Lefèvre;Hélène;F;14/03/1980;280037511203418;Lyon',
      'Moreau;Chloé;F;31/02/1991;;Paris',
      'Garnier;Théo;M;05/07/2012;;Lille',
      ...Array.from({ length: 1200 }, (_, i) => `Synthétique${letterCode(i)};Patient;M;01/01/1970;;`),
    ].join('\n');
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    // Record whether the bar appeared: the whole import may take less than a poll interval.
    await page.evaluate(() => {
      const seen = window as unknown as { progressSeen?: boolean };
      new MutationObserver(() => {
        if (document.querySelector('progress') !== null) seen.progressSeen = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.getByRole('button', { name: 'Importer', exact: true }).click();

    const summary = page.getByText(/^Import terminé/);
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toBe('Import terminé : 1\u202f202 patients ajoutés, 1 ligne ignorée sur 1\u202f203.');
    expect(await page.evaluate(() => (window as unknown as { progressSeen?: boolean }).progressSeen)).toBe(true);
    const row = page.getByRole('table', { name: 'Lignes ignorées' }).getByRole('row').nth(1);
    expect(await row.getByRole('cell').allTextContents()).toEqual(['3', 'Date de naissance', 'La date de naissance doit être une date valide au format jj/mm/aaaa (ex. 15/07/1985).']);

    // The import is a job of the main process: after a reload its report is still there.
    await page.reload();
    await page.getByRole('heading', { name: 'Importer des patients' }).waitFor();
    await expect.poll(() => page.getByText(/^Import terminé/).textContent()).toBe('Import terminé : 1\u202f202 patients ajoutés, 1 ligne ignorée sur 1\u202f203.');

    await page.getByRole('navigation').getByRole('link', { name: 'Patients' }).click();
    await page.getByLabel('Rechercher un patient').fill('theo gar');
    await expect.poll(() => page.getByRole('list', { name: 'Patients trouvés' }).getByRole('link').first().textContent()).toContain('GARNIER Théo');
    expect(session.pageErrors).toEqual([]);
  });
});
