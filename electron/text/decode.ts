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
