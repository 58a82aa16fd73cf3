/**
 * `prescriptions.sign`: in one transaction the checks pass, the prescription gets its unique id,
 * its content is frozen and signed (COSE ES256 over the claims, covering the audit head), the
 * audit row and the outbox rows are written; a request id signs once; the triggers refuse any
 * later change; a failure anywhere in the transaction leaves the draft as it was.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { verifyAudit } from '../../electron/audit/audit';
import { fixedClock } from '../../electron/clock';
import { passphraseKeyProvider, verificationKeys } from '../../electron/keys/signing-key';
import { contentDigest } from '../../electron/signing/content';
import { verifyPayload } from '../../electron/signing/seal';
import { patientCalls } from '../../shared/calls/patients';
import type { Draft } from '../../shared/calls/prescriptions';
import { isPrescriptionId } from '../../shared/domain/prescription-id';
import type { LineInput } from '../../shared/domain/prescription';
import { validProfile } from '../support/fixtures';
import { tempDir } from '../support/tmp';
import { callsOn } from '../support/calls';

const tmp = tempDir('ordo-signing-');
afterAll(() => tmp.remove());
const PASS = { ORDO_KEY_PASSPHRASE: 'une phrase de passe de test' };
let app: OrdoApp;
let dataDir: string;
let n = 0;

function open(env: NodeJS.ProcessEnv = PASS): void {
  app = createApp({ dataDir, mode: 'host', clock: fixedClock('2026-03-01T10:00:00.600Z'), jobs: { threads: false }, signingKey: passphraseKeyProvider(dataDir, env) });
}
beforeEach(() => {
  dataDir = join(tmp.dir, `db${n++}`);
  open();
});
afterEach(() => app.close());

const { call, value } = callsOn(() => app);
const count = (sql: string, ...args: unknown[]) => app.db.prepare(sql).pluck().get(...args) as number;
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
// The example patient is allergic to penicillins (a contre-indication for amoxicilline): paracétamol.
const paracetamol: LineInput = {
  kind: 'drug',
  key: uuid(1),
  cis: '69999008',
  posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 3 }, asNeeded: true, maxPer24h: 3 },
  duration: { value: 5, unit: 'days' },
};

async function draft(patient: Record<string, unknown> = {}): Promise<Draft> {
  await value('profile.save', validProfile);
  const { id: patientId } = await value<{ id: number }>('patients.create', { patient: { ...patientCalls['patients.create'].example.patient, ...patient }, confirmed: [] });
  const created = await value<Draft>('prescriptions.create', { patientId });
  const saved = await value<Draft>('prescriptions.save', { id: created.id, version: created.version, lines: [paracetamol] });
  expect(saved.readyToSign, JSON.stringify(saved.checks.filter((c) => c.blocking))).toBe(true);
  return saved;
}

describe('signing a prescription', () => {
  it('signs: the id, the frozen content and its digest, a QR code that verifies, the audit row and the outbox rows', async () => {
    const before = await draft();
    const signed = await value<Draft>('prescriptions.sign', { id: before.id, requestId: uuid(100) });
    expect(signed.state).toBe('signed');
    const s = signed.signature!;
    expect(isPrescriptionId(s.rxId)).toBe(true);
    expect(s.signedAt).toBe('2026-03-01T10:00:00.000Z');
    // The stored content re-encodes to the digest, and the QR code carries that digest, signed.
    const content = JSON.parse(count('SELECT content FROM prescription_signatures WHERE prescription_id = ?', before.id) as unknown as string) as { id: string; prescriber: { rpps: string }; lines: { rendered: string }[] };
    expect(content.id).toBe(s.rxId);
    expect(content.prescriber.rpps).toBe(validProfile.rpps);
    expect(content.lines.map((l) => l.rendered)).toEqual(before.lines.map((l) => l.rendered));
    expect(contentDigest(content).toString('hex')).toBe(s.contentDigest);
    const check = verifyPayload(s.qrPayload, verificationKeys(dataDir));
    expect(check).toMatchObject({ status: 'valid', id: s.rxId, prescriber: validProfile.rpps, contentDigest: s.contentDigest, keyId: s.keyId, issuedAt: s.signedAt });
    // The audit head it covers is the chain's head just before its own row.
    const signedRow = app.db.prepare("SELECT seq, prev_hash, details FROM audit_log WHERE action = 'prescription.signed'").all() as { seq: number; prev_hash: string; details: string }[];
    expect(signedRow).toHaveLength(1);
    expect(JSON.parse(signedRow[0]!.details)).toMatchObject({ rxId: s.rxId, auditHead: signedRow[0]!.prev_hash });
    expect(check.status === 'valid' && check.auditHead).toBe(signedRow[0]!.prev_hash.slice(0, 32));
    expect(app.db.prepare('SELECT destination, action, state, reason FROM outbox WHERE prescription_id = ? ORDER BY destination').all(before.id)).toEqual([
      { destination: 'cnam', action: 'submit', state: 'disabled', reason: 'Base ordonnance numérique (CNAM) : protocole non public' },
      { destination: 'dmp', action: 'submit', state: 'pending', reason: null },
    ]);
    expect(verifyAudit(app.db).ok).toBe(true);
  });

  it('signs once for one request id (a double click, a retried call), and refuses a second signature', async () => {
    const before = await draft();
    const [a, b] = await Promise.all([value<Draft>('prescriptions.sign', { id: before.id, requestId: uuid(7) }), value<Draft>('prescriptions.sign', { id: before.id, requestId: uuid(7) })]);
    expect(a.signature!.rxId).toBe(b.signature!.rxId);
    expect((await value<Draft>('prescriptions.sign', { id: before.id, requestId: uuid(7) })).signature!.rxId).toBe(a.signature!.rxId);
    expect(count("SELECT count(*) FROM audit_log WHERE action = 'prescription.signed'")).toBe(1);
    expect(count('SELECT count(*) FROM outbox')).toBe(2);
    const again = await call('prescriptions.sign', { id: before.id, requestId: uuid(8) });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'Cette ordonnance est déjà signée.' } });
  });

  it('freezes it: the triggers refuse any change to a signed prescription, its lines, overrides and signature', async () => {
    const before = await draft();
    await value('prescriptions.sign', { id: before.id, requestId: uuid(9) });
    for (const sql of [
      "UPDATE prescription_lines SET rendered = 'autre chose' WHERE prescription_id = ?",
      'DELETE FROM prescription_lines WHERE prescription_id = ?',
      'UPDATE prescriptions SET version = version + 1 WHERE id = ?',
      "UPDATE prescriptions SET state = 'draft' WHERE id = ?",
      'DELETE FROM prescriptions WHERE id = ?',
      "UPDATE prescription_signatures SET content_digest = 'ab' WHERE prescription_id = ?",
      'DELETE FROM prescription_signatures WHERE prescription_id = ?',
      'DELETE FROM outbox WHERE prescription_id = ?',
      "INSERT INTO prescription_overrides (prescription_id, check_id, reason, at) VALUES (?, 'x', 'raison écrite', '2026-03-01')",
    ]) {
      expect(() => app.db.prepare(sql).run(before.id), sql).toThrow();
    }
    expect(await call('prescriptions.save', { id: before.id, version: before.version + 1, lines: [] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('refuses while a check blocks, writing nothing', async () => {
    await value('profile.save', validProfile);
    const { id: patientId } = await value<{ id: number }>('patients.create', { patient: patientCalls['patients.create'].example.patient, confirmed: [] });
    const created = await value<Draft>('prescriptions.create', { patientId });
    // No duration: a legal check blocks.
    const { duration: _, ...noDuration } = paracetamol;
    const saved = await value<Draft>('prescriptions.save', { id: created.id, version: created.version, lines: [noDuration] });
    expect(saved.readyToSign).toBe(false);
    const refused = await call('prescriptions.sign', { id: created.id, requestId: uuid(10) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/^L’ordonnance ne peut pas être signée : /) as unknown } });
    expect(count('SELECT count(*) FROM prescription_signatures') + count('SELECT count(*) FROM outbox')).toBe(0);
    expect((await value<Draft>('prescriptions.get', { id: created.id })).state).toBe('draft');
  });

  it('is one transaction: a failure at the last write leaves the draft, no signature, no audit row, no outbox row', async () => {
    const before = await draft();
    const audit = count('SELECT count(*) FROM audit_log');
    app.db.exec("CREATE TEMP TRIGGER outbox_fails BEFORE INSERT ON outbox WHEN NEW.destination = 'cnam' BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    const failed = await call('prescriptions.sign', { id: before.id, requestId: uuid(11) });
    expect(failed.ok).toBe(false);
    expect((await value<Draft>('prescriptions.get', { id: before.id })).state).toBe('draft');
    expect(count('SELECT count(*) FROM prescription_signatures') + count('SELECT count(*) FROM outbox')).toBe(0);
    expect(count('SELECT count(*) FROM audit_log')).toBe(audit);
    app.db.exec('DROP TRIGGER outbox_fails');
    // The same request, retried, signs.
    expect((await value<Draft>('prescriptions.sign', { id: before.id, requestId: uuid(11) })).state).toBe('signed');
    expect(verifyAudit(app.db).ok).toBe(true);
  });

  it('without the passphrase, or with a wrong one, says so in French and signs nothing', async () => {
    const before = await draft();
    app.close();
    open({});
    expect(await call('prescriptions.sign', { id: before.id, requestId: uuid(12) })).toMatchObject({ ok: false, error: { code: 'KEY_UNAVAILABLE', message: expect.stringMatching(/ORDO_KEY_PASSPHRASE/) as unknown } });
    app.close();
    open();
    await value('prescriptions.sign', { id: (await value<Draft>('prescriptions.renew', { id: before.id })).id, requestId: uuid(13) });
    app.close();
    open({ ORDO_KEY_PASSPHRASE: 'une autre phrase' });
    expect(await call('prescriptions.sign', { id: before.id, requestId: uuid(14) })).toMatchObject({ ok: false, error: { code: 'KEY_UNAVAILABLE', message: expect.stringMatching(/phrase de passe est incorrecte/) as unknown } });
    expect((await value<Draft>('prescriptions.get', { id: before.id })).state).toBe('draft');
  });

  it('honours the patient’s objection to the DMP: nothing to send there, and why', async () => {
    const before = await draft({ dmpObjection: { recordedOn: '01/02/2026' } });
    await value('prescriptions.sign', { id: before.id, requestId: uuid(15) });
    expect(app.db.prepare("SELECT state, reason FROM outbox WHERE destination = 'dmp'").get()).toEqual({ state: 'skipped', reason: 'non envoyé — opposition du patient' });
  });
});
