/**
 * The ANSM interaction thesaurus as a GP installs it from Réglages in Chromium, with the keyboard
 * only: a zip that is not the thesaurus is refused in French, then the thesaurus is installed from
 * its folder with a progress bar and a report in French number formatting; the drug card of
 * COUMADINE (warfarin) then lists its interactions by level, most severe first. Uses the real
 * 2016 thesaurus from ../shared/data, or a small synthetic one written here when it is absent.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { FileChooser } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sharedDataDir } from '../support/paths';
import { tempDir } from '../support/tmp';
import { e2eSkipReason, openSignedInSession, type Session } from './harness';

const skip = e2eSkipReason();
const tmp = tempDir('ordo-e2e-thesaurus-');
afterAll(() => tmp.remove());

const realDir = join(sharedDataDir, 'ansm-interactions-2016');
const hasReal = existsSync(join(realDir, 'thesaurus.tsv'));
if (!hasReal) process.stderr.write(`interactions e2e: ${realDir} absent, installing a synthetic thesaurus instead\n`);

/** 1 463 rules in the real thesaurus; the synthetic one has 1 200, enough for a thousands separator. */
function thesaurusDir(): { dir: string; rules: number } {
  if (hasReal) return { dir: realDir, rules: 1463 };
  const dir = join(tmp.dir, 'ansm-interactions-2016');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'molecules.txt'), 'WARFARINE\nACIDE ACETYLSALICYLIQUE\n');
  writeFileSync(join(dir, 'molecule-classes.tsv'), 'molecule\tfamille\nWARFARINE\tANTICOAGULANTS ORAUX\n');
  const conduct = 'CI - ASDEC - APEC Contre-indication avec des doses anti-inflammatoires';
  const rules = [
    `ACIDE ACETYLSALICYLIQUE\tANTICOAGULANTS ORAUX\t${conduct}\t\tMajoration du risque hemorragique.\t${conduct}\t${conduct}\t\t${conduct}`,
    ...Array.from({ length: 1199 }, (_, i) => `SUBSTANCE ${i}\tAUTRE ${i}\tA prendre en compte x\t\tx\t\t\t\tx`),
  ];
  writeFileSync(join(dir, 'thesaurus.tsv'), ['protagoniste1\tprotagoniste2\tdescription_interaction\tdescription_medoc\tmecanisme\tCI\tAD\tPE\tPC', ...rules].join('\n'));
  return { dir, rules: 1200 };
}

/** French thousands: a narrow no-break space (U+202F). */
const fr = (n: number) => new Intl.NumberFormat('fr-FR').format(n);

