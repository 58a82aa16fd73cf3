/**
 * `ordo doctor` finds a deleted tail of the audit log from the signatures: each one keeps the
 * chain's head when it was signed, and its `prescription.signed` row follows that head. Deleting
 * the last rows (around the triggers, with plain SQLite, as audit-tamper.test.ts does) shows even
 * when the anchor file is deleted too and Ordo re-anchors the shortened log at its next start.
 */
import Database from 'better-sqlite3';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, diagnoseDataDir } from '../../electron/app';
import { fixedClock } from '../../electron/clock';
import { dispatch } from '../../electron/dispatch';
import { problemsOf, signatureAuditMessage } from '../../electron/diagnostic/signatures';
import { passphraseKeyProvider } from '../../electron/keys/signing-key';
import { patientCalls } from '../../shared/calls/patients';
import type { Diagnostic } from '../../shared/calls/app';
import type { Draft } from '../../shared/calls/prescriptions';
import type { Result } from '../../shared/errors';
import { runOrdo } from '../support/cli';
import { validProfile } from '../support/fixtures';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-doctor-signatures-');
afterAll(() => tmp.remove());
const PASS = { ORDO_KEY_PASSPHRASE: 'une phrase de passe de test' };
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

let pristine: string;
/** The three signatures, in order: prescription id and rx id. */
const signed: { id: number; rxId: string }[] = [];

async function value<T>(app: ReturnType<typeof createApp>, name: string, input: unknown): Promise<T> {
  const result = (await dispatch(app.services, name, input)) as Result<T>;
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  pristine = join(tmp.dir, 'pristine');
  const app = createApp({ dataDir: pristine, mode: 'host', clock: fixedClock('2026-03-01T10:00:00.000Z'), jobs: { threads: false }, signingKey: passphraseKeyProvider(pristine, PASS) });
  try {
    await value(app, 'profile.save', validProfile);
    const { id: patientId } = await value<{ id: number }>(app, 'patients.create', { patient: patientCalls['patients.create'].example.patient, confirmed: [] });
    for (let i = 1; i <= 3; i++) {
      const created = await value<Draft>(app, 'prescriptions.create', { patientId });
      await value(app, 'prescriptions.save', {
        id: created.id,
        version: created.version,
        lines: [{ kind: 'drug', key: uuid(i), cis: '69999008', posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: i } }, duration: { value: 5, unit: 'days' } }],
      });
      const done = await value<Draft>(app, 'prescriptions.sign', { id: created.id, requestId: uuid(100 + i) });
      signed.push({ id: done.id, rxId: done.signature!.rxId });
    }
  } finally {
    app.close();
  }
});

let cases = 0;
function copy(): string {
  const dir = join(tmp.dir, `case-${++cases}`);
  cpSync(pristine, dir, { recursive: true });
  rmSync(join(dir, 'in-use'), { recursive: true, force: true });
  return dir;
}

/** Deletes the audit rows from `fromSeq` on with plain SQLite, the triggers dropped then put back as they were. */
function deleteTail(dir: string, fromSeq: (db: Database.Database) => number): void {
  const db = new Database(join(dir, 'ordo.db'));
  try {
    const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as { name: string; sql: string }[];
    expect(triggers.length).toBeGreaterThanOrEqual(2);
    const from = fromSeq(db);
    for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
    expect(db.prepare('DELETE FROM audit_log WHERE seq >= ?').run(from).changes).toBeGreaterThan(0);
    for (const t of triggers) db.exec(t.sql);
  } finally {
    db.close();
  }
}

/** The seq of the `prescription.signed` row of the n-th signature (1-based). */
const signedSeq = (n: number) => (db: Database.Database) => db.prepare("SELECT seq FROM audit_log WHERE action = 'prescription.signed' AND subject = ?").pluck().get(`prescription:${signed[n - 1]!.id}`) as number;

const ours = (report: Diagnostic) => report.problems.filter((p) => p.startsWith('Journal d’audit : la signature de l’ordonnance'));

describe('ordo doctor: each signature finds its audit entry', () => {
  it('says nothing of a folder left untouched', () => {
    const report = diagnoseDataDir(copy());
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('names the signature whose entry went with the deleted tail', () => {
    const dir = copy();
    deleteTail(dir, signedSeq(3));
    const report = diagnoseDataDir(dir);
    expect(report.ok).toBe(false);
    expect(ours(report)).toEqual([signatureAuditMessage(signed[2]!.rxId, 'entry')]);
    expect(ours(report)[0]).toMatch(/^Journal d’audit : la signature de l’ordonnance [0-9A-Z]{18} ne retrouve pas son entrée .*\(fin du journal supprimée \?\)\.$/);
  });

  it('still finds it once the anchor is deleted too and Ordo has re-anchored the shortened log (the chain and the anchor hold then)', () => {
    const dir = copy();
    // From just before the second signature: its head and both entries after it are gone.
    deleteTail(dir, (db) => signedSeq(2)(db) - 1);
    rmSync(join(dir, 'ordo.db.anchor'));
    const app = createApp({ dataDir: dir, mode: 'host', jobs: { threads: false } });
    app.close();
    const report = diagnoseDataDir(dir);
    expect(report.audit).toMatchObject({ ok: true, anchor: { state: 'ok' } });
    expect(report.warnings.join(' ')).toMatch(/ancre du journal d’audit était absente/);
    expect(report.problems).toEqual([signatureAuditMessage(signed[1]!.rxId, 'entry'), signatureAuditMessage(signed[2]!.rxId, 'entry')]);
    // The command line says the same and exits non-zero.
    const run = runOrdo(['doctor', '--data-dir', dir]);
    expect(run.status, run.stderr).not.toBe(0);
    expect((JSON.parse(run.stdout) as Diagnostic).problems).toEqual(report.problems);
  });

  it('names the first five, then counts the others', () => {
    const faults = Array.from({ length: 7 }, (_, i) => ({ rxId: `RX${i}`, fault: 'entry' as const }));
    const problems = problemsOf(faults);
    expect(problems).toHaveLength(6);
    expect(problems.slice(0, 5)).toEqual(faults.slice(0, 5).map((f) => signatureAuditMessage(f.rxId, 'entry')));
    expect(problems[5]).toBe('Journal d’audit : 2 autres signatures d’ordonnances ne retrouvent pas leur entrée (fin du journal supprimée ?).');
  });
});
