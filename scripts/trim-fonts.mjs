/**
 * Makes assets/fonts/: the two TTFs the prescription PDF embeds, trimmed once to the scripts a
 * patient's or a drug's name can be written in (Latin with its extensions, Greek, Cyrillic) and
 * French typography: ~180 KB instead of ~400 KB each. pdfkit walks the font's tables to subset it
 * for every document, and the trimmed files halve that (measured: 12 ms a page instead of 22 ms;
 * ../shared/TOOLCHAIN.md, "PDF and fonts").
 *
 * Source: Liberation Sans 2 (Debian `fonts-liberation2`, SIL OFL 1.1). The OFL reserves the name
 * "Liberation" for the unmodified fonts, so the trimmed files are named "Ordo Sans".
 * Run by hand when the character set changes: `node scripts/trim-fonts.mjs`; the output is committed.
 */
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import subsetFont from 'subset-font';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.env.LIBERATION_DIR ?? '/usr/share/fonts/truetype/liberation2';

/** What a prescription can print: the characters of the contract's texts, and the typography of the French texts. */
function characters() {
  const ranges = [
    [0x20, 0x7e], // ASCII
    [0xa0, 0xff], // Latin-1 (« », nbsp, é, °, ×, µ…)
    [0x100, 0x24f], // Latin Extended-A and B (œ, Œ, and the names of patients born elsewhere)
    [0x300, 0x36f], // combining diacritics
    [0x370, 0x3ff], // Greek (µ as a unit, and Greek names)
    [0x400, 0x4ff], // Cyrillic
    [0x1e00, 0x1eff], // Latin Extended Additional (Vietnamese names, among others)
    [0x2010, 0x2027], // dashes, quotes ‘ ’ “ ”, bullet, ellipsis
    [0x2030, 0x203a], // ‰, ‹ ›
  ];
  const extra = [0x2009, 0x202f, 0x20ac, 0x2122, 0x2190, 0x2192, 0x2212, 0x2264, 0x2265, 0x0152, 0x0153, 0x0178, 0x02c6, 0x02dc];
  let text = '';
  for (const [from, to] of ranges) for (let c = from; c <= to; c += 1) text += String.fromCodePoint(c);
  for (const c of extra) text += String.fromCodePoint(c);
  return text;
}

const text = characters();
for (const [from, to] of [
  ['LiberationSans-Regular.ttf', 'OrdoSans-Regular.ttf'],
  ['LiberationSans-Bold.ttf', 'OrdoSans-Bold.ttf'],
]) {
  const trimmed = await subsetFont(readFileSync(join(source, from)), text, { targetFormat: 'truetype' });
  writeFileSync(join(root, 'assets', 'fonts', to), trimmed);
  console.log(`${to}: ${trimmed.length} bytes`);
}
copyFileSync('/usr/share/doc/fonts-liberation2/copyright', join(root, 'assets', 'fonts', 'LICENSE-Liberation.txt'));