describe.skipIf(skip !== undefined)('interaction thesaurus in Chromium', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('is refused when it is not the thesaurus, then installed with the keyboard; the drug card lists the interactions', async () => {
    session = await openSignedInSession();
    const { page } = session;
    const { dir, rules } = thesaurusDir();
    const notThesaurus = join(tmp.dir, 'bdpm.zip');
    writeFileSync(notThesaurus, zipSync({ 'CIS_bdpm.txt': new TextEncoder().encode('60000001\tDOLIPRANE\n') }));

    await page.getByRole('navigation').getByRole('link', { name: 'Réglages' }).click();
    const section = page.getByRole('region', { name: 'Thésaurus des interactions (ANSM)' });
    await expect.poll(() => section.getByTestId('thesaurus-none').textContent(), { timeout: 15_000 }).toContain('Aucun thésaurus des interactions n’est installé');
    // The BDPM section says the same, in words.
    expect(await page.getByTestId('drug-interactions-installed').textContent()).toBe('non installé (voir « Thésaurus des interactions » ci-dessous)');

    // A French file button, not the browser's « Choose File »: the keyboard reaches the input, Space opens the chooser.
    const uploadForm = section.getByRole('form', { name: 'Depuis le fichier .zip du thésaurus' });
    expect(await uploadForm.textContent()).toContain('Choisir un fichier…');
    expect(await uploadForm.textContent()).toContain('Aucun fichier choisi');
    const fileInput = uploadForm.getByLabel('Fichier .zip du thésaurus');
    // Space on the focused input opens the chooser. The section may still re-render once its
    // status arrives (a busy machine), taking the focus away: the key is pressed again then.
    let chooser: FileChooser | undefined;
    for (let attempt = 0; attempt < 3 && chooser === undefined; attempt++) {
      const opened = page.waitForEvent('filechooser', { timeout: 5_000 }).catch(() => undefined);
      await fileInput.press('Space');
      chooser = await opened;
    }
    expect(chooser, 'Space on the file button opens the file chooser').toBeDefined();
    await chooser!.setFiles(notThesaurus);
    await expect.poll(() => uploadForm.textContent()).toContain('bdpm.zip');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Installer depuis ce fichier');
    await page.keyboard.press('Enter');
    const failed = section.getByTestId('thesaurus-failed');
    await expect.poll(() => failed.textContent(), { timeout: 15_000 }).toMatch(/^L’installation a échoué : Ce n’est pas le thésaurus des interactions de l’ANSM : fichier absent de « bdpm\.zip »/);
    expect(await failed.textContent()).toMatch(/Le thésaurus précédent est conservé\.$/);
    expect(await section.getByTestId('thesaurus-none').count()).toBe(1);

    // Now the real folder, typed in the path field and sent with Enter; the progress bar's appearance is recorded.
    await page.evaluate(() => {
      const w = window as unknown as { sawProgress: boolean };
      w.sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="thesaurus-job"] progress') !== null) w.sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    const field = section.getByRole('textbox', { name: 'Chemin du dossier ou du fichier .zip' });
    await field.focus();
    await page.keyboard.type(dir);
    await page.keyboard.press('Enter');
    const report = section.getByTestId('thesaurus-report');
    await expect.poll(() => report.textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^Thésaurus installé : ${fr(rules)} interactions, `));
    expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);
    const label = `Thésaurus des interactions ANSM, 2016 — ${fr(rules)} interactions`;
    expect(fr(rules)).toMatch(/^1\u202f\d{3}$/);
    expect(await report.textContent()).toContain(label);
    await expect.poll(() => section.getByTestId('thesaurus-installed').textContent()).toContain(label);
    expect(await section.getByTestId('thesaurus-installed').textContent()).toMatch(/Installé le\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/);
    await expect.poll(() => page.getByTestId('drug-interactions-installed').textContent()).toBe(label);
    // Nothing technical on screen: no rule-set id.
    expect(await page.textContent('main')).not.toMatch(/ansm-interactions-2016-[0-9a-f]{12}/);

    // The card of COUMADINE (warfarin) on Prescrire.
    await page.getByRole('navigation').getByRole('link', { name: 'Prescrire' }).click();
    const box = page.getByRole('combobox', { name: 'Rechercher un médicament' });
    await box.click();
    await box.pressSequentially('coumadine', { delay: 30 });
    await page.getByRole('listbox', { name: 'Médicaments trouvés' }).getByRole('option').first().waitFor();
    await box.press('ArrowDown');
    await box.press('Enter');
    const card = page.getByRole('region', { name: 'Interactions', exact: true });
    const ci = card.getByRole('region', { name: /^Contre-indication/ });
    await ci.waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain(`Source : ${label}`);
    const aspirin = ci.getByRole('listitem').filter({ hasText: 'Avec ACIDE ACETYLSALICYLIQUE' });
    expect(await aspirin.textContent()).toContain('Par ANTICOAGULANTS ORAUX (classe de substances)');
    expect(await aspirin.textContent()).toContain('Selon les cas : contre-indication, association déconseillée, à prendre en compte.');
    expect(await aspirin.textContent()).toMatch(/Risque.*hemorragique/);
    expect(await aspirin.textContent()).toMatch(/Conduite à tenir\s*Contre-indication avec/);
    // Grouped by level, most severe first.
    const headings = await card.getByRole('heading', { level: 4 }).allTextContents();
    const order = ['Contre-indication', 'Association déconseillée', 'Précaution d’emploi', 'À prendre en compte'];
    const ranks = headings.map((h) => order.findIndex((name) => h.startsWith(name)));
    expect(ranks).not.toContain(-1);
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    // The composition says what SA means, in words.
    expect(await page.locator('.drug-detail').textContent()).toContain('(SA : substance active)');
    expect(session.pageErrors).toEqual([]);
  }, 120_000);
});
