/**
 * Writes BDPM-format files for tests, in the encodings real releases use: Windows-1252 (with the
 * curly apostrophe and œ that ISO-8859-1 lacks) or UTF-8, CRLF or LF line ends.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CP1252_HIGH: Record<string, number> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c,
  'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b,
  'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
};

export function encodeCp1252(text: string): Buffer {
  const out = Buffer.alloc(text.length);
  let n = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    out[n++] = CP1252_HIGH[char] ?? (code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : 0x3f);
  }
  return out.subarray(0, n);
}

export interface WriteOptions {
  encoding?: 'windows-1252' | 'utf-8';
  eol?: '\r\n' | '\n';
  /** false: the last line has no line end, as in a file cut short (default true). */
  finalEol?: boolean;
}

/** Writes `lines` (already tab-joined) as one BDPM file. */
export function writeBdpmFile(dir: string, name: string, lines: readonly string[], options: WriteOptions = {}): string {
  const eol = options.eol ?? '\r\n';
  let text = lines.map((l) => `${l}${eol}`).join('');
  if (options.finalEol === false && text.endsWith(eol)) text = text.slice(0, -eol.length);
  const path = join(dir, name);
  writeFileSync(path, options.encoding === 'utf-8' ? Buffer.from(text, 'utf8') : encodeCp1252(text));
  return path;
}

/**
 * Cuts a file as an interrupted download or copy leaves it: its first `keep` bytes, or, with a
 * fraction, that part of it (0.5: the first half, most likely inside a record).
 */
export function cutFile(path: string, keep: number): void {
  const bytes = readFileSync(path);
  const size = keep < 1 ? Math.floor(bytes.length * keep) : keep;
  writeFileSync(path, bytes.subarray(0, size));
}

/** CIP13 "34009" + CIP7 + EAN-13 key, the structure of real pack codes. */
export function cip13Of(cip7: string): string {
  const body = `34009${cip7}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return `${body}${(10 - (sum % 10)) % 10}`;
}
