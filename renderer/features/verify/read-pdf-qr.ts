/**
 * The signed code of a prescription PDF, read in the window: pdf.js renders each page (in its
 * worker) at 150 dpi, then 300 when nothing was found, and jsQR reads the code from the pixels,
 * the same two libraries' work as `ordo verify FILE.pdf` does with poppler.
 */
import jsQR from 'jsqr';
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

export type PdfQr = { code: string } | { unreadable: string };

async function codesAt(bytes: Uint8Array, dpi: number): Promise<string[]> {
  // pdf.js takes the buffer over: a copy for each pass.
  const pdf = await getDocument({ data: bytes.slice(), isEvalSupported: false, enableXfa: false }).promise;
  try {
    const codes: string[] = [];
    for (let n = 1; n <= Math.min(pdf.numPages, 20); n++) {
      const page = await pdf.getPage(n);
      const viewport = page.getViewport({ scale: dpi / 72 });
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(viewport.width);
      canvas.height = Math.ceil(viewport.height);
      const context = canvas.getContext('2d', { willReadFrequently: true });
      if (context === null) throw new Error('canvas');
      await page.render({ canvas, canvasContext: context, viewport, background: '#ffffff' }).promise;
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      if (found !== null) codes.push(found.data);
      page.cleanup();
    }
    return [...new Set(codes)];
  } finally {
    await pdf.destroy();
  }
}

export async function readPdfQr(bytes: Uint8Array, messages: { none: string; damaged: string; several: string }): Promise<PdfQr> {
  for (const dpi of [150, 300]) {
    let codes: string[];
    try {
      codes = await codesAt(bytes, dpi);
    } catch {
      return { unreadable: messages.damaged };
    }
    const ordo = codes.filter((c) => c.startsWith('ORDO1:'));
    if (ordo.length > 1) return { unreadable: messages.several };
    if (codes.length > 0) return { code: ordo[0] ?? codes[0]! };
  }
  return { unreadable: messages.none };
}
