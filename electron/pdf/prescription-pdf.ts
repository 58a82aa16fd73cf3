/**
 * The paper copy of a signed prescription (DOMAIN.md §1 and §2), A4, with pdfkit and the fonts of
 * assets/fonts embedded:
 * - the prescriber (name, specialty, RPPS, AM number, practice, address, phone, e-mail), the place
 *   and the date; the patient (names, sex, date of birth and age, weight for a child);
 * - the lines as they were signed (their French rendering: non-substitution, renewals, durations,
 *   a narcotic's numbers in letters), with their flags; the bizone layout when a line is for the
 *   patient's ALD (upper zone for it, lower zone for the rest);
 * - the signature area right under the last line (R.5132-4);
 * - on every page: the signed QR code bottom-left, at least 25 mm wide, with the id in clear
 *   under it, the legal mentions and the patient's objections, « page N/M ».
 *
 * Pure: the bytes depend only on what is given (the metadata's dates are the signing instant), so
 * the same prescription prints the same file.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { memoized } from '../../shared/domain/memo';
import { formatDate } from '../../shared/domain/dates';
import { integerWords } from '../../shared/domain/french-words';
import { ageText } from '../../shared/domain/patient-age';
import { bornWord } from '../../shared/domain/patient-names';
import { lineFlagLabels, lineFlagNames } from '../../shared/domain/prescription';
import type { Font } from 'fontkit';
import type { SignedContent } from '../signing/content';
import type { PdfFonts } from './fonts';

export interface PrintablePrescription {
  content: SignedContent;
  rxId: string;
  signedAt: string;
  keyId: string;
  qrPayload: string;
}

/** The upper zone's heading on the bizone form (Cerfa 12555), and the lower zone's. */
export const ALD_ZONE_HEADING = 'Prescriptions relatives au traitement de l’affection de longue durée reconnue (liste ou hors liste) (AFFECTION EXONÉRANTE)';
export const OTHER_ZONE_HEADING = 'Prescriptions SANS RAPPORT avec l’affection de longue durée (MALADIES INTERCURRENTES)';
export const E_PRESCRIPTION_MENTION = 'Ordonnance numérique : le code ci-contre porte l’identifiant unique de cette ordonnance et la signature électronique du prescripteur.';
export const DISPENSING_OBJECTION_MENTION = 'Le patient s’oppose à ce que le prescripteur consulte les informations relatives à la délivrance de cette ordonnance.';
export const DMP_OBJECTION_MENTION = 'Le patient s’oppose à l’alimentation de son dossier médical partagé (DMP) : cette ordonnance n’y est pas versée.';

const mm = (v: number) => (v * 72) / 25.4;
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = mm(15);
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
/** The QR code with its quiet zone: its modules span ≥ 25 mm (version 10: 57 of 65 cells), each ≥ 0.45 mm, read at 150 dpi. */
const QR_SIZE = mm(30);
const FOOTER_HEIGHT = QR_SIZE + mm(9);
const FOOTER_TOP = PAGE.height - MARGIN - FOOTER_HEIGHT;
const SIGNATURE_HEIGHT = mm(30);
const GREY = '#444444';

/** French typography: a non-breaking space inside « », so that pdfkit never wraps » alone. */
export function typeset(text: string): string {
  return text.replace(/«\s*/g, '«\u00a0').replace(/\s*»/g, '\u00a0»');
}

/**
 * What the font can print of a text: a character it has no glyph for becomes its letters without
 * their marks when the font has those (« ǅ » → « Dž »), else « ? », never an empty box that a
 * reader could take for another letter.
 */
export function printable(text: string, font: Font): string {
  let out = '';
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (font.hasGlyphForCodePoint(cp) || char === '\n') {
      out += char;
      continue;
    }
    const base = char.normalize('NFKD').replace(/\p{M}/gu, '');
    let known = base !== '';
    for (const c of base) known &&= font.hasGlyphForCodePoint(c.codePointAt(0)!);
    out += known ? base : '?';
  }
  return out;
}

const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
const isoDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** « 3 décembre 2026 »: the day in France of an instant, whatever the machine's zone. */
export const frenchLongDate = (iso: string) => dateTimeFormat.format(new Date(iso));
export const frenchTime = (iso: string) => timeFormat.format(new Date(iso)).replace(':', ' h ');
/** The ISO day in France of an instant. */
export const parisDay = (iso: string) => isoDayFormat.format(new Date(iso));

