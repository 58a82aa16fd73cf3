/**
 * The paper copy of a signed prescription: its PDF, made from what was signed (the content
 * snapshot, never today's record), a copy kept in the data folder (`prints/<id>.pdf`), and the
 * OS print dialog where the app has one (Electron; the browser downloads the file instead).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrdoError } from '../../shared/errors';
import type { Db } from '../db/types';
import { createLogger } from '../log';
import { pdfFonts } from '../pdf/fonts';
import { renderPrescriptionPdf, type PrintablePrescription } from '../pdf/prescription-pdf';
import type { SignedContent } from '../signing/content';
import { PRESCRIPTION_NOT_FOUND, readPrescriptionRow, readSignature } from './repository';

/** Shows the OS print dialog on a PDF file; false when the GP closed it without printing. */
export type Printer = (file: string) => Promise<boolean>;

export interface PrintServiceOptions {
  db: Db;
  dataDir: string;
  /** The app's print dialog; absent in the host and the CLI. */
  printer?: Printer;
}

export const PRINTS_DIR = 'prints';

const log = createLogger('print');

export function createPrintService(options: PrintServiceOptions) {
  const { db } = options;

  function printable(id: number): PrintablePrescription {
    const row = readPrescriptionRow(db, id);
    if (row === null) throw new OrdoError('NOT_FOUND', PRESCRIPTION_NOT_FOUND);
    if (row.state === 'draft') throw new OrdoError('CONFLICT', 'Cette ordonnance n’est pas encore signée : signez-la pour l’imprimer.');
    if (row.state === 'cancelled') throw new OrdoError('CONFLICT', 'Cette ordonnance est annulée : elle ne s’imprime plus. Renouvelez-la pour en écrire une nouvelle.');
    const signature = readSignature(db, id);
    if (signature === null) throw new OrdoError('INTERNAL', 'La signature de cette ordonnance est introuvable : ouvrez Réglages → Diagnostic.');
    return { content: JSON.parse(signature.content) as SignedContent, rxId: signature.rxId, signedAt: signature.signedAt, keyId: signature.keyId, qrPayload: signature.qrPayload };
  }

  async function pdf(id: number): Promise<{ rxId: string; fileName: string; bytes: Buffer }> {
    const rx = printable(id);
    const bytes = await renderPrescriptionPdf(rx, pdfFonts());
    return { rxId: rx.rxId, fileName: `ordonnance-${rx.rxId}.pdf`, bytes };
  }

  return {
    pdf,
    /** The PDF, its copy kept in `prints/`, and the print dialog when the app has one. */
    async print(id: number): Promise<{ rxId: string; fileName: string; contentBase64: string; savedAs: string; printed: boolean }> {
      const made = await pdf(id);
      const dir = join(options.dataDir, PRINTS_DIR);
      mkdirSync(dir, { recursive: true });
      const savedAs = join(dir, made.fileName);
      // Not fsynced: the copy is derived, the signed content in the database makes the same bytes again.
      writeFileSync(savedAs, made.bytes, { mode: 0o600 });
      let printed = false;
      try {
        printed = options.printer === undefined ? false : await options.printer(savedAs);
      } catch (error) {
        // No dialog (no printer set up, a closed window): the window saves the PDF instead.
        log.warn('print dialog failed', { error: error instanceof Error ? error.message : String(error) });
      }
      return { rxId: made.rxId, fileName: made.fileName, contentBase64: made.bytes.toString('base64'), savedAs, printed };
    },
  };
}
