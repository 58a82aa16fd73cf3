/**
 * Evidence for the encoding of a French text file, as rules a person can check by hand (the
 * rules are written out for GPs in docs/patients-import.md; change both together).
 *
 * A one-byte reading of a file is judged on its bytes 0x80–0xFF (ASCII reads the same in every
 * candidate), each with its neighbours:
 * - a byte the code page does not define, or a C1 control character, rules the reading out;
 * - so do three non-ASCII characters in a row (no French word has them; UTF-8 read as one-byte
 *   text always gives two or three: « Ã© », « â€™ »), and a symbol inside a word (« S½ur »,
 *   « Fran«ois ») — the apostrophe ’ and the dash – aside;
 * - otherwise each letter frequent in French names (é è à ç ô ï ë ü œ…) and each apostrophe
 *   inside a word counts for the reading, each other accented letter or symbol against it, and
 *   a capital right after a small letter twice against it (« ZoŽ », « HÈlËne »).
 */
import { scanUtf8, upperHalf, type SingleByteEncoding } from './decode';

const FRENCH_LETTERS = new Set('àâçéèêëîïôùûüÿœæÀÂÇÉÈÊËÎÏÔÙÛÜŸŒÆ');
/** Punctuation of French text that counts neither for nor against a reading. */
const USUAL_PUNCTUATION = new Set('’‘“”«»–—…°€·ªº\u00a0');
/** Inside a word: « l’eau », « Jean–Pierre » as some software writes it. */
const INSIDE_WORD = new Set('’–');

type Kind = 'impossible' | 'french' | 'letter' | 'punctuation' | 'symbol' | 'space';
interface CharInfo {
  kind: Kind;
  /** Case of a letter; null for anything else. */
  case: 'upper' | 'lower' | null;
}

function classify(ch: string): CharInfo {
  const code = ch.codePointAt(0) ?? 0;
  if (ch === '\ufffd' || (code >= 0x80 && code <= 0x9f)) return { kind: 'impossible', case: null };
  if (ch === '\u00a0') return { kind: 'space', case: null };
  // Modifier letters (ˆ ˜) and ª º are letters to Unicode, not in a name.
  const letter = /\p{L}/u.test(ch) && !/\p{Lm}/u.test(ch) && ch !== 'ª' && ch !== 'º';
  if (letter) {
    const kase = /\p{Lu}/u.test(ch) ? 'upper' : /\p{Ll}/u.test(ch) ? 'lower' : null;
    return { kind: FRENCH_LETTERS.has(ch) ? 'french' : 'letter', case: kase };
  }
  return { kind: USUAL_PUNCTUATION.has(ch) ? 'punctuation' : 'symbol', case: null };
}

const ASCII: readonly CharInfo[] = Array.from({ length: 128 }, (_, b) => {
  if (b >= 0x41 && b <= 0x5a) return { kind: 'letter', case: 'upper' };
  if (b >= 0x61 && b <= 0x7a) return { kind: 'letter', case: 'lower' };
  return { kind: 'punctuation', case: null };
});

const tables = new Map<SingleByteEncoding, readonly CharInfo[]>();
function tableOf(encoding: SingleByteEncoding): readonly CharInfo[] {
  let table = tables.get(encoding);
  if (table === undefined) {
    table = [...ASCII, ...upperHalf(encoding).map(classify)];
    tables.set(encoding, table);
  }
  return table;
}

export interface Reading {
  encoding: SingleByteEncoding;
  /** No rule rules it out. */
  plausible: boolean;
  /** For minus against. */
  score: number;
  /** Offset of the first byte that ruled it out or counted against it; -1 when none did. */
  firstDoubt: number;
}

/** How well the bytes read as French text in one code page. */
export function judgeReading(bytes: Uint8Array, encoding: SingleByteEncoding): Reading {
  const table = tableOf(encoding);
  const info = (i: number): CharInfo | undefined => (i < 0 || i >= bytes.length ? undefined : table[bytes[i]!]);
  const reading: Reading = { encoding, plausible: true, score: 0, firstDoubt: -1 };
  const against = (i: number, points: number) => {
    reading.score -= points;
    if (reading.firstDoubt < 0) reading.firstDoubt = i;
  };
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x80) {
      run = 0;
      continue;
    }
    const c = table[bytes[i]!]!;
    const prev = info(i - 1);
    const next = info(i + 1);
    if (c.kind === 'space') {
      run = 0;
      continue;
    }
    run += 1;
    if (c.kind === 'impossible' || run >= 3) {
      // The undefined byte itself, or where the run of non-ASCII characters starts.
      const at = c.kind === 'impossible' ? i : i - run + 1;
      reading.plausible = false;
      reading.firstDoubt = reading.firstDoubt < 0 ? at : Math.min(reading.firstDoubt, at);
      return reading;
    }
    if (c.case !== null) {
      if (c.kind === 'french') reading.score += 1;
      else against(i, 1);
      if (c.case === 'upper' && prev?.case === 'lower') against(i, 2);
      if (c.case === 'lower' && next?.case === 'upper' && bytes[i + 1]! < 0x80) against(i, 2);
      continue;
    }
    const inWord = prev?.case != null && next?.case != null;
    if (inWord && !INSIDE_WORD.has(upperHalf(encoding)[bytes[i]! - 0x80]!)) {
      reading.plausible = false;
      if (reading.firstDoubt < 0) reading.firstDoubt = i;
      return reading;
    }
    if (inWord && upperHalf(encoding)[bytes[i]! - 0x80] === '’') reading.score += 1;
    else if (c.kind === 'symbol') against(i, 1);
  }
  return reading;
}