const upper = (s: string) => s.toLocaleUpperCase('fr-FR');

function civility(sex: SignedContent['patient']['sex']): string {
  return sex === 'F' ? 'Mme' : sex === 'M' ? 'M.' : '';
}

/** « Mme Claire MARTIN, née DURAND »: as the pharmacist reads it against the patient's card. */
export function patientLine(p: SignedContent['patient']): string {
  const used = p.usedName !== '' && p.usedName.toLocaleLowerCase('fr-FR') !== p.birthName.toLocaleLowerCase('fr-FR');
  const name = `${p.firstNames} ${upper(used ? p.usedName : p.birthName)}`;
  return [civility(p.sex), name].filter((s) => s !== '').join(' ') + (used ? `, ${bornWord(p.sex)} ${upper(p.birthName)}` : '');
}

const SEX_WORDS: Record<SignedContent['patient']['sex'], string> = { F: 'féminin', M: 'masculin', I: 'indéterminé' };

/** A child's weight is printed (DOMAIN §2): under 18 on the day of the prescription. */
function isChild(birthDate: string, day: string): boolean {
  const [by = 0, bm = 0, bd = 0] = birthDate.split('-').map(Number);
  const [y = 0, m = 0, d = 0] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0) < 18;
}

const weightText = (kg: number) => `${String(Math.round(kg * 10) / 10).replace('.', ',')} kg`;

interface LineItem {
  number: number;
  text: string;
  notes: string;
}

/** Under the prescriber's name: specialty, identifiers, practice, address, how to reach them. */
export function prescriberLines(dr: SignedContent['prescriber']): string[] {
  return [
    dr.specialty,
    `RPPS ${dr.rpps} · N° Assurance Maladie ${dr.amNumber}`,
    ...(dr.practiceName === '' ? [] : [dr.practiceName]),
    dr.address,
    `${dr.postalCode} ${dr.city}`,
    `Tél. ${dr.phone} · ${dr.email}`,
  ];
}

/** Under a line: « Stupéfiant » and its other flags (accident du travail, prévention…). */
export function lineNotes(l: SignedContent['lines'][number]): string {
  const notes: string[] = [];
  if (l.drug?.flags.narcotic === true) notes.push('Stupéfiant');
  for (const name of lineFlagNames) if (l.line.flags[name]) notes.push(lineFlagLabels[name]);
  return notes.join(' · ');
}

type Item = { kind: 'heading'; text: string } | { kind: 'line'; line: LineItem };

/** The lines in the order printed: the ALD ones under the upper heading first when there is one. */
function itemsOf(content: SignedContent): { items: Item[]; bizone: boolean } {
  const lines = content.lines.map((l, index) => {
    return { ald: l.line.ald, item: { number: index + 1, text: typeset(l.rendered), notes: lineNotes(l) } };
  });
  const bizone = lines.some((l) => l.ald);
  if (!bizone) return { items: lines.map((l) => ({ kind: 'line', line: l.item })), bizone };
  const items: Item[] = [{ kind: 'heading', text: ALD_ZONE_HEADING }];
  for (const l of lines) if (l.ald) items.push({ kind: 'line', line: l.item });
  items.push({ kind: 'heading', text: OTHER_ZONE_HEADING });
  for (const l of lines) if (!l.ald) items.push({ kind: 'line', line: l.item });
  return { items, bizone };
}

/**
 * The QR code's dark modules as rectangles of horizontal runs, in module units under one
 * transform: one content string of small integers (vector: sharp at any resolution), made once
 * per payload (a prescription prints on every page, and again when reprinted).
 */
const qrPath = memoized((payload: string): { cells: number; path: string } => {
  const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const runs: string[] = [];
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && qr.modules.get(row, col)) col++;
      runs.push(`${quiet + start} ${quiet + row} ${col - start} 1 re`);
    }
  }
  return { cells: n + 2 * quiet, path: `${runs.join('\n')}\nf` };
});

function drawQr(doc: PDFKit.PDFDocument, payload: string, x: number, y: number, size: number): void {
  const { cells, path } = qrPath(payload);
  doc.save().rect(x, y, size, size).fill('#ffffff');
  doc.fillColor('#000000');
  doc.transform(size / cells, 0, 0, size / cells, x, y);
  doc.addContent(path);
  doc.restore();
}

