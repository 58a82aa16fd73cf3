/**
 * The paper copy of a 5-line prescription (the demonstration referential, the demo prescriber, a
 * patient with a DMP objection), in process, through `dispatch` as every adapter calls it:
 * - `prescriptions.sign` (fresh requestId) + `prescriptions.print` (the PDF with pdfkit, its QR
 *   code, the copy written to `prints/`), each iteration on a new draft made and saved outside the
 *   timed region. Targets: ≤ 15 ms median, PDF ≤ 60 KB, and ≥ 6× faster than the baseline below.
 * - the PDF alone: `renderPrescriptionPdf` over the signature row, fonts parsed once (pdfFonts()).
 * - baseline: the same page written as HTML (prescriber, patient, the 5 rendered lines, the same
 *   QR payload as an inline SVG from `qrcode`, the mentions; Liberation Sans, the font OrdoSans is
 *   trimmed from) printed by Chromium (`page.setContent` + `page.pdf`, Playwright, one page
 *   reused, no network). The HTML is built once, outside the timed region, so the ratio is a lower
 *   bound. Skipped, saying why, without Chromium.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { createApp } from '../../electron/app';
import { DEMO_PROFILE } from '../../electron/demo/seed';
import { dispatch } from '../../electron/dispatch';
import { passphraseKeyProvider } from '../../electron/keys/signing-key';
import { pdfFonts } from '../../electron/pdf/fonts';
import {
  DISPENSING_OBJECTION_MENTION,
  DMP_OBJECTION_MENTION,
  E_PRESCRIPTION_MENTION,
  frenchLongDate,
  frenchTime,
  lineNotes,
  parisDay,
  patientLine,
  prescriberLines,
  renderPrescriptionPdf,
  typeset,
  type PrintablePrescription,
} from '../../electron/pdf/prescription-pdf';
import { readSignature } from '../../electron/prescriptions/repository';
import type { SignedContent } from '../../electron/signing/content';
import type { Draft } from '../../shared/calls/prescriptions';
import { formatDate } from '../../shared/domain/dates';
import { ageText } from '../../shared/domain/patient-age';
import { bornWord } from '../../shared/domain/patient-names';
import type { LineInput } from '../../shared/domain/prescription';
import { CHROMIUM, launchBrowser } from '../e2e/harness';
import { tempDir } from '../support/tmp';
import { sample, type BenchRow } from './types';

const WARMUP = 10;
const COUNT = 100;

const perDay = (times: number) => ({ kind: 'perDay' as const, times });

/** Five drug lines of the demonstration referential, posologies as electron/demo/seed.ts writes them. */
function fiveLines(): LineInput[] {
  return [
    { kind: 'drug', key: randomUUID(), cis: '69999008', posology: { dose: 1, unit: 'comprimé', frequency: perDay(3), asNeeded: true, maxPer24h: 3 }, duration: { value: 5, unit: 'days' } },
    { kind: 'drug', key: randomUUID(), cis: '69999016', posology: { dose: 1, unit: 'comprimé', frequency: perDay(3), asNeeded: true, maxPer24h: 6 }, duration: { value: 5, unit: 'days' }, instructions: 'Laisser fondre sous la langue.' },
    { kind: 'drug', key: randomUUID(), cis: '69999023', posology: { dose: 1, unit: 'comprimé', frequency: perDay(2), moments: ['matin', 'soir'] }, duration: { value: 3, unit: 'months' }, instructions: 'Au milieu des repas.' },
    { kind: 'drug', key: randomUUID(), cis: '69999025', posology: { dose: 1, unit: 'comprimé', frequency: perDay(1), moments: ['soir'] }, duration: { value: 3, unit: 'months' } },
    { kind: 'drug', key: randomUUID(), cis: '69999012', posology: { dose: 1, unit: 'comprimé', frequency: perDay(3), asNeeded: true, maxPer24h: 3 }, duration: { value: 5, unit: 'days' } },
  ];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const t = (s: string) => escapeHtml(typeset(s));

const SEX_WORDS: Record<SignedContent['patient']['sex'], string> = { F: 'féminin', M: 'masculin', I: 'indéterminé' };

/** The page renderPrescriptionPdf draws (one page, no bizone: this prescription has no ALD line), as HTML. */
function prescriptionHtml(rx: PrintablePrescription, qrSvg: string): string {
  const { prescriber: dr, patient } = rx.content;
  const day = parisDay(rx.signedAt);
  const doctorName = `Dr ${dr.firstName} ${dr.lastName.toLocaleUpperCase('fr-FR')}`;
  const born = bornWord(patient.sex);
  const facts = [`Sexe : ${SEX_WORDS[patient.sex]}`, `${born.charAt(0).toUpperCase()}${born.slice(1)} le ${formatDate(patient.birthDate)} (${ageText(patient.birthDate, day)})`];
  const narcotics = rx.content.lines.some((l) => l.drug?.flags.narcotic === true);
  const mentions = [E_PRESCRIPTION_MENTION, `Vérifiable hors ligne avec la clé publique ${rx.keyId} du prescripteur.`];
  if (patient.dispensingObjection) mentions.push(DISPENSING_OBJECTION_MENTION);
  if (patient.dmpObjection === true) mentions.push(DMP_OBJECTION_MENTION);
  if (narcotics) mentions.push('Ordonnance comportant un stupéfiant : à présenter au pharmacien dans les trois jours.');
  const lines = rx.content.lines
    .map((l, i) => {
      const notes = lineNotes(l);
      return `<li><b>${i + 1}.</b><div>${t(l.rendered)}${notes === '' ? '' : `<small>${t(notes)}</small>`}</div></li>`;
    })
    .join('');
  const left = prescriberLines(dr);
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Ordonnance ${t(rx.rxId)}</title><style>
@page { size: A4; margin: 15mm; }
html, body { margin: 0; font-family: 'Liberation Sans', Arial, sans-serif; font-size: 10pt; color: #000; }
header { display: flex; justify-content: space-between; border-bottom: 0.5pt solid #444; padding-bottom: 6mm; }
header h1 { font-size: 13pt; margin: 0 0 1pt; } header p { margin: 1pt 0; font-size: 9.5pt; }
.patient { margin: 3mm 0 6mm; } .patient h2 { font-size: 11.5pt; margin: 0 0 2pt; }
ol { list-style: none; padding: 0; margin: 0; } li { display: flex; font-size: 11pt; margin-bottom: 4mm; } li b { width: 7mm; flex: none; }
li small { display: block; font-size: 8.5pt; color: #444; }
.signature { margin-left: 50%; height: 26mm; border: 0.5pt solid #444; border-radius: 3pt; padding: 1.5mm 2mm; font-size: 8.5pt; }
.signature .who { font-weight: bold; font-size: 10pt; margin: 1mm 0; }
footer { position: fixed; bottom: 0; left: -2mm; right: 0; height: 39mm; display: flex; gap: 3mm; }
.qr { width: 30mm; text-align: center; font-weight: bold; font-size: 8pt; } .qr svg { width: 30mm; height: 30mm; display: block; }
.mentions { flex: 1; padding-top: 3mm; font-size: 8pt; color: #444; } .mentions p { margin: 2pt 0; } .mentions .id { color: #000; font-weight: bold; font-size: 9pt; }
.page { position: fixed; bottom: 0; right: 0; font-size: 8pt; }
</style></head><body>
<header><div><h1>${t(doctorName)}</h1>${left.map((l) => `<p>${t(l)}</p>`).join('')}</div><div>${t(`${dr.city}, le ${frenchLongDate(rx.signedAt)}`)}</div></header>
<section class="patient"><h2>${t(patientLine(patient))}</h2><div>${t(facts.join(' · '))}</div></section>
<ol>${lines}</ol>
<section class="signature"><div>Signature du prescripteur</div><div class="who">${t(doctorName)}</div><div>${t(`Signée électroniquement le ${formatDate(day)} à ${frenchTime(rx.signedAt)} (clé ${rx.keyId})`)}</div></section>
<footer><div class="qr">${qrSvg}${t(rx.rxId)}</div><div class="mentions"><p class="id">${t(`Ordonnance n° ${rx.rxId}`)}</p>${mentions.map((m) => `<p>${t(m)}</p>`).join('')}</div></footer>
<div class="page">page 1/1</div>
</body></html>`;
}

export async function rows(): Promise<BenchRow[]> {
  const tmp = tempDir('ordo-bench-print-');
  const dataDir = join(tmp.dir, 'data');
  const app = createApp({ dataDir, mode: 'host', jobs: { threads: false }, signingKey: passphraseKeyProvider(dataDir, { ORDO_KEY_PASSPHRASE: 'phrase de banc d’essai' }) });
  try {
    const call = async <T>(name: string, input: unknown): Promise<T> => {
      const result = await dispatch(app.services, name, input);
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
      return result.value as T;
    };
    await call('profile.save', DEMO_PROFILE);
    const today = new Date().toISOString().slice(0, 10).split('-').reverse().join('/');
    const { id: patientId } = await call<{ id: number }>('patients.create', {
      patient: { birthName: 'Moreau', firstNames: 'Chloé', sex: 'F', birthDate: '02/11/1991', city: 'Lyon', dmpObjection: { recordedOn: today } },
      confirmed: ['duplicate', 'nearDuplicate'],
    });

    /** A draft with the five lines, saved and ready to sign (a blocking check passed over with a reason, as a GP would). */
    let reported = false;
    const readyDraft = async (): Promise<number> => {
      const draft = await call<Draft>('prescriptions.create', { patientId });
      const lines = fiveLines();
      let saved = await call<Draft>('prescriptions.save', { id: draft.id, version: draft.version, lines, overrides: [] });
      if (!saved.readyToSign) {
        const overrides = saved.checks.filter((c) => c.blocking && c.override === null).map((c) => ({ checkId: c.id, reason: 'Banc d’essai : prescription volontaire.' }));
        saved = await call<Draft>('prescriptions.save', { id: saved.id, version: saved.version, lines, overrides });
        if (!saved.readyToSign) throw new Error(`the 5-line draft cannot be signed: ${saved.checks.map((c) => c.message).join(' ')}`);
      }
      if (!reported) {
        reported = true;
        process.stderr.write(`bench print: 5 lines, ${saved.checks.length} checks (${saved.checks.filter((c) => c.override !== null).length} overridden)\n`);
      }
      return saved.id;
    };

    // sign + QR + PDF, each on a fresh draft prepared outside the timed region.
    const signAndPrint: number[] = [];
    let lastId = 0;
    let pdfBytes = 0;
    for (let i = 0; i < WARMUP + COUNT; i++) {
      const id = await readyDraft();
      const start = process.hrtime.bigint();
      await call<Draft>('prescriptions.sign', { id, requestId: randomUUID() });
      const printed = await call<{ contentBase64: string }>('prescriptions.print', { id });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (i >= WARMUP) signAndPrint.push(ms);
      lastId = id;
      pdfBytes = Buffer.from(printed.contentBase64, 'base64').length;
    }

    // The PDF alone, from the signature row as electron/prescriptions/print.ts reads it.
    const signature = readSignature(app.context.db, lastId);
    if (signature === null) throw new Error('no signature row for the last prescription');
    const rx: PrintablePrescription = { content: JSON.parse(signature.content) as SignedContent, rxId: signature.rxId, signedAt: signature.signedAt, keyId: signature.keyId, qrPayload: signature.qrPayload };
    const fonts = pdfFonts();
    let renderedBytes = 0;
    const pdfOnly = await sample(
      COUNT,
      async () => {
        renderedBytes = (await renderPrescriptionPdf(rx, fonts)).length;
      },
      WARMUP,
    );

    const targets = 'target ≤ 15 ms median, PDF ≤ 60 KB, ratio ≥ 6×';
    const baselineName = (bytes: number) => `print baseline: Chromium printToPDF, the same page as HTML (Playwright, page reused; PDF ${kb(bytes)})`;
    let baseline: BenchRow | undefined;
    if (!existsSync(CHROMIUM)) {
      process.stderr.write(`bench print: Chromium baseline skipped, Chromium absent at ${CHROMIUM} (apt-get install chromium)\n`);
    } else {
      const qrSvg = await QRCode.toString(rx.qrPayload, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
      const html = prescriptionHtml(rx, qrSvg);
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        // No network: the page is given whole, and anything it would fetch is refused.
        await page.route('**/*', (route) => route.abort());
        let chromiumBytes = 0;
        const samples = await sample(
          COUNT,
          async () => {
            await page.setContent(html);
            const pdf = await page.pdf({ format: 'A4' });
            chromiumBytes = pdf.length;
          },
          WARMUP,
        );
        baseline = { name: baselineName(chromiumBytes), unit: 'ms', samples };
      } finally {
        await browser.close();
      }
    }
    if (pdfBytes > 60 * 1024) process.stderr.write(`bench print: the PDF is ${kb(pdfBytes)}, over the 60 KB target\n`);
    return [
      { name: `print: sign + QR + PDF, 5-line prescription (prescriptions.sign + .print; ${targets}; PDF ${kb(pdfBytes)})`, unit: 'ms', samples: signAndPrint, ...(baseline === undefined ? {} : { baseline: baseline.name }) },
      { name: `print: PDF only (pdfkit, fonts parsed once; PDF ${kb(renderedBytes)})`, unit: 'ms', samples: pdfOnly, ...(baseline === undefined ? {} : { baseline: baseline.name }) },
      ...(baseline === undefined ? [] : [baseline]),
    ];
  } finally {
    app.close();
    tmp.remove();
  }
}
