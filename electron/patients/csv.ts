/**
 * Reading a CSV exported by another practice software: UTF-8, Windows-1252 (what Excel and most
 * French software write), ISO-8859-15, MacRoman or DOS (CP850), or UTF-16 with its BOM (Excel's
 * "Texte Unicode", tab-separated); `;` `,` or tab, quoted fields. The encoding is decided per
 * file on evidence, never guessed (docs/patients-import.md, « Encodage »): a file that cannot be
 * read is an IMPORT_FAILED with the French reason, naming the line and the bytes; nothing is
 * written by then.
 */
import { parse } from 'csv-parse/sync';
import { frenchCount, frenchNumber } from '../../shared/domain/numbers';
import { OrdoError } from '../../shared/errors';
import { createDecoder, decodeSingleByte, linesAt, scanUtf8, singleByteEncodings, type SingleByteEncoding, type Utf8Scan } from '../text/decode';
import { bestReading, findDoubleEncoding, guessBytes, judgeReading } from '../text/french-evidence';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | SingleByteEncoding;
export type CsvSeparator = ';' | ',' | '\t';

export interface CsvRow {
  /** Line of the file where the row ends (1 = header). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  encoding: CsvEncoding;
  separator: CsvSeparator;
  header: string[];
  rows: CsvRow[];
}

const fail = (message: string) => new OrdoError('IMPORT_FAILED', message);

const BINARY = 'Ce fichier n’est pas un fichier texte CSV (il contient des données binaires).';
const NOTHING_ADDED = 'Aucun patient n’a été ajouté.';
const EXPORT_UTF8 =
  'Réenregistrez-le en UTF-8 : dans Excel, « Fichier › Enregistrer sous », type « CSV UTF-8 (délimité par des virgules) » ; ' +
  'dans LibreOffice Calc, « Fichier › Enregistrer sous », type « Texte CSV (.csv) », cochez « Éditer les paramètres du filtre » ' +
  'puis choisissez le jeu de caractères « Unicode (UTF-8) ».';

/** How a report and a message name an encoding. */
export const encodingNames: Record<CsvEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16',
  'windows-1252': 'Windows-1252',
  'iso-8859-15': 'ISO-8859-15',
  macintosh: 'MacRoman',
  cp850: 'DOS (CP850)',
};

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');

