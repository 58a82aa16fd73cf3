/**
 * The fonts the prescription PDF embeds: assets/fonts/OrdoSans-*.ttf, Liberation Sans trimmed to
 * the characters Ordo prints (scripts/trim-fonts.mjs). Read and parsed once per process (fontkit,
 * the parser pdfkit itself uses): pdfkit takes the parsed fonts, and each document only subsets
 * them, instead of parsing both files anew.
 */
import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';
import { join } from 'node:path';
import { OrdoError } from '../../shared/errors';
import { assetDir } from '../assets';

export interface PdfFonts {
  regular: Font;
  bold: Font;
}

let cached: PdfFonts | undefined;

export function pdfFonts(): PdfFonts {
  if (cached !== undefined) return cached;
  const dir = assetDir('fonts', 'OrdoSans-Regular.ttf');
  if (dir === undefined) throw new OrdoError('INTERNAL', 'Les polices de l’ordonnance (assets/fonts) sont introuvables : réinstallez Ordo.');
  cached = { regular: create(readFileSync(join(dir, 'OrdoSans-Regular.ttf'))), bold: create(readFileSync(join(dir, 'OrdoSans-Bold.ttf'))) };
  return cached;
}
