/**
 * `prescriptions.cancel`: only a signed prescription is cancelled, in one transaction (the
 * write-once cancellation row, the state, the audit row, the outbox rows for the DMP and the
 * CNAM), every refusal before the first write; the same reason again answers the same; the
 * triggers keep a cancelled prescription as it was signed; a correction is a renewal of it.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { verifyAudit } from '../../electron/audit/audit';
import { fixedClock } from '../../electron/clock';
import { passphraseKeyProvider } from '../../electron/keys/signing-key';
import { patientCalls } from '../../shared/calls/patients';
import type { Draft, PrescriptionSummary } from '../../shared/calls/prescriptions';
import type { LineInput } from '../../shared/domain/prescription';
import { validProfile } from '../support/fixtures';
import { tempDir } from '../support/tmp';
import { callsOn } from '../support/calls';

const tmp = tempDir('ordo-cancel-');
afterAll(() => tmp.remove());
const PASS = { ORDO_KEY_PASSPHRASE: 'une phrase de passe de test' };
const NOW = '2026-03-01T10:00:00.600Z';
let app: OrdoApp;
let n = 0;
let defaultPatient: number | undefined;

beforeEach(() => {
  defaultPatient = undefined;
  const dataDir = join(tmp.dir, `db${n++}`);
  app = createApp({ dataDir, mode: 'host', clock: fixedClock(NOW), jobs: { threads: false }, signingKey: passphraseKeyProvider(dataDir, PASS) });
});
afterEach(() => app.close());

const { call, value } = callsOn(() => app);
const count = (sql: string, ...args: unknown[]) => app.db.prepare(sql).pluck().get(...args) as number;
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const paracetamol: LineInput = {
  kind: 'drug',
  key: uuid(1),
  cis: '69999008',
  posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 3 }, asNeeded: true, maxPer24h: 3 },
  duration: { value: 5, unit: 'days' },
};

/** A draft ready to sign, for the example patient, or for another one (`patient` overrides the example's fields). */
async function draft(patient?: Record<string, unknown>): Promise<Draft> {
  await value('profile.save', validProfile);
  const create = async (fields: Record<string, unknown>) =>
    (await value<{ id: number }>('patients.create', { patient: { ...patientCalls['patients.create'].example.patient, ...fields }, confirmed: [] })).id;
  const patientId = patient === undefined ? (defaultPatient ??= await create({})) : await create(patient);
  const created = await value<Draft>('prescriptions.create', { patientId });
  return value<Draft>('prescriptions.save', { id: created.id, version: created.version, lines: [paracetamol] });
}

async function signed(patient?: Record<string, unknown>): Promise<Draft> {
  const d = await draft(patient);
  return value<Draft>('prescriptions.sign', { id: d.id, requestId: uuid(100 + d.id) });
}

/** Everything a refused cancellation must leave as it was. */
function snapshot(id: number) {
  return {
    row: app.db.prepare('SELECT state, version, updated_at FROM prescriptions WHERE id = ?').get(id),
    cancellations: count('SELECT count(*) FROM prescription_cancellations'),
    audit: count('SELECT count(*) FROM audit_log'),
    outbox: app.db.prepare('SELECT * FROM outbox ORDER BY id').all(),
  };
}

const REASON = 'Erreur de posologie, ordonnance refaite';

