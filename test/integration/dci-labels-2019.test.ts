/**
 * The DCI label is a legal statement: proved over every specialty of the real November 2019 BDPM
 * release (../shared/data, never copied into the project), imported through the real importer,
 * and pinned exactly for a reviewed set of labels chosen for their traps
 * (test/fixtures/dci-labels-2019.json).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../electron/clock';
import { currentFile, referentialDir } from '../../electron/drugs/files';
import type { DrugService } from '../../electron/drugs/service';
import { dciLabelText, dciOfSubstance, describeDci, type CompositionPart, type DciDescription } from '../../shared/domain/dci';
import { pdfFonts } from '../../electron/pdf/fonts';
import { printable, renderPrescriptionPdf } from '../../electron/pdf/prescription-pdf';
import type { SignedContent } from '../../electron/signing/content';
import { importFolder, inlineDrugService } from '../support/drugs';
import { hasSharedData, repoRoot, sharedDataDir } from '../support/paths';
import { tempDir } from '../support/tmp';

const release = join(sharedDataDir, 'bdpm-2019');
if (!hasSharedData) process.stderr.write(`DCI labels over the BDPM 2019 release skipped: ${release} absent (real data lives outside the project)\n`);

interface Specialty {
  cis: string;
  name: string;
  form: string;
  label: string;
  parts: CompositionPart[];
  dci: DciDescription;
}

/** A signed content to print labels with: the demo prescriber, a patient, one line to copy. */
const demoContent: SignedContent = {
  format: 'ordo-rx/1',
  id: 'A1B2C3D4E5F6G7H8J9',
  issuedAt: '2026-12-03T09:00:00.000Z',
  prescriber: { lastName: 'Démo', firstName: 'Camille', specialty: 'Médecin généraliste', rpps: '10003154589', amNumber: '751234568', practiceName: '', address: '12 rue des Lilas', postalCode: '69003', city: 'Lyon', phone: '04 78 00 00 00', email: 'cabinet.demo@exemple.fr' },
  patient: { birthName: 'Moreau', usedName: '', firstNames: 'Chloé', sex: 'F', birthDate: '1991-11-02', weight: null, dispensingObjection: false },
  lines: [
    {
      line: { kind: 'free', key: '00000000-0000-4000-8000-000000000000', text: 'x', posology: null, duration: null, packs: null, renewals: 0, nonSubstitution: null, ald: false, flags: { workAccident: false, prevention: false, nonReimbursable: false, offLabel: false }, instructions: '' },
      drug: null,
      rendered: 'x',
    },
  ],
  overrides: [],
  renewalOf: null,
};

// A reference that is a quantity of liquid, cream or powder: the strength must be per it.
const QUANTITY_REFERENCE = /^\d+(?:[,.]\d+)?\s*(?:ml|g|l)\b/i;