/**
 * The reading to take: the plausible one with the best score, Windows-1252 first on a tie
 * (what Excel and most French software write). Another code page needs evidence for it (a
 * score above zero), Windows-1252 no evidence against it (a score of zero or more). Null when
 * no reading qualifies.
 */
export function bestReading(readings: readonly Reading[]): Reading | null {
  let best: Reading | null = null;
  for (const r of readings) if (r.plausible && (best === null || r.score > best.score)) best = r;
  if (best === null) return null;
  return best.score > 0 || (best.encoding === 'windows-1252' && best.score === 0) ? best : null;
}

/** What a few bytes foreign to a UTF-8 file most likely are: the code page reading them as French. */
export function guessBytes(bytes: Uint8Array, offset: number, length: number, encodings: readonly SingleByteEncoding[]): { text: string; encoding: SingleByteEncoding } | null {
  const from = Math.max(0, offset - 1);
  // The bytes with their ASCII neighbours only: the rest of the file is UTF-8.
  const around = Uint8Array.from(bytes.subarray(from, offset + length + 1), (b, i) => (b >= 0x80 && (from + i < offset || from + i >= offset + length) ? 0x20 : b));
  const best = bestReading(encodings.map((e) => judgeReading(around, e)));
  if (best === null) return null;
  const half = upperHalf(best.encoding);
  return { text: Array.from(bytes.subarray(offset, offset + length), (b) => half[b - 0x80]!).join(''), encoding: best.encoding };
}

/** A character worth finding double-encoded: a Latin letter or French punctuation. */
const MEANT = /^[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f’‘“”«»–—…€]$/u;

export interface DoubleEncoding {
  /** Index in the text of the first one. */
  index: number;
  /** As written in the file (« Ã© »). */
  seen: string;
  /** What it stood for (« é »). */
  meant: string;
  /** The code page the UTF-8 bytes were once read in. */
  through: SingleByteEncoding;
  /** Indexes of the first few others, ascending. */
  others: number[];
}

/** Per code page: the byte of each UTF-16 code unit that is in its upper half, 0 for the others. */
const byteMaps = new Map<SingleByteEncoding, Uint8Array>();
function byteMapOf(encoding: SingleByteEncoding): Uint8Array {
  let map = byteMaps.get(encoding);
  if (map === undefined) {
    map = new Uint8Array(0x10000);
    const half = upperHalf(encoding);
    half.forEach((ch, i) => {
      if (ch !== '\ufffd' && ch.length === 1) map![ch.charCodeAt(0)] = 0x80 + i;
    });
    byteMaps.set(encoding, map);
  }
  return map;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * UTF-8 text that was read once in a one-byte code page and saved again as UTF-8: « Hélène »
 * became « HÃ©lÃ¨ne ». Found as characters whose code-page bytes are valid UTF-8 for a Latin
 * letter or French punctuation: legitimate text never has « Ã© » or « â€™ ».
 */
export function findDoubleEncoding(text: string, encodings: readonly SingleByteEncoding[] = ['windows-1252', 'macintosh'], keep = 200): DoubleEncoding | null {
  let found: DoubleEncoding | null = null;
  const hits: number[] = [];
  const codes = new Uint8Array(4);
  const maps = encodings.map((encoding) => ({ encoding, map: byteMapOf(encoding) }));
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 0x80) continue;
    for (const { encoding, map } of maps) {
      const lead = map[text.charCodeAt(i)]!;
      const n = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
      if (n === 0 || i + n > text.length) continue;
      codes[0] = lead;
      let k = 1;
      for (; k < n; k++) {
        const b = map[text.charCodeAt(i + k)]!;
        if (b < 0x80 || b > 0xbf) break;
        codes[k] = b;
      }
      if (k < n || scanUtf8(codes.subarray(0, n)).strayBytes > 0) continue;
      const meant = strictUtf8.decode(codes.subarray(0, n));
      if (!MEANT.test(meant)) continue;
      found ??= { index: i, seen: text.slice(i, i + n), meant, through: encoding, others: [] };
      hits.push(i);
      i += n - 1;
      break;
    }
  }
  if (found === null) return null;
  const first = found.index;
  found.others = [...new Set(hits)].filter((i) => i !== first).sort((a, b) => a - b).slice(0, keep);
  return found;
}
