import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLines } from '../../electron/drugs/lines';
import { createDecoder, decodeWindows1252 } from '../../electron/text/decode';
import { tempDir } from '../support/tmp';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('Windows-1252 decoding', () => {
  it('decodes the 0x80–0x9F range French files use (œ ’ € – Œ)', () => {
    // "sœur d’Hélène 5 € – Œ" as Excel writes it
    const bytes = Uint8Array.from([0x73, 0x9c, 0x75, 0x72, 0x20, 0x64, 0x92, 0x48, 0xe9, 0x6c, 0xe8, 0x6e, 0x65, 0x20, 0x35, 0x20, 0x80, 0x20, 0x96, 0x20, 0x8c]);
    expect(decodeWindows1252(bytes)).toBe('sœur d’Hélène 5 € – Œ');
  });

  it('keeps a UTF-8 character split across two chunks whole', () => {
    const decoder = createDecoder('utf-8');
    const bytes = Buffer.from('cœur', 'utf8');
    expect(decoder.write(bytes.subarray(0, 2)) + decoder.write(bytes.subarray(2)) + decoder.end()).toBe('cœur');
  });

  it('reads a Windows-1252 BDPM file line by line with its ligatures', async () => {
    const file = join(tmp.dir, 'CIS_bdpm.txt');
    writeFileSync(file, Buffer.from([...Buffer.from('60000001\tC'), 0x9c, ...Buffer.from('ur\t\r\n\n60000002\tl'), 0x92, 0x65, 0x61, 0x75, 0x0a]));
    const reader = await openLines(file);
    expect(reader.encoding).toBe('windows-1252');
    const lines: string[] = [];
    for await (const line of reader.lines()) lines.push(line.text);
    expect(lines).toEqual(['60000001\tCœur\t', '', '60000002\tl’eau']);
  });
});
