/**
 * Text decoding through iconv-lite. Node 20's TextDecoder('windows-1252') decodes as ISO-8859-1,
 * turning bytes 0x80–0x9F into control characters — the very bytes French files use for Œ/œ
 * (sœur, cœur), ’ (nom d’usage), €, – and —.
 */
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function decodeWindows1252(bytes: Uint8Array): string {
  return iconv.decode(asBuffer(bytes), 'windows-1252');
}

/** A streaming decoder: a character split across two chunks comes out whole. */
export function createDecoder(encoding: TextEncoding): { write(chunk: Uint8Array): string; end(): string } {
  const decoder = iconv.getDecoder(encoding, { stripBOM: false });
  return { write: (chunk) => decoder.write(asBuffer(chunk)), end: () => decoder.end() ?? '' };
}

/** The one-byte code pages a French file may come in, in the order a tie is settled. */
export const singleByteEncodings = ['windows-1252', 'iso-8859-15', 'macintosh', 'cp850'] as const;
export type SingleByteEncoding = (typeof singleByteEncodings)[number];

export function decodeSingleByte(bytes: Uint8Array, encoding: SingleByteEncoding): string {
  return iconv.decode(asBuffer(bytes), encoding);
}

const upperHalves = new Map<SingleByteEncoding, readonly string[]>();

/** What bytes 0x80–0xFF are in a code page (U+FFFD where it defines none). */
export function upperHalf(encoding: SingleByteEncoding): readonly string[] {
  let half = upperHalves.get(encoding);
  if (half === undefined) {
    half = Array.from(iconv.decode(Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i)), encoding));
    upperHalves.set(encoding, half);
  }
  return half;
}

/** Bytes that are not part of a valid UTF-8 sequence: one maximal invalid run. */
export interface Utf8Stray {
  offset: number;
  length: number;
  /** A UTF-8 character cut short (its first bytes are there, not the last ones). */
  truncated: boolean;
}

export interface Utf8Scan {
  /** Valid sequences of two to four bytes. */
  sequences: number;
  /** Invalid bytes in all. */
  strayBytes: number;
  /** The first invalid runs (consecutive invalid bytes together), in file order. */
  strays: Utf8Stray[];
}

const KEPT_STRAYS = 50;

/**
 * UTF-8 as the WHATWG decoder (and `TextDecoder` with `fatal`) reads it: no overlong forms, no
 * surrogates, nothing above U+10FFFF. Counts what is valid and where it is not.
 */
export function scanUtf8(bytes: Uint8Array): Utf8Scan {
  const scan: Utf8Scan = { sequences: 0, strayBytes: 0, strays: [] };
  const stray = (offset: number, length: number, truncated: boolean) => {
    scan.strayBytes += length;
    const last = scan.strays.at(-1);
    if (last !== undefined && last.offset + last.length === offset) {
      last.length += length;
      last.truncated ||= truncated;
    } else if (scan.strays.length < KEPT_STRAYS) scan.strays.push({ offset, length, truncated });
  };
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    }
    if (need === 0) {
      stray(i, 1, false);
      i += 1;
      continue;
    }
    let k = 1;
    while (k <= need) {
      const c = bytes[i + k];
      const lo = k === 1 ? lower : 0x80;
      const hi = k === 1 ? upper : 0xbf;
      if (c === undefined || c < lo || c > hi) break;
      k += 1;
    }
    if (k > need) scan.sequences += 1;
    else stray(i, k, k >= 2);
    i += k;
  }
  return scan;
}

/**
 * The 1-based line of each offset (sorted ascending) in text whose code units `at` gives: LF,
 * CRLF and a lone CR each end a line, as the CSV reader counts them.
 */
export function linesAt(at: (i: number) => number, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let i = 0;
  for (const offset of offsets) {
    for (; i < offset; i++) {
      const c = at(i);
      if (c === 0x0a || (c === 0x0d && at(i + 1) !== 0x0a)) line += 1;
    }
    lines.push(line);
  }
  return lines;
}