export function renderPrescriptionPdf(rx: PrintablePrescription, fonts: PdfFonts): Promise<Buffer> {
  const { content } = rx;
  const { prescriber: dr, patient } = content;
  const signedAt = new Date(rx.signedAt);
  const day = parisDay(rx.signedAt);
  const doctorName = `Dr ${dr.firstName} ${upper(dr.lastName)}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    bufferPages: true,
    // pdfkit takes a parsed font here too (its types say a name): no AFM file is ever read.
    font: fonts.regular as unknown as string,
    lang: 'fr-FR',
    info: {
      Title: `Ordonnance ${rx.rxId}`,
      Author: doctorName,
      Subject: 'Ordonnance',
      Creator: 'Ordo',
      Producer: 'Ordo',
      CreationDate: signedAt,
      ModDate: signedAt,
    },
  });
  doc.registerFont('regular', fonts.regular as unknown as string);
  doc.registerFont('bold', fonts.bold as unknown as string);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const text = (value: string, x: number, y: number, options: PDFKit.Mixins.TextOptions & { font?: 'regular' | 'bold'; size?: number; color?: string } = {}) => {
    const { font = 'regular', size = 10, color = '#000000', ...rest } = options;
    doc.font(font).fontSize(size).fillColor(color).text(printable(typeset(value), fonts[font]), x, y, { lineBreak: true, ...rest });
    return doc.y;
  };

  /** The first page's head: prescriber left, place and date right, then the patient. */
  function firstHead(): number {
    let y = MARGIN;
    y = text(doctorName, MARGIN, y, { font: 'bold', size: 13, width: CONTENT_WIDTH * 0.6 });
    for (const l of prescriberLines(dr)) y = text(l, MARGIN, y + 1, { size: 9.5, width: CONTENT_WIDTH * 0.6 });
    text(`${dr.city}, le ${frenchLongDate(rx.signedAt)}`, MARGIN + CONTENT_WIDTH * 0.6, MARGIN + 2, { width: CONTENT_WIDTH * 0.4, align: 'right', size: 10 });
    y += mm(6);
    doc.moveTo(MARGIN, y).lineTo(MARGIN + CONTENT_WIDTH, y).lineWidth(0.5).strokeColor(GREY).stroke();
    y += mm(3);
    y = text(patientLine(patient), MARGIN, y, { font: 'bold', size: 11.5, width: CONTENT_WIDTH });
    const facts = [`Sexe : ${SEX_WORDS[patient.sex]}`, `${bornWord(patient.sex) === 'née' ? 'Née' : bornWord(patient.sex) === 'né' ? 'Né' : 'Né(e)'} le ${formatDate(patient.birthDate)} (${ageText(patient.birthDate, day)})`];
    if (patient.weight !== null && isChild(patient.birthDate, day)) facts.push(`Poids : ${weightText(patient.weight.value)} (le ${formatDate(patient.weight.measuredOn)})`);
    y = text(facts.join(' · '), MARGIN, y + 2, { size: 10, width: CONTENT_WIDTH });
    return y + mm(6);
  }

  /** A later page's head: who, for whom, which prescription. */
  function laterHead(): number {
    let y = MARGIN;
    y = text(`${doctorName} · RPPS ${dr.rpps}`, MARGIN, y, { font: 'bold', size: 10, width: CONTENT_WIDTH });
    y = text(`${patientLine(patient)} · ordonnance n° ${rx.rxId} du ${formatDate(day)} (suite)`, MARGIN, y + 1, { size: 9.5, width: CONTENT_WIDTH });
    return y + mm(5);
  }

  const NUMBER_WIDTH = mm(7);
  const lineWidth = CONTENT_WIDTH - NUMBER_WIDTH;
  function heightOf(item: Item): number {
    if (item.kind === 'heading') return doc.font('bold').fontSize(9.5).heightOfString(printable(typeset(item.text), fonts.bold), { width: CONTENT_WIDTH - mm(4) }) + mm(6);
    const main = doc.font('regular').fontSize(11).heightOfString(printable(item.line.text, fonts.regular), { width: lineWidth });
    const notes = item.line.notes === '' ? 0 : doc.font('regular').fontSize(8.5).heightOfString(printable(item.line.notes, fonts.regular), { width: lineWidth }) + 1;
    return main + notes + mm(4);
  }
  function drawItem(item: Item, y: number): number {
    if (item.kind === 'heading') {
      const h = heightOf(item) - mm(3);
      doc.save().rect(MARGIN, y, CONTENT_WIDTH, h).fillAndStroke('#f2f2f2', GREY).restore();
      text(item.text, MARGIN + mm(2), y + mm(1.5), { font: 'bold', size: 9.5, width: CONTENT_WIDTH - mm(4) });
      return y + h + mm(3);
    }
    text(`${item.line.number}.`, MARGIN, y, { font: 'bold', size: 11, width: NUMBER_WIDTH });
    let bottom = text(item.line.text, MARGIN + NUMBER_WIDTH, y, { size: 11, width: lineWidth });
    if (item.line.notes !== '') bottom = text(item.line.notes, MARGIN + NUMBER_WIDTH, bottom + 1, { size: 8.5, color: GREY, width: lineWidth });
    return bottom + mm(4);
  }

  const { items } = itemsOf(content);
  const narcotics = content.lines.some((l) => l.drug?.flags.narcotic === true);
  const limit = FOOTER_TOP - mm(4);
  doc.addPage({ size: 'A4', margin: 0 });
  let y = firstHead();
  items.forEach((item, index) => {
    const last = index === items.length - 1;
    // A heading never ends a page alone; the last line keeps the signature under it.
    const next = items[index + 1];
    const need = heightOf(item) + (last ? SIGNATURE_HEIGHT : 0) + (item.kind === 'heading' && next !== undefined ? heightOf(next) : 0);
    if (y + need > limit && y > MARGIN + mm(30)) {
      doc.addPage({ size: 'A4', margin: 0 });
      y = laterHead();
    }
    y = drawItem(item, y);
  });

  // The signature area, right under the last line.
  const count = content.lines.length;
  const countText = narcotics ? `Nombre de médicaments prescrits : ${integerWords(count, { feminine: false })} (${count}).` : '';
  if (countText !== '') y = text(countText, MARGIN, y, { font: 'bold', size: 10, width: CONTENT_WIDTH * 0.5 }) + mm(2);
  const boxX = MARGIN + CONTENT_WIDTH * 0.5;
  const boxWidth = CONTENT_WIDTH * 0.5;
  doc.save().roundedRect(boxX, y, boxWidth, SIGNATURE_HEIGHT - mm(4), 3).lineWidth(0.5).strokeColor(GREY).stroke().restore();
  text('Signature du prescripteur', boxX + mm(2), y + mm(1.5), { size: 8.5, color: GREY, width: boxWidth - mm(4) });
  text(doctorName, boxX + mm(2), y + mm(6), { font: 'bold', size: 10, width: boxWidth - mm(4) });
  text(`Signée électroniquement le ${formatDate(day)} à ${frenchTime(rx.signedAt)} (clé ${rx.keyId})`, boxX + mm(2), y + mm(11), { size: 8.5, width: boxWidth - mm(4) });

  // Every page: the QR code bottom-left with the id under it, the mentions, the page number.
  const range = doc.bufferedPageRange();
  const mentions = [E_PRESCRIPTION_MENTION, `Vérifiable hors ligne avec la clé publique ${rx.keyId} du prescripteur.`];
  if (patient.dispensingObjection) mentions.push(DISPENSING_OBJECTION_MENTION);
  if (patient.dmpObjection === true) mentions.push(DMP_OBJECTION_MENTION);
  if (narcotics) mentions.push('Ordonnance comportant un stupéfiant : à présenter au pharmacien dans les trois jours.');
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const qrY = FOOTER_TOP;
    drawQr(doc, rx.qrPayload, MARGIN - mm(2), qrY, QR_SIZE);
    // The id in clear, centred under the code, on one line (a little wider than the code).
    text(rx.rxId, MARGIN - mm(5), qrY + QR_SIZE + mm(0.5), { font: 'bold', size: 7.5, width: QR_SIZE + mm(6), align: 'center', lineBreak: false });
    const mx = MARGIN + QR_SIZE + mm(3);
    let my = qrY + mm(3);
    my = text(`Ordonnance n° ${rx.rxId}`, mx, my, { font: 'bold', size: 9, width: PAGE.width - MARGIN - mx });
    for (const m of mentions) my = text(m, mx, my + 2, { size: 8, color: GREY, width: PAGE.width - MARGIN - mx });
    text(`page ${i + 1}/${range.count}`, MARGIN, PAGE.height - MARGIN - mm(1), { size: 8, width: CONTENT_WIDTH, align: 'right', lineBreak: false });
  }
  doc.end();
  return done;
}
