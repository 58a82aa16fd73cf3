/**
 * The paper copy: the five demonstration prescriptions (`ordo demo-seed`) printed to PDF, then
 * read back the way a pharmacy would: poppler renders each page at 150 and 300 dpi, jsQR finds
 * the code, the code verifies; `pdftotext` finds every mention of DOMAIN §2 with its accents;
 * the same prescription prints the same bytes; a long one runs on two pages, each with its code.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { fixedClock } from '../../electron/clock';
import type { DemoKind, DemoPrescription } from '../../electron/demo/seed';
import { dispatch } from '../../electron/dispatch';
import { passphraseKeyProvider, verificationKeys } from '../../electron/keys/signing-key';
import {
  ALD_ZONE_HEADING,
  DISPENSING_OBJECTION_MENTION,
  DMP_OBJECTION_MENTION,
  E_PRESCRIPTION_MENTION,
  OTHER_ZONE_HEADING,
  printable,
} from '../../electron/pdf/prescription-pdf';
import { pdfFonts } from '../../electron/pdf/fonts';
import { verifyPayload } from '../../electron/signing/seal';
import type { Draft } from '../../shared/calls/prescriptions';
import type { LineInput } from '../../shared/domain/prescription';
import { tempDir } from '../support/tmp';
import { callsOn } from '../support/calls';

const tmp = tempDir('ordo-pdf-');
const dataDir = join(tmp.dir, 'data');
let app: OrdoApp;
let seeded: DemoPrescription[];
const pdfs = new Map<DemoKind, { file: string; bytes: Buffer; draft: Draft }>();

const { value } = callsOn(() => app);

beforeAll(async () => {
  app = createApp({ dataDir, mode: 'host', clock: fixedClock('2026-12-03T09:41:27.250Z'), jobs: { threads: false }, signingKey: passphraseKeyProvider(dataDir, { ORDO_KEY_PASSPHRASE: 'phrase de test' }) });
  seeded = await app.tools.demoSeed();
  for (const s of seeded) {
    const printed = await value<{ contentBase64: string; fileName: string; savedAs: string; printed: boolean }>('prescriptions.print', { id: s.id });
    const bytes = Buffer.from(printed.contentBase64, 'base64');
    const file = join(tmp.dir, printed.fileName);
    writeFileSync(file, bytes);
    pdfs.set(s.kind, { file, bytes, draft: await value<Draft>('prescriptions.get', { id: s.id }) });
  }
});
afterAll(() => {
  app.close();
  tmp.remove();
});

/** pdftotext's reading, spaces (and the non-breaking ones) collapsed, so a wrapped line reads whole. */
function textOf(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8' });
}
const flat = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
/** The same, for reading order: -raw keeps the text in the order it was drawn. */
const rawText = (file: string) => flat(execFileSync('pdftotext', ['-enc', 'UTF-8', '-raw', file, '-'], { encoding: 'utf8' }));

function pages(file: string, dpi: number): PNG[] {
  const out = join(tmp.dir, `${file.split('/').pop()}-${dpi}`);
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, out]);
  const prefix = out.split('/').pop()!;
  return readdirSync(tmp.dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.png'))
    .sort()
    .map((f) => PNG.sync.read(readFileSync(join(tmp.dir, f))));
}

function decode(png: PNG) {
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height, { inversionAttempts: 'dontInvert' });
}

