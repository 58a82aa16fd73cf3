/**
 * Reading a BDPM text file line by line without loading it: the encoding is detected per file
 * (real releases mix Windows-1252 and UTF-8), then the file is decoded chunk by chunk.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createDecoder, type TextEncoding } from '../text/decode';

export type { TextEncoding };

const CHUNK = 64 * 1024;

function bomEncoding(head: Uint8Array): { encoding: TextEncoding; bomLength: number } | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return undefined;
}

/**
 * UTF-8 when every byte sequence of the file is valid UTF-8 (a Windows-1252 accent almost never
 * is), Windows-1252 otherwise: ISO-8859-1 text decodes the same, and 1252 also has ’ œ €.
 * The whole file is checked, streaming, because the first accent may be far down.
 */
export async function detectEncoding(file: string): Promise<{ encoding: TextEncoding; bomLength: number }> {
  const checker = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
      const bytes = chunk as Buffer;
      if (first) {
        first = false;
        const bom = bomEncoding(bytes);
        if (bom !== undefined) return bom;
      }
      checker.decode(bytes, { stream: true });
    }
    checker.decode();
  } catch (error) {
    if (error instanceof TypeError) return { encoding: 'windows-1252', bomLength: 0 };
    throw error;
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

export interface Line {
  /** 1-based, counting blank lines, so a report points at the line an editor shows. */
  number: number;
  text: string;
}

export interface LineReader {
  encoding: TextEncoding;
  totalBytes: number;
  /** Bytes consumed so far, for progress. */
  bytesRead(): number;
  lines(): AsyncGenerator<Line>;
  /** Once every line was read: SHA-256 (hex) of the bytes read, its byte order mark included. */
  sha256(): string;
  /** Once every line was read: whether the last line had text and no line end (a file cut short). */
  endedMidLine(): boolean;
}

/** Opens a text file for streaming: encoding detected, CRLF or LF, a last line without newline. */
export async function openLines(file: string): Promise<LineReader> {
  const { encoding, bomLength } = await detectEncoding(file);
  const { size } = await stat(file);
  let consumed = 0;
  const hash = createHash('sha256');
  let digest: string | undefined;
  let cut = false;
  async function* lines(): AsyncGenerator<Line> {
    const decoder = createDecoder(encoding);
    let pending = '';
    let number = 0;
    // Read from the first byte so the hash is the file's; the byte order mark is not text.
    let skip = bomLength;
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
      const whole = chunk as Buffer;
      hash.update(whole);
      const bytes = skip > 0 ? whole.subarray(Math.min(skip, whole.length)) : whole;
      skip = Math.max(0, skip - whole.length);
      consumed += whole.length;
      pending += decoder.write(bytes);
      let start = 0;
      for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
        number += 1;
        yield { number, text: stripCr(pending.slice(start, end)) };
        start = end + 1;
      }
      pending = pending.slice(start);
    }
    pending += decoder.end();
    digest = hash.digest('hex');
    cut = pending.trim() !== '';
    if (pending !== '') {
      number += 1;
      yield { number, text: stripCr(pending) };
    }
  }
  const finished = <T>(value: () => T): T => {
    if (digest === undefined) throw new Error('the file was not read to its end');
    return value();
  };
  return { encoding, totalBytes: size, bytesRead: () => consumed, lines, sha256: () => finished(() => digest!), endedMidLine: () => finished(() => cut) };
}

const stripCr = (text: string) => (text.endsWith('\r') ? text.slice(0, -1) : text);