describe.skipIf(!hasSharedData)('DCI labels of the whole BDPM 2019 release', () => {
  const tmp = tempDir('ordo-dci2019-');
  let drugs: DrugService;
  const specialties: Specialty[] = [];

  beforeAll(async () => {
    const clock = fixedClock('2026-11-25T10:00:00Z');
    drugs = inlineDrugService({ dataDir: tmp.dir, clock, sqlite: {} });
    await importFolder(drugs, tmp.dir, release, clock);
    const db = new Database(currentFile(referentialDir(tmp.dir), 'drugs'), { readonly: true });
    try {
      const parts = new Map<string, CompositionPart[]>();
      for (const c of db
        .prepare('SELECT cis, element, substance_code, substance_name, strength, strength_reference, nature, link_number FROM composition ORDER BY cis, id')
        .all() as { cis: string; element: string; substance_code: string; substance_name: string; strength: string; strength_reference: string; nature: 'SA' | 'FT'; link_number: number | null }[]) {
        const list = parts.get(c.cis) ?? [];
        list.push({ element: c.element, substanceCode: c.substance_code, substanceName: c.substance_name, strength: c.strength, strengthReference: c.strength_reference, nature: c.nature, linkNumber: c.link_number });
        parts.set(c.cis, list);
      }
      for (const s of db.prepare('SELECT cis, name, form, dci_label FROM specialty ORDER BY cis').all() as { cis: string; name: string; form: string; dci_label: string }[]) {
        const own = parts.get(s.cis) ?? [];
        specialties.push({ cis: s.cis, name: s.name, form: s.form, label: s.dci_label, parts: own, dci: describeDci(own, s.form, s.name) });
      }
    } finally {
      db.close();
    }
  }, 180_000);
  afterAll(() => {
    drugs.close();
    tmp.remove();
  });

  it('stores for each of the 14,442 specialties the label its parts spell', () => {
    expect(specialties).toHaveLength(14_442);
    const wrong = specialties.filter((s) => s.label !== s.dci.label || (s.parts.length > 0 && s.label !== dciLabelText(s.dci.elements, s.dci.form)));
    expect(wrong.map((s) => `${s.cis} ${s.label}`)).toEqual([]);
  });

  it('prints every label, name and form of the release with the PDF’s embedded fonts: no character without its glyph', () => {
    const { regular, bold } = pdfFonts();
    const lacking = new Set<string>();
    for (const s of specialties) {
      for (const text of [s.label, s.name, s.form]) {
        for (const font of [regular, bold]) if (printable(text, font) !== text) lacking.add(`${s.cis} « ${text} »`);
      }
    }
    expect([...lacking]).toEqual([]);
  });

  it('prints every label of the release whole on the paper copy: each one found, in order, by pdftotext', async () => {
    // One long « prescription » of every label (the layout has no line limit; the contract's 30 is
    // checked before), read back the way a pharmacy's software would.
    const content = JSON.parse(JSON.stringify(demoContent)) as SignedContent;
    content.lines = specialties.map((s, i) => ({ ...demoContent.lines[0]!, rendered: `${s.label} — 1 comprimé par jour`, line: { ...demoContent.lines[0]!.line, key: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` } }));
    const pdf = await renderPrescriptionPdf({ content, rxId: 'A1B2C3D4E5F6G7H8J9', signedAt: '2026-12-03T09:00:00.000Z', keyId: '0123456789abcdef', qrPayload: 'ORDO1:TEST' }, pdfFonts());
    const file = join(tmp.dir, 'every-label.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-raw', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    // Hundreds of pages, each numbered with the total.
    expect(Number(/page 1\/(\d+)/.exec(text)?.[1])).toBeGreaterThan(300);
    const bare = (t: string) => t.replace(/[\s\u00a0\u202f]+/g, '');
    const read = bare(text);
    let at = 0;
    const lost: string[] = [];
    for (const s of specialties) {
      const found = read.indexOf(bare(`${s.label}—1comprimé`), at);
      if (found < 0) lost.push(`${s.cis} ${s.label}`);
      else at = found;
    }
    expect(lost).toEqual([]);
  }, 120_000);

  it('never reads a variant number glued to the strength as a thousands group (HUMALOG MIX25 100 UI/ml, INSUMAN COMB 25 100 UI/ml)', () => {
    const insulins = specialties.filter((s) => /^(?:HUMALOG MIX|INSUMAN COMB)/.test(s.name));
    expect(insulins.length).toBeGreaterThan(6);
    expect(insulins.filter((s) => !/ 100 UI\/ml/.test(s.label)).map((s) => `${s.cis} ${s.name}: ${s.label}`)).toEqual([]);
  });

  it('names each DCI once per element, with one strength', () => {
    const twice = specialties.filter((s) => s.dci.elements.some((e) => new Set(e.entries.map((x) => x.dci)).size !== e.entries.length));
    expect(twice.map((s) => `${s.cis} ${s.label}`)).toEqual([]);
  });

  it('names every active substance of the composition, or counts it when there are too many', () => {
    const missing: string[] = [];
    for (const s of specialties) {
      const counted = s.dci.elements.some((e) => e.others > 0);
      const named = new Set(s.dci.elements.flatMap((e) => e.entries.map((x) => x.dci)));
      // Each link number ties a salt (SA) to its moiety (FT): one of them speaks for the substance.
      const links = new Map<string, string[]>();
      s.parts.forEach((p, i) => {
        const key = `${p.element.trim()}|${p.linkNumber ?? `row${i}`}`;
        links.set(key, [...(links.get(key) ?? []), dciOfSubstance(p.substanceName)]);
      });
      for (const [link, dcis] of links) {
        const inSubstances = dcis.some((d) => s.dci.substances.includes(d));
        const shown = dcis.some((d) => named.has(d)) || (counted && inSubstances);
        if (!inSubstances || !shown) missing.push(`${s.cis} ${link} ${dcis.join('/')} → ${s.label}`);
      }
      for (const e of s.dci.elements) for (const x of e.entries) if (!s.label.includes(x.text)) missing.push(`${s.cis} "${x.text}" not in ${s.label}`);
    }
    expect(missing).toEqual([]);
  });

  it('writes the strength of what is given per volume or mass per that unit, never per bottle', () => {
    const perBottle: string[] = [];
    for (const s of specialties) {
      for (const p of s.parts) {
        const strength = p.strength.trim();
        if (!QUANTITY_REFERENCE.test(p.strengthReference.trim()) || strength === '' || /^qs\b/.test(strength) || /\d\s*(?:CH|DH)\b/.test(strength)) continue;
        const dci = dciOfSubstance(p.substanceName);
        for (const e of s.dci.elements) {
          const entry = e.entries.find((x) => x.dci === dci);
          if (entry !== undefined && !/[/%]| pour /.test(entry.text)) perBottle.push(`${s.cis} [${strength} / ${p.strengthReference}] → ${s.label}`);
        }
      }
    }
    expect(perBottle).toEqual([]);
  });

  it('writes one amount one way, and the form as a GP writes it', () => {
    const odd: string[] = [];
    for (const s of specialties) {
      if (s.parts.length === 0) continue;
      if (/\((?:e|s|se|ve)\)| {2}/.test(s.dci.form) || / {2}/.test(s.label)) odd.push(`${s.cis} form: ${s.label}`);
      for (const e of s.dci.elements) {
        for (const x of e.entries) {
          const amount = new RegExp(`^${x.dci.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ([\\d\u202f]+(?:,\\d+)?) (mg|g|µg)(?:/.*)?$`).exec(x.text);
          if (/\bmicrogrammes?\b/.test(x.text)) odd.push(`${s.cis} "${x.text}"`);
          if (amount === null) continue;
          const value = Number(amount[1]!.replace(/\u202f/g, '').replace(',', '.'));
          // 1 000 mg is 1 g, 0,5 g is 500 mg, 1 000 µg is 1 mg.
          if ((amount[2] !== 'g' && value >= 1000) || (amount[2] === 'g' && value < 1)) odd.push(`${s.cis} "${x.text}"`);
        }
      }
    }
    expect(odd).toEqual([]);
  });

  it('gives the same label to the same drug whatever the order or unit of its rows', () => {
    // Same substances, same amounts in mg, same form → one label (so one search group).
    const byContent = new Map<string, Set<string>>();
    for (const s of specialties) {
      if (s.dci.elements.length !== 1 || s.parts.length === 0) continue;
      const amounts = s.dci.elements[0]!.entries
        .map((e) => {
          const m = /^(.*?) (\d+(?:,\d+)?) (mg|g)$/.exec(e.text.replace(/\u202f/g, ''));
          return m === null ? null : `${m[1]}=${Number(m[2]!.replace(',', '.')) * (m[3] === 'g' ? 1000 : 1)}`;
        });
      if (amounts.some((a) => a === null)) continue;
      const key = `${[...amounts].sort().join('+')}|${s.dci.form}`;
      byContent.set(key, (byContent.get(key) ?? new Set()).add(s.label));
    }
    const split = [...byContent].filter(([, labels]) => labels.size > 1).map(([key, labels]) => `${key}: ${[...labels].join(' | ')}`);
    expect(split).toEqual([]);
  });

  it('prints exactly the reviewed labels of the golden file (at least 150 traps)', () => {
    const golden = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'dci-labels-2019.json'), 'utf8')) as { labels: { cis: string; trap: string; label: string }[] };
    expect(golden.labels.length).toBeGreaterThanOrEqual(150);
    expect(new Set(golden.labels.map((g) => g.trap)).size).toBeGreaterThanOrEqual(12);
    const byCis = new Map(specialties.map((s) => [s.cis, s]));
    const differ = golden.labels.filter((g) => byCis.get(g.cis)?.label !== g.label).map((g) => `${g.cis} (${g.trap}, ${byCis.get(g.cis)?.name}): expected « ${g.label} », got « ${byCis.get(g.cis)?.label} »`);
    expect(differ).toEqual([]);
  });
});
