/**
 * Reading a CSV exported by another practice software: UTF-8 or Windows-1252 (what Excel and
 * most French software write), or UTF-16 with its BOM (Excel's "Texte Unicode", tab-separated);
 * `;` `,` or tab, quoted fields. A file that cannot be read is an
 * IMPORT_FAILED with the French reason; nothing is written by then.
 */
import { parse } from 'csv-parse/sync';
import { OrdoError } from '../../shared/errors';
import { createDecoder, decodeWindows1252 } from '../text/decode';

export type CsvEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';
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

/** The UTF-16 byte order its BOM announces, if it starts with one. */
function utf16Bom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * A UTF-16 BOM decides UTF-16 (its text is full of zero bytes, so it is told from binary only by
 * its BOM). Otherwise valid UTF-8 is taken as UTF-8 (a Windows-1252 file with accents is almost
 * never valid UTF-8), and anything else as Windows-1252. The BOM is not part of the text.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const utf16 = utf16Bom(bytes);
  if (utf16 !== null) {
    if (bytes.length % 2 !== 0) throw fail('Le fichier annonce l’encodage UTF-16 mais sa longueur est impaire : il est tronqué ou abîmé.');
    const decoder = createDecoder(utf16);
    const text = (decoder.write(bytes) + decoder.end()).replace(/^\uFEFF/, '');
    if (text.includes('\0')) throw fail(BINARY);
    return { text, encoding: utf16 };
  }
  if (bytes.includes(0)) throw fail(BINARY);
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    if (hasBom) throw fail('Le fichier annonce l’encodage UTF-8 mais contient des caractères invalides.');
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
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