describe('the printed prescription', () => {
  it('demo-seed signs the five kinds, each printable', () => {
    expect(seeded.map((s) => s.kind)).toEqual(['plain', 'bizoneAld', 'narcotic', 'childWithWeight', 'nonSubstitutableMte']);
    for (const [, p] of pdfs) {
      expect(p.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(p.bytes.length).toBeLessThanOrEqual(60 * 1024);
    }
    expect(readdirSync(join(dataDir, 'prints')).sort()).toEqual(seeded.map((s) => `ordonnance-${s.rxId}.pdf`).sort());
  });

  it.each([150, 300])('the QR code read back from a %i dpi rendering verifies, bottom-left, at least 25 mm wide', (dpi) => {
    const keys = verificationKeys(dataDir);
    for (const [kind, p] of pdfs) {
      const [page] = pages(p.file, dpi);
      const found = decode(page!);
      expect(found, `${kind} at ${dpi} dpi`).not.toBeNull();
      expect(found!.data).toBe(p.draft.signature!.qrPayload);
      const check = verifyPayload(found!.data, keys);
      expect(check.status).toBe('valid');
      expect(check.status === 'valid' && check.id).toBe(p.draft.signature!.rxId);
      const { topLeftCorner: tl, topRightCorner: tr, bottomLeftCorner: bl } = found!.location;
      const widthMm = ((tr.x - tl.x) / dpi) * 25.4;
      expect(widthMm).toBeGreaterThanOrEqual(25);
      // Bottom-left: in the left third, in the lowest fifth of the page.
      expect(tl.x).toBeLessThan(page!.width / 3);
      expect(bl.y).toBeGreaterThan(page!.height * 0.8);
    }
  });

  it('every mention of DOMAIN §2 is in the text, accents intact', () => {
    for (const [kind, p] of pdfs) {
      const text = flat(textOf(p.file));
      const { draft } = p;
      const expected = [
        'Dr Camille DÉMO',
        'Médecin généraliste',
        'RPPS 10003154589',
        'N° Assurance Maladie 751234568',
        '12 rue des Lilas',
        '69003 Lyon',
        'Tél. 04 78 00 00 00',
        'cabinet.demo@exemple.fr',
        'Lyon, le 3 décembre 2026',
        'Sexe :',
        `Ordonnance n° ${draft.signature!.rxId}`,
        E_PRESCRIPTION_MENTION,
        'Signature du prescripteur',
        'Signée électroniquement le 03/12/2026 à 10 h 41',
        'page 1/1',
      ];
      for (const mention of expected) expect(text, `${kind}: ${mention}`).toContain(flat(mention));
      // The id in clear under the code, whole, besides the mention that names it.
      expect(text.split(draft.signature!.rxId).length - 1, `${kind}: the id under the code`).toBeGreaterThanOrEqual(2);
      // The lines exactly as signed (the French rendering stored with each line).
      const raw = rawText(p.file);
      for (const line of draft.lines) expect(raw, `${kind}: ${line.rendered}`).toContain(flat(line.rendered));
    }
  });

  it('prints the patient as the paper names them: names, sex, birth date and age, a child’s weight, the objections', () => {
    const text = (kind: DemoKind) => flat(textOf(pdfs.get(kind)!.file));
    expect(text('plain')).toContain('Mme Chloé MOREAU');
    expect(text('plain')).toContain('Née le 02/11/1991 (35 ans)');
    expect(text('plain')).toContain(flat(DMP_OBJECTION_MENTION));
    expect(text('plain')).not.toContain(flat(DISPENSING_OBJECTION_MENTION));
    expect(text('bizoneAld')).toContain('Mme Hélène Marie LEFÈVRE, née GARNIER');
    expect(text('bizoneAld')).toContain(flat(DISPENSING_OBJECTION_MENTION));
    // An adult's weight stays off the paper; a child's is on it, with its date.
    expect(text('bizoneAld')).not.toContain('Poids');
    expect(text('childWithWeight')).toContain('M. Léo NGUYEN');
    expect(text('childWithWeight')).toContain('Sexe : masculin');
    expect(text('childWithWeight')).toMatch(/Né le 09\/04\/2019 \(7 ans\) · Poids : 22,5 kg \(le 03\/12\/2026\)/);
  });

  it('bizone: the ALD lines under the upper heading, the others under the lower one', () => {
    const p = pdfs.get('bizoneAld')!;
    const raw = rawText(p.file);
    const upper = raw.indexOf(flat(ALD_ZONE_HEADING));
    const lower = raw.indexOf(flat(OTHER_ZONE_HEADING));
    expect(upper).toBeGreaterThan(-1);
    expect(lower).toBeGreaterThan(upper);
    for (const line of p.draft.lines) {
      const at = raw.indexOf(flat(line.rendered));
      if (line.line.ald) expect(at > upper && at < lower, line.rendered).toBe(true);
      else expect(at).toBeGreaterThan(lower);
    }
    for (const kind of ['plain', 'narcotic', 'childWithWeight', 'nonSubstitutableMte'] as const) expect(rawText(pdfs.get(kind)!.file)).not.toContain('AFFECTION EXONÉRANTE');
  });

  it('a narcotic in letters, with the count of drugs; the MTE mention; renewals and durations', () => {
    const narcotic = flat(textOf(pdfs.get('narcotic')!.file));
    expect(narcotic).toContain('morphine trente milligrammes');
    expect(narcotic).toContain('une gélule matin et soir pendant vingt-huit jours');
    expect(narcotic).toContain('Nombre de médicaments prescrits : deux (2).');
    expect(narcotic).toContain('Stupéfiant');
    const mte = flat(textOf(pdfs.get('nonSubstitutableMte')!.file));
    expect(mte).toContain('Non substituable (MTE)');
    expect(mte).toContain('pendant 1 mois, à renouveler 5 fois');
  });

  it('prints the same bytes for the same prescription', async () => {
    for (const s of seeded) {
      const again = await value<{ contentBase64: string }>('prescriptions.print', { id: s.id });
      expect(Buffer.from(again.contentBase64, 'base64').equals(pdfs.get(s.kind)!.bytes), s.kind).toBe(true);
    }
  });

  it('a long prescription runs on two pages, each with the QR code, the id and « page N/2 »; the signature under the last line', async () => {
    const plain = seeded[0]!;
    const draft = await value<Draft>('prescriptions.create', { patientId: plain.patientId });
    const lines: LineInput[] = Array.from({ length: 24 }, (_, i) => ({
      kind: 'free',
      key: `00000000-0000-4000-8000-${String(900 + i).padStart(12, '0')}`,
      text: `Séance de kinésithérapie n° ${i + 1} — rééducation de l’épaule droite, « renforcement » et mobilisation`,
    }));
    const saved = await value<Draft>('prescriptions.save', { id: draft.id, version: draft.version, lines });
    const signed = await value<Draft>('prescriptions.sign', { id: saved.id, requestId: '00000000-0000-4000-8000-000000000999' });
    const printed = await value<{ contentBase64: string; fileName: string }>('prescriptions.print', { id: signed.id });
    const file = join(tmp.dir, printed.fileName);
    writeFileSync(file, Buffer.from(printed.contentBase64, 'base64'));
    const rendered = pages(file, 150);
    expect(rendered).toHaveLength(2);
    for (const page of rendered) expect(decode(page)?.data).toBe(signed.signature!.qrPayload);
    const text = flat(textOf(file));
    expect(text).toContain('page 1/2');
    expect(text).toContain('page 2/2');
    expect(text).toContain(`ordonnance n° ${signed.signature!.rxId} du 03/12/2026 (suite)`);
    const raw = rawText(file);
    expect(raw.indexOf('Signature du prescripteur')).toBeGreaterThan(raw.indexOf(flat(signed.lines[23]!.rendered)));
    // « » keep their non-breaking spaces: never » alone at the start of a line.
    expect(textOf(file)).not.toMatch(/^\s*»/m);
  });

  it('refuses to print a draft, and what the font lacks prints as its base letters or « ? », never a box', async () => {
    const plain = seeded[0]!;
    const draft = await value<Draft>('prescriptions.create', { patientId: plain.patientId });
    const result = await dispatch(app.services, 'prescriptions.print', { id: draft.id });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/pas encore signée/);
    const { regular } = pdfFonts();
    expect(printable('Nguyễn Đức Ørsted Ţepeş Ψαρράς Жуков', regular)).toBe('Nguyễn Đức Ørsted Ţepeş Ψαρράς Жуков');
    expect(printable('山田 ﬁn', regular)).toBe('?? fin');
  });
});
