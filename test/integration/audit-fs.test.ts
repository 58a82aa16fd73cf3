/**
 * The audit key and anchor on file systems that fail in ways a test folder does not: no hard
 * links (FAT, exFAT, some network shares), and a temporary file removed by another process
 * between the listing and its stat. `node:fs` is wrapped so that one call fails as they do.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { appendAudit } from '../../electron/audit/audit';
import { diagnoseDataDir } from '../../electron/app';
import { openDatabase } from '../../electron/db/open';
import { writeTransaction } from '../../electron/db/transaction';
import { tempDir } from '../support/tmp';

const failing = vi.hoisted(() => ({ link: false, statOf: '' }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const errno = (code: string, path: string) => Object.assign(new Error(`${code}: ${path}`), { code, path });
  return {
    ...real,
    linkSync: (existing: fs.PathLike, target: fs.PathLike) => {
      if (failing.link) throw errno('EPERM', String(target));
      real.linkSync(existing, target);
    },
    statSync: ((path: fs.PathLike, options?: fs.StatSyncOptions) => {
      if (failing.statOf !== '' && String(path) === failing.statOf) throw errno('ENOENT', String(path));
      return real.statSync(path, options);
    }) as typeof real.statSync,
  };
});

const tmp = tempDir();
afterAll(() => tmp.remove());
afterEach(() => {
  failing.link = false;
  failing.statOf = '';
});
const at = new Date('2026-11-25T10:00:00Z');
let dirs = 0;
const freshDir = () => {
  const dir = join(tmp.dir, `d${++dirs}`);
  fs.mkdirSync(dir);
  return dir;
};

describe('the audit key and anchor on awkward file systems', () => {
  it('without hard links, the key is created in place (exclusively) and audited writes work', () => {
    failing.link = true;
    const dir = freshDir();
    const db = openDatabase(join(dir, 'ordo.db'));
    writeTransaction(db, () => appendAudit(db, { actor: 'prescriber', action: 'test', subject: 'a', details: {} }, at));
    db.close();
    expect(fs.readdirSync(join(dir, 'keys'))).toEqual(['audit.key']);
    const stored = JSON.parse(fs.readFileSync(join(dir, 'keys', 'audit.key'), 'utf8')) as { id: string };
    expect(stored.id).toMatch(/^[0-9a-f]{16}$/);
    expect(diagnoseDataDir(dir)).toMatchObject({ ok: true, audit: { key: 'ok', entries: 1, anchor: { state: 'ok', seq: 1 } } });
  });

  it('a temporary anchor file removed by another process during the start does not skip the start’s audit step', () => {
    const dir = freshDir();
    const temporary = join(dir, '.ordo.db.anchor.4242.1.abc.tmp');
    fs.writeFileSync(temporary, '{');
    failing.statOf = temporary;
    openDatabase(join(dir, 'ordo.db')).close();
    // The start made the key and the anchor (it stopped at the failing stat before).
    expect(fs.existsSync(join(dir, 'keys', 'audit.key'))).toBe(true);
    expect(fs.existsSync(join(dir, 'ordo.db.anchor'))).toBe(true);
  });
});
