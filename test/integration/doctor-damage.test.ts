/**
 * Issue 9, point 6 (the doctor's half): with one page of ordo.db overwritten while no process has
 * it open, `ordo doctor` prints its JSON report with "ok": false and the damage in French, and
 * exits non-zero, whichever page it was: never « Erreur inattendue » or a stack trace.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../shared/calls/app';
import { createApp } from '../../electron/app';
import { runOrdo } from '../support/cli';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-damage-');
afterAll(() => tmp.remove());

let pristine: string;
let pageSize: number;
let pages: number;
const roots: Record<string, number> = {};

beforeAll(() => {
  pristine = join(tmp.dir, 'pristine');
  const app = createApp({ dataDir: pristine, mode: 'host', jobs: { threads: false } });
  app.tools.fillDemoPatients(2000, 3);
  app.close();
  const db = new Database(join(pristine, 'ordo.db'), { readonly: true });
  pageSize = db.pragma('page_size', { simple: true }) as number;
  for (const row of db.prepare("SELECT name, rootpage FROM sqlite_master WHERE name IN ('audit_log', 'patients', 'patient_search_by_patient')").all() as { name: string; rootpage: number }[]) {
    roots[row.name] = row.rootpage;
  }
  db.close();
  pages = statSync(join(pristine, 'ordo.db')).size / pageSize;
});

/** Deterministic noise for one page. */
function noise(seed: number, length: number): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < length; i++) chunks.push(createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(chunks).subarray(0, length);
}

function damaged(page: number): string {
  const dir = join(tmp.dir, `page-${page}`);
  cpSync(pristine, dir, { recursive: true });
  rmSync(join(dir, 'in-use'), { recursive: true, force: true });
  const fd = openSync(join(dir, 'ordo.db'), 'r+');
  try {
    writeSync(fd, noise(page, pageSize), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return dir;
}

describe('ordo doctor on a database with one page overwritten', () => {
  it('has a database of enough pages, its tables and index on pages of their own', () => {
    expect(pages).toBeGreaterThan(100);
    expect(Object.keys(roots).sort()).toEqual(['audit_log', 'patient_search_by_patient', 'patients']);
    expect(new Set(Object.values(roots)).size).toBe(3);
  });

  const targets: [string, () => number][] = [
    ['page 1 (the header and the schema)', () => 1],
    ['the audit log’s page', () => roots['audit_log']!],
    ['the patients table’s root page', () => roots['patients']!],
    ['an index’s root page', () => roots['patient_search_by_patient']!],
    ['a page in the middle of the file', () => Math.floor(pages / 2)],
    ['the last page', () => pages],
  ];

  it.each(targets)('%s', (_what, pageOf) => {
    const dir = damaged(pageOf());
    const result = runOrdo(['doctor', '--data-dir', dir]);
    expect(result.stderr).not.toMatch(/Erreur inattendue|\n\s+at /);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as Diagnostic;
    expect(report).toMatchObject({ ok: false, damaged: true, dataDir: dir });
    expect(report.problems[0]).toMatch(/^Le fichier de la base de données est endommagé : .*Restaurez une sauvegarde/);
    expect(result.stderr).toContain('Le fichier de la base de données est endommagé');
  });

  it('says « ok » for the same database undamaged', () => {
    const result = runOrdo(['doctor', '--data-dir', pristine]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, damaged: false, integrity: 'ok' });
  });
});