/** « 7 », « 7 et 12 », « 7, 12, 30 et 41 ». */
function listOf(numbers: readonly number[]): string {
  const words = numbers.map((n) => frenchNumber(n));
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} et ${words.at(-1)!}`;
}

/** « (même problème aux lignes 7 et 12) » for the other lines where the same problem is (5 named at most). */
function sameAt(first: number, lines: readonly number[]): string {
  const others = [...new Set(lines)].filter((l) => l !== first);
  if (others.length === 0) return '';
  const named = others.slice(0, 5);
  const where = named.length === 1 ? `à la ligne ${frenchNumber(named[0]!)}` : `aux lignes ${listOf(named)}`;
  return ` (même problème ${where}${others.length > named.length ? ', entre autres' : ''})`;
}

/** The refusal of a UTF-8 file with bytes that are not UTF-8: the first ones, their line, what they probably are. */
function strayBytesMessage(bytes: Uint8Array, scan: Utf8Scan, bom: boolean): string {
  const first = scan.strays[0]!;
  const lines = linesAt((i) => bytes[i] ?? -1, scan.strays.map((s) => s.offset));
  const shown = bytes.subarray(first.offset, first.offset + Math.min(first.length, 4));
  const plural = first.length > 1;
  const guess = first.truncated ? null : guessBytes(bytes, first.offset, Math.min(first.length, 4), singleByteEncodings);
  const what = first.truncated
    ? `${plural ? 'les octets' : 'l’octet'} ${hex(shown)} ${plural ? 'sont' : 'est'} un caractère UTF-8 coupé`
    : `${plural ? 'les octets' : 'l’octet'} ${hex(shown)}${first.length > 4 ? '…' : ''} ${plural ? 'ne sont' : 'n’est'} pas de l’UTF-8` +
      (guess !== null ? ` (sans doute « ${guess.text} » écrit en ${encodingNames[guess.encoding]})` : '');
  const count = scan.strayBytes > first.length ? ` En tout, ${frenchCount(scan.strayBytes, 'octet n’est', 'octets ne sont')} pas de l’UTF-8${sameAt(lines[0]!, lines)}.` : '';
  const start = bom
    ? `Le fichier annonce l’encodage UTF-8 mais ne l’est pas partout : à la ligne ${frenchNumber(lines[0]!)}, ${what}.`
    : `Le fichier est en UTF-8 sauf à la ligne ${frenchNumber(lines[0]!)} : ${what}.`;
  return `${start}${count} Ordo ne lit pas un fichier qui mélange deux encodages : corrigez ${scan.strayBytes === first.length && (first.truncated || first.length === 1) ? 'ce caractère' : 'ces caractères'} ou réenregistrez tout le fichier en UTF-8, puis relancez l’import. ${NOTHING_ADDED}`;
}

/** A Unicode text that was converted to UTF-8 twice is refused: its names would be stored as « HÃ©lÃ¨ne ». */
function refuseDoubleEncoding(text: string): void {
  const found = findDoubleEncoding(text);
  if (found === null) return;
  const lines = linesAt((i) => text.charCodeAt(i), [found.index, ...found.others]);
  throw fail(
    `Le texte du fichier a été converti deux fois en UTF-8 : à la ligne ${frenchNumber(lines[0]!)}, « ${found.seen} » est sans doute un « ${found.meant} » abîmé${sameAt(lines[0]!, lines)}. ` +
      `Exportez de nouveau le fichier depuis le logiciel d’origine, sans le convertir, puis relancez l’import. ${NOTHING_ADDED}`,
  );
}

/** The UTF-16 byte order its BOM announces, if it starts with one. */
function utf16Bom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The encoding, decided on evidence (docs/patients-import.md, « Encodage »):
 * 1. a UTF-16 BOM decides UTF-16 (its text is full of zero bytes, so it is told from binary only
 *    by its BOM); a UTF-8 BOM decides UTF-8, and a byte that is not UTF-8 is then refused;
 * 2. a file that is valid UTF-8 is UTF-8 (one-byte text with accents almost never is);
 * 3. otherwise the one-byte code pages that read it as French text (french-evidence.ts), the
 *    best of them;
 * 4. when none does: a file mostly made of valid UTF-8 is refused naming its first stray bytes
 *    and their line; anything else is refused as an encoding Ordo does not recognise.
 * Unicode text that was converted twice (« Ã© ») is refused with its line. The BOM is not part
 * of the text.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const utf16 = utf16Bom(bytes);
  if (utf16 !== null) {
    if (bytes.length % 2 !== 0) throw fail('Le fichier annonce l’encodage UTF-16 mais sa longueur est impaire : il est tronqué ou abîmé.');
    const decoder = createDecoder(utf16);
    const text = (decoder.write(bytes) + decoder.end()).replace(/^\uFEFF/, '');
    if (text.includes('\0')) throw fail(BINARY);
    refuseDoubleEncoding(text);
    return { text, encoding: utf16 };
  }
  if (bytes.includes(0)) throw fail(BINARY);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const scan = scanUtf8(bytes);
  if (scan.strayBytes === 0) {
    const text = strictUtf8.decode(bytes);
    refuseDoubleEncoding(text);
    return { text, encoding: 'utf-8' };
  }
  if (bom) throw fail(strayBytesMessage(bytes, scan, true));
  const readings = singleByteEncodings.map((e) => judgeReading(bytes, e));
  const best = bestReading(readings);
  if (best !== null) return { text: decodeSingleByte(bytes, best.encoding), encoding: best.encoding };
  if (scan.sequences >= scan.strayBytes) throw fail(strayBytesMessage(bytes, scan, false));
  const doubt = readings[0]!.firstDoubt >= 0 ? readings[0]!.firstDoubt : (scan.strays[0]?.offset ?? 0);
  const [line] = linesAt((i) => bytes[i] ?? -1, [doubt]);
  throw fail(
    `L’encodage du fichier n’a pas pu être reconnu : ce n’est ni de l’UTF-8, ni un texte français en Windows-1252, ISO-8859-15, MacRoman ou DOS (CP850) ` +
      `(premier caractère en cause à la ligne ${frenchNumber(line!)}, ${hex(bytes.subarray(doubt, doubt + 1))}). ` +
      `Ordo ne devine pas l’encodage, pour ne pas enregistrer de noms abîmés. ${EXPORT_UTF8} Relancez ensuite l’import. ${NOTHING_ADDED}`,
  );
}

/** The separator that splits the header row the most, quotes aside. */
export function detectSeparator(text: string): CsvSeparator {
  const counts: Record<CsvSeparator, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch] += 1;
  }
  const best = (Object.keys(counts) as CsvSeparator[]).reduce((a, b) => (counts[b] > counts[a] ? b : a), ';');
  return best;
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

function describeParseError(error: unknown): string {
  const where = error instanceof Error && 'lines' in error && typeof error.lines === 'number' ? ` (vers la ligne ${error.lines})` : '';
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'CSV_QUOTE_NOT_CLOSED') return `Le fichier CSV est mal formé${where} : un guillemet ouvert n’est jamais refermé.`;
  if (code === 'CSV_INVALID_CLOSING_QUOTE') return `Le fichier CSV est mal formé${where} : un guillemet est mal placé dans un champ.`;
  return `Le fichier CSV est mal formé${where} : il n’a pas pu être lu.`;
}

export function readCsv(bytes: Uint8Array): CsvTable {
  if (bytes.length === 0) throw fail('Le fichier est vide.');
  const { text, encoding } = decodeText(bytes);
  const separator = detectSeparator(text);
  let records: ParsedRecord[];
  try {
    records = parse(text, {
      delimiter: separator,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    throw fail(describeParseError(error));
  }
  const [head, ...body] = records;
  if (head === undefined) throw fail('Le fichier ne contient aucune ligne.');
  return {
    encoding,
    separator,
    header: head.record.map((h) => h.trim()),
    rows: body.map((r) => ({ line: r.info.lines, cells: r.record.map((c) => c.trim()) })),
  };
}