describe('cancelling a prescription', () => {
  it('cancels a signed one: the cancellation, the state, the audit row and the outbox rows, in one go', async () => {
    const before = await signed();
    const auditBefore = count('SELECT count(*) FROM audit_log');
    const cancelled = await value<Draft>('prescriptions.cancel', { id: before.id, reason: `  ${REASON} ` });
    expect(cancelled).toMatchObject({ id: before.id, state: 'cancelled', version: before.version, updatedAt: before.updatedAt, cancellation: { reason: REASON, at: NOW } });
    // The legal record stays as signed.
    expect(cancelled.signature).toEqual(before.signature);
    expect(cancelled.lines).toEqual(before.lines);
    expect(count('SELECT count(*) FROM audit_log')).toBe(auditBefore + 1);
    const audit = app.db.prepare("SELECT actor, subject, details FROM audit_log WHERE action = 'prescription.cancelled'").all() as { actor: string; subject: string; details: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'prescriber', subject: `prescription:${before.id}` });
    expect(JSON.parse(audit[0]!.details)).toEqual({ rxId: before.signature!.rxId, reason: REASON });
    expect(app.db.prepare('SELECT destination, action, state, reason, next_at AS nextAt FROM outbox WHERE prescription_id = ? ORDER BY action, destination').all(before.id)).toEqual([
      { destination: 'cnam', action: 'cancel', state: 'disabled', reason: 'Base ordonnance numérique (CNAM) : protocole non public', nextAt: null },
      { destination: 'dmp', action: 'cancel', state: 'pending', reason: null, nextAt: NOW },
      { destination: 'cnam', action: 'submit', state: 'disabled', reason: 'Base ordonnance numérique (CNAM) : protocole non public', nextAt: null },
      { destination: 'dmp', action: 'submit', state: 'pending', reason: null, nextAt: NOW },
    ]);
    expect(verifyAudit(app.db).ok).toBe(true);
    // The read and the patient's list say so.
    expect((await value<Draft>('prescriptions.get', { id: before.id })).cancellation).toEqual({ reason: REASON, at: NOW });
    const list = await value<PrescriptionSummary[]>('prescriptions.list', { patientId: before.patientId });
    expect(list.find((p) => p.id === before.id)).toMatchObject({ state: 'cancelled', cancellation: { reason: REASON, at: NOW } });
  });

  it('asks the DMP to cancel whatever stands of its submission, and skips it for the same reason when the patient objected', async () => {
    const sent = await signed();
    // What the outbox sync does once the DMP has it (electron/outbox/repository.ts).
    app.db.prepare("UPDATE outbox SET state = 'sent', sent_at = ? WHERE prescription_id = ? AND destination = 'dmp'").run(NOW, sent.id);
    await value('prescriptions.cancel', { id: sent.id, reason: REASON });
    expect(app.db.prepare("SELECT state, reason FROM outbox WHERE prescription_id = ? AND destination = 'dmp' AND action = 'cancel'").get(sent.id)).toEqual({ state: 'pending', reason: null });

    const objecting = await signed({ birthName: 'Moreau', nir: '', dmpObjection: { recordedOn: '01/02/2026' } });
    await value('prescriptions.cancel', { id: objecting.id, reason: REASON });
    expect(app.db.prepare("SELECT action, state, reason FROM outbox WHERE prescription_id = ? AND destination = 'dmp' ORDER BY action").all(objecting.id)).toEqual([
      { action: 'cancel', state: 'skipped', reason: 'non envoyé — opposition du patient' },
      { action: 'submit', state: 'skipped', reason: 'non envoyé — opposition du patient' },
    ]);
  });

  it('refuses a draft, telling to discard it, and changes nothing', async () => {
    const d = await draft();
    const before = snapshot(d.id);
    const refused = await call('prescriptions.cancel', { id: d.id, reason: REASON });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/pas signé.*Supprimez-le/) as unknown } });
    expect(snapshot(d.id)).toEqual(before);
    expect(await call('prescriptions.cancel', { id: 9999, reason: REASON })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses an empty, blank, too short or too long reason in French, and changes nothing', async () => {
    const s = await signed();
    const before = snapshot(s.id);
    for (const [reason, message] of [
      [undefined, /motif d’annulation est obligatoire/],
      ['', /motif d’annulation est obligatoire/],
      ['   \u200b ', /motif d’annulation est obligatoire/],
      ['abc', /au moins 5 caractères/],
      // Four characters, eight UTF-16 units: SQLite's CHECK counts characters, so does the contract.
      ['😀😀😀😀', /au moins 5 caractères/],
      ['x'.repeat(501), /ne doit pas dépasser 500 caractères/],
    ] as const) {
      const refused = await call('prescriptions.cancel', reason === undefined ? { id: s.id } : { id: s.id, reason });
      expect(refused, String(reason)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { reason: expect.stringMatching(message) as unknown } } });
    }
    expect(snapshot(s.id)).toEqual(before);
  });

  it('answers the same for the same reason again (a double click, a retried call), and refuses another reason', async () => {
    const s = await signed();
    const [a, b] = await Promise.all([value<Draft>('prescriptions.cancel', { id: s.id, reason: REASON }), value<Draft>('prescriptions.cancel', { id: s.id, reason: REASON })]);
    expect(a.cancellation).toEqual(b.cancellation);
    const again = await value<Draft>('prescriptions.cancel', { id: s.id, reason: REASON });
    expect(again).toEqual(a);
    const before = snapshot(s.id);
    expect(before.cancellations).toBe(1);
    expect(count("SELECT count(*) FROM audit_log WHERE action = 'prescription.cancelled'")).toBe(1);
    expect(count("SELECT count(*) FROM outbox WHERE action = 'cancel'")).toBe(2);
    const other = await call('prescriptions.cancel', { id: s.id, reason: 'Un autre motif' });
    expect(other).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: `Cette ordonnance est déjà annulée, pour un autre motif : « ${REASON} ».` } });
    expect(snapshot(s.id)).toEqual(before);
  });

  it('is one transaction: a failure at the last write leaves it signed, with no cancellation, audit or outbox row', async () => {
    const s = await signed();
    const before = snapshot(s.id);
    app.db.exec("CREATE TEMP TRIGGER outbox_fails BEFORE INSERT ON outbox WHEN NEW.destination = 'cnam' AND NEW.action = 'cancel' BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    expect((await call('prescriptions.cancel', { id: s.id, reason: REASON })).ok).toBe(false);
    expect(snapshot(s.id)).toEqual(before);
    app.db.exec('DROP TRIGGER outbox_fails');
    expect((await value<Draft>('prescriptions.cancel', { id: s.id, reason: REASON })).state).toBe('cancelled');
    expect(verifyAudit(app.db).ok).toBe(true);
  });

  it('keeps a cancelled prescription as it was: the triggers refuse any change to it, its cancellation, or a cancellation without its row', async () => {
    const s = await signed();
    await value('prescriptions.cancel', { id: s.id, reason: REASON });
    for (const sql of [
      "UPDATE prescription_lines SET rendered = 'autre chose' WHERE prescription_id = ?",
      "UPDATE prescription_lines SET line = json_set(line, '$.duration.value', 6) WHERE prescription_id = ?",
      'DELETE FROM prescription_lines WHERE prescription_id = ?',
      "INSERT INTO prescription_overrides (prescription_id, check_id, reason, at) VALUES (?, 'x', 'raison écrite', '2026-03-01')",
      'UPDATE prescriptions SET version = version + 1 WHERE id = ?',
      "UPDATE prescriptions SET updated_at = '2027-01-01' WHERE id = ?",
      "UPDATE prescriptions SET state = 'signed' WHERE id = ?",
      "UPDATE prescriptions SET state = 'draft' WHERE id = ?",
      'DELETE FROM prescriptions WHERE id = ?',
      "UPDATE prescription_cancellations SET reason = 'un autre motif' WHERE prescription_id = ?",
      'DELETE FROM prescription_cancellations WHERE prescription_id = ?',
      "UPDATE prescription_signatures SET content_digest = 'ab' WHERE prescription_id = ?",
      "DELETE FROM outbox WHERE prescription_id = ? AND action = 'cancel'",
    ]) {
      expect(() => app.db.prepare(sql).run(s.id), sql).toThrow();
    }
    expect(await call('prescriptions.save', { id: s.id, version: s.version, lines: [] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await call('prescriptions.discard', { id: s.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // A signed prescription does not become cancelled without its reason, nor a draft with one.
    const other = await signed();
    expect(() => app.db.prepare("UPDATE prescriptions SET state = 'cancelled' WHERE id = ?").run(other.id)).toThrow(/cancelled with its reason/);
    const d = await draft();
    expect(() => app.db.prepare("INSERT INTO prescription_cancellations (prescription_id, reason, cancelled_at) VALUES (?, 'un motif', ?)").run(d.id, NOW)).toThrow(/only a signed prescription is cancelled/);
  });

  it('« Vérifier une ordonnance » says a cancelled one is no longer to be dispensed, while its signature stays valid', async () => {
    const rx = await signed();
    const code = rx.signature!.qrPayload;
    expect(await value('prescriptions.verify', { code })).toMatchObject({ status: 'valid', valid: true, id: rx.signature!.rxId, local: { id: rx.id, state: 'signed', cancellation: null } });
    await value('prescriptions.cancel', { id: rx.id, reason: 'Erreur de posologie' });
    expect(await value('prescriptions.verify', { code })).toMatchObject({ status: 'valid', local: { state: 'cancelled', cancellation: { reason: 'Erreur de posologie' } } });
    expect(await value('prescriptions.verify', { code: 'HC1:NCFOXN' })).toMatchObject({ status: 'unreadable', valid: false, id: null, local: null });
    const result = await call('prescriptions.verify', { code: '' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('is corrected by a renewal: a new draft referencing the cancelled one, that signs', async () => {
    const s = await signed();
    await value('prescriptions.cancel', { id: s.id, reason: REASON });
    const correction = await value<Draft>('prescriptions.renew', { id: s.id });
    expect(correction).toMatchObject({ state: 'draft', renewalOf: s.id, patientId: s.patientId, signature: null, cancellation: null });
    expect(correction.lines.map((l) => l.rendered)).toEqual(s.lines.map((l) => l.rendered));
    expect(count("SELECT count(*) FROM audit_log WHERE action = 'prescription.renewed' AND subject = ?", `prescription:${correction.id}`)).toBe(1);
    const done = await value<Draft>('prescriptions.sign', { id: correction.id, requestId: uuid(999) });
    expect(done.state).toBe('signed');
    expect(done.signature!.rxId).not.toBe(s.signature!.rxId);
    expect((await value<Draft>('prescriptions.get', { id: s.id })).state).toBe('cancelled');
  });
});
