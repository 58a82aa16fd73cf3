/**
 * Reading the signed code back from a PDF (`ordo verify FILE.pdf`): each page rendered to PNG by
 * poppler's `pdftoppm` (150 dpi, then 300 when the first pass finds nothing), each image decoded by
 * jsQR. Any PDF of a prescription works, Ordo's or a scan, as long as its QR code is legible.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

export type QrRead = { codes: string[] } | { unreadable: string };

/** The text of the QR code in an RGBA image (dark on light, as printed), or none. */
export function qrCodesInImage(rgba: Uint8ClampedArray, width: number, height: number): string[] {
  const found = jsQR(rgba, width, height, { inversionAttempts: 'dontInvert' });
  return found === null ? [] : [found.data];
}

/** The QR texts of a PNG file's image. */
export function qrCodesInPng(bytes: Buffer): string[] {
  const png = PNG.sync.read(bytes);
  return qrCodesInImage(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 60_000 }, (error) => {
      if (error === null) resolve();
      // The code (ENOENT: no pdftoppm) says what to tell the GP.
      else reject(Object.assign(new Error(error.message), { code: error.code }));
    });
  });
}

/** Every page of `pdf` at `dpi`, as PNG files in a temporary folder (removed after `use`). */
async function pages<T>(pdf: string, dpi: number, use: (pngs: Buffer[]) => T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-qr-'));
  try {
    await run('pdftoppm', ['-r', String(dpi), '-png', pdf, join(dir, 'page')]);
    const files = readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
    return use(files.map((f) => readFileSync(join(dir, f))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The distinct QR texts found on the pages of a PDF file, or why none could be read. */
export async function qrCodesInPdf(pdf: string): Promise<QrRead> {
  for (const dpi of [150, 300]) {
    let codes: string[];
    try {
      codes = await pages(pdf, dpi, (pngs) => [...new Set(pngs.flatMap(qrCodesInPng))]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { unreadable: 'la lecture d’un PDF demande « pdftoppm » (paquet poppler-utils), introuvable sur cette machine' };
      return { unreadable: 'ce PDF ne peut pas être lu (fichier endommagé ?)' };
    }
    if (codes.length > 0) return { codes };
  }
  return { unreadable: 'aucun code QR lisible dans ce PDF' };
}
