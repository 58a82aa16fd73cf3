/**
 * The DMP sync against the sandbox DMP on 127.0.0.1: every signed prescription stored exactly
 * once whatever the network does (each fault of the sandbox, and a mix), a permanent refusal kept
 * as `dead` with its reason, the patient's objection honoured (at signing and after), a
 * cancellation withdrawn (ITI-57) or never sent, and the job retrying with its next try shown.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { verifyAudit } from '../../electron/audit/audit';
import { cdaUniqueId, httpTransport, submitDocument, unsignedSandboxAssertion } from '../../electron/dmp/api';
import { passphraseKeyProvider } from '../../electron/keys/signing-key';
import { startSandboxDmp, type SandboxDmp, type SandboxFaults } from '../../electron/sandbox/dmp';
import { writeSetting } from '../../electron/settings/repository';
import type { OutboxItem, OutboxSummary } from '../../shared/calls/outbox';
import type { Job } from '../../shared/calls/jobs';
import { callsOn } from '../support/calls';
import { signMany } from '../support/outbox';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-outbox-');
afterAll(() => tmp.remove());
const PASS = { ORDO_KEY_PASSPHRASE: 'une phrase de passe de test' };

let n = 0;
let app: OrdoApp | undefined;
let sandbox: SandboxDmp | undefined;
afterEach(async () => {
  app?.close();
  app = undefined;
  await sandbox?.close();
  sandbox = undefined;
});

function open(options: { autoRun?: boolean } = {}): OrdoApp {
  const dataDir = join(tmp.dir, `practice${n++}`);
  app = createApp({
    dataDir,
    mode: 'host',
    // Retries a quarter of the way into each backoff window: fast, and still after a delay.
    jobs: { threads: false, autoRun: options.autoRun ?? false, random: () => 0.25 },
    signingKey: passphraseKeyProvider(dataDir, PASS),
  });
  return app;
}

async function startDmp(faults: Partial<SandboxFaults> = {}): Promise<SandboxDmp> {
  sandbox = await startSandboxDmp({ port: 0, dataDir: join(tmp.dir, `dmp${n++}`), timeoutHoldMs: 3_000, ...faults });
  return sandbox;
}

interface Stored {
  uniqueId: string;
  patientId: string;
  hash: string;
  status: string;
}
const documents = async (dmp: SandboxDmp) => (await (await fetch(`${dmp.origin}/documents`)).json()) as Stored[];
const { value } = callsOn(() => app!);
const rows = (a: OrdoApp) => a.db.prepare("SELECT id, prescription_id AS prescriptionId, action, state, reason, attempts FROM outbox WHERE destination = 'dmp' ORDER BY id").all() as { id: number; prescriptionId: number; action: string; state: string; reason: string | null; attempts: number }[];
const rxIdOf = (a: OrdoApp, id: number) => a.db.prepare('SELECT rx_id FROM prescription_signatures WHERE prescription_id = ?').pluck().get(id) as string;

/** Drains until nothing is left (each pass may leave rows the faults refused for now). */
async function drainAll(a: OrdoApp, url: string, passes = 40) {
  let last;
  for (let i = 0; i < passes; i++) {
    last = await a.tools.drainOutbox({ endpointUrl: url });
    if (last.remaining === 0) return last;
  }
  throw new Error(`still ${last?.remaining} to send after ${passes} drains`);
}

/** Every prescription of the practice in the DMP exactly once, with its patient, and every row sent. */
async function expectStoredOnce(a: OrdoApp, dmp: SandboxDmp, ids: readonly number[]) {
  const stored = await documents(dmp);
  expect(stored.map((d) => d.uniqueId).sort()).toEqual(ids.map((id) => cdaUniqueId(rxIdOf(a, id))).sort());
  const nirs = a.db.prepare('SELECT d.unique_id AS uniqueId, d.patient_id AS patientId, d.sha1 FROM dmp_documents d').all() as { uniqueId: string; patientId: string; sha1: string }[];
  for (const d of nirs) expect(stored.find((s) => s.uniqueId === d.uniqueId)).toMatchObject({ patientId: d.patientId, hash: d.sha1 });
  expect(rows(a).every((r) => r.state === 'sent')).toBe(true);
}

describe('the outbox against the sandbox DMP', () => {
  it('sends each signed prescription once; a second drain sends nothing again', async () => {
    const a = open();
    const dmp = await startDmp();
    const signed = await signMany(a, 6);
    const first = await a.tools.drainOutbox({ endpointUrl: dmp.url });
    expect(first).toMatchObject({ sent: 6, refused: 0, remaining: 0 });
    await expectStoredOnce(a, dmp, signed.map((s) => s.id));
    expect(await a.tools.drainOutbox({ endpointUrl: dmp.url })).toMatchObject({ sent: 0, remaining: 0 });
    expect(await documents(dmp)).toHaveLength(6);
    // What reached the DMP is in the audit log, whose chain still holds.
    const audit = a.db.prepare("SELECT details FROM audit_log WHERE action = 'dmp.synced'").pluck().all() as string[];
    expect(audit.flatMap((d) => (JSON.parse(d) as { sent: { rxId: string }[] }).sent.map((s) => s.rxId)).sort()).toEqual(signed.map((s) => rxIdOf(a, s.id)).sort());
    expect(verifyAudit(a.db).ok).toBe(true);
  });

  const matrix: [string, Partial<SandboxFaults>][] = [
    ['HTTP 500', { failRate: 0.5, faults: ['http500'] }],
    ['SOAP Fault', { failRate: 0.5, faults: ['soapFault'] }],
    ['timeout', { failRate: 0.3, faults: ['timeout'] }],
    ['connection reset', { failRate: 0.5, faults: ['reset'] }],
    ['reply dropped after commit', { dropAfterCommit: 0.5 }],
    ['a 30 % mix of every fault', { failRate: 0.3, faults: ['http500', 'soapFault', 'timeout', 'reset'], dropAfterCommit: 0.1 }],
  ];
  for (const [name, faults] of matrix) {
    it(`ends with every document stored exactly once: ${name}`, async () => {
      const a = open();
      // A short timeout: the sandbox holds a 'timeout' request for longer.
      writeSetting(a.db, 'dmp.timeoutMs', 1000, new Date());
      const dmp = await startDmp(faults);
      const signed = await signMany(a, 12);
      await drainAll(a, dmp.url);
      await expectStoredOnce(a, dmp, signed.map((s) => s.id));
      // The faults did happen: some rows took more than one try.
      expect(rows(a).some((r) => r.attempts > 1)).toBe(true);
    }, 120_000);
  }

  it('keeps a permanent refusal as refused, with its reason, and sends the others', async () => {
    const a = open();
    const dmp = await startDmp();
    const [taken, ok] = await signMany(a, 2);
    // The DMP already holds another document under the uniqueId of the first: it refuses ours for good.
    const other = Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="x"/></ClinicalDocument>');
    const uniqueId = cdaUniqueId(rxIdOf(a, taken!.id));
    const ins = { nir: '180036912300154', oid: '1.2.250.1.213.1.4.8' };
    const prescriber = { rpps: '10003154589', lastName: 'Autre', firstName: 'Logiciel', specialty: 'Médecin généraliste' };
    const assertion = await unsignedSandboxAssertion({ prescriber, patientIns: ins, software: { name: 'Autre', version: '1', approval: null }, now: new Date() });
    const { createHash } = await import('node:crypto');
    const hashSha1 = createHash('sha1').update(other).digest('hex');
    const meta = { uniqueId, patientIns: ins, hashSha1, size: other.length, creationTime: new Date(), serviceStartTime: new Date(), title: 'Autre', author: prescriber, facilityType: 'SA07' as const, rxId: 'X' };
    expect(await submitDocument(httpTransport(), { url: dmp.url, timeoutMs: 5000 }, meta, other, assertion)).toEqual({ type: 'stored' });

    const drained = await a.tools.drainOutbox({ endpointUrl: dmp.url });
    expect(drained).toMatchObject({ sent: 1, refused: 1, remaining: 0 });
    const [dead, sent] = rows(a);
    expect(sent).toMatchObject({ prescriptionId: ok!.id, state: 'sent' });
    expect(dead).toMatchObject({ prescriptionId: taken!.id, state: 'dead' });
    expect(dead!.reason).toContain('XDSDuplicateUniqueIdInRegistry');
    // The Envois screen shows it, with its reason, and the badge counts it.
    const listed = await value<{ items: OutboxItem[]; summary: OutboxSummary }>('outbox.list', { filter: 'attention' });
    expect(listed.items.map((i) => [i.prescriptionId, i.state, i.reason])).toEqual([[taken!.id, 'dead', dead!.reason]]);
    expect(listed.summary.attention).toBe(1);
    // Drained again: a refusal stays refused; nothing is sent twice.
    expect(await a.tools.drainOutbox({ endpointUrl: dmp.url })).toMatchObject({ sent: 0, refused: 0 });
    expect(rows(a)[0]).toMatchObject({ state: 'dead', attempts: 1 });
  });

  it('refuses, with the reason a GP can act on, a patient without a verified INS; « Réessayer » after the record is completed sends it', async () => {
    const a = open();
    const dmp = await startDmp();
    const [p] = await signMany(a, 1, { patient: { nir: '', identityStatus: 'provisional', identityDocument: null } });
    await a.tools.drainOutbox({ endpointUrl: dmp.url });
    expect(rows(a)[0]).toMatchObject({ state: 'dead' });
    expect(rows(a)[0]!.reason).toMatch(/^INS du patient absente/);
    expect(await documents(dmp)).toEqual([]);
    // The record completed (verified identity with its NIR), then « Réessayer » on the row.
    a.db.prepare("UPDATE patients SET nir = '180036912300154', identity_status = 'verified', identity_document = 'identity_card' WHERE id = ?").run(p!.patientId);
    await value('outbox.retry', { id: rows(a)[0]!.id });
    expect(rows(a)[0]).toMatchObject({ state: 'pending', reason: null });
    await a.tools.drainOutbox({ endpointUrl: dmp.url });
    expect(rows(a)[0]).toMatchObject({ state: 'sent' });
    expect((await documents(dmp))[0]).toMatchObject({ patientId: '180036912300154^^^&1.2.250.1.213.1.4.8&ISO' });
  });

  it('honours the patient’s objection to the DMP, recorded at signing or after it', async () => {
    const a = open();
    const dmp = await startDmp();
    await signMany(a, 1, { patient: { dmpObjection: { recordedOn: '01/12/2026' } } });
    const [later] = await signMany(a, 1, { from: 1 });
    expect(rows(a).map((r) => r.state)).toEqual(['skipped', 'pending']);
    // The objection recorded after the signature, before the document left.
    a.db.prepare("UPDATE patients SET dmp_objection_on = '2026-12-02' WHERE id = ?").run(later!.patientId);
    const drained = await a.tools.drainOutbox({ endpointUrl: dmp.url });
    expect(drained).toMatchObject({ sent: 0, skipped: 1, remaining: 0 });
    expect(rows(a).map((r) => [r.state, r.reason])).toEqual([
      ['skipped', 'non envoyé — opposition du patient'],
      ['skipped', 'non envoyé — opposition du patient'],
    ]);
    expect(await documents(dmp)).toEqual([]);
  });

  it('withdraws a cancelled prescription from the DMP (ITI-57), and never sends one cancelled before it left', async () => {
    const a = open();
    const dmp = await startDmp();
    const [sent, notYet] = await signMany(a, 2);
    await a.tools.drainOutbox({ endpointUrl: dmp.url });
    await value('prescriptions.cancel', { id: sent!.id, reason: 'Erreur de posologie, ordonnance refaite' });
    await a.tools.drainOutbox({ endpointUrl: dmp.url });
    expect((await documents(dmp)).find((d) => d.uniqueId === cdaUniqueId(rxIdOf(a, sent!.id)))).toMatchObject({ status: expect.stringMatching(/Deprecated/) as unknown });

    // Signed, then cancelled while offline: its document never leaves, and there is nothing to withdraw.
    const [third] = await signMany(a, 1, { from: 2 });
    await value('prescriptions.cancel', { id: third!.id, reason: 'Erreur de patient, ordonnance refaite' });
    await a.tools.drainOutbox({ endpointUrl: dmp.url });
    const states = rows(a).filter((r) => r.prescriptionId === third!.id).map((r) => [r.action, r.state]);
    expect(states).toEqual([
      ['submit', 'skipped'],
      ['cancel', 'skipped'],
    ]);
    expect((await documents(dmp)).map((d) => d.uniqueId)).not.toContain(cdaUniqueId(rxIdOf(a, third!.id)));
    expect(notYet).toBeDefined();
  });

  it('runs as a retrying job: « échec » with the next try shown, then sent once the DMP answers', async () => {
    const dmp = await startDmp({ failRate: 1, faults: ['http500'] });
    const a = open({ autoRun: true });
    await value('outbox.configure', { endpointUrl: dmp.url });
    const changes: Job[] = [];
    a.subscribe((event) => {
      if (event.name === 'jobs.changed' && event.payload.kind === 'outbox.sync') changes.push(event.payload);
    });
    await signMany(a, 2);
    await expect.poll(() => changes.some((j) => j.state === 'retrying'), { timeout: 10_000 }).toBe(true);
    const listed = await value<{ items: OutboxItem[]; summary: OutboxSummary }>('outbox.list', {});
    const failed = listed.items.filter((i) => i.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.reason).toMatch(/500/);
    expect(listed.summary.sync).toMatchObject({ state: 'retrying' });
    expect(failed[0]!.nextAttemptAt).toBe(listed.summary.sync.nextRunAt);
    expect(Date.parse(failed[0]!.nextAttemptAt!)).toBeGreaterThan(Date.now() - 1000);

    dmp.setFaults({ failRate: 0 });
    await value('outbox.retry', {});
    await expect.poll(async () => (await documents(dmp)).length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => rows(a).every((r) => r.state === 'sent'), { timeout: 5_000 }).toBe(true);
    expect((await value<OutboxSummary>('outbox.summary', {})).attention).toBe(0);
  }, 30_000);

  it('sends a prescription signed while a sync is running', async () => {
    const dmp = await startDmp({ latencyMs: 400 });
    const a = open({ autoRun: true });
    await value('outbox.configure', { endpointUrl: dmp.url });
    await signMany(a, 1);
    await expect.poll(async () => (await value<OutboxSummary>('outbox.summary', {})).sync.state, { timeout: 5_000, interval: 20 }).toBe('running');
    await signMany(a, 1, { from: 1 });
    await expect.poll(async () => (await documents(dmp)).length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => rows(a).every((r) => r.state === 'sent'), { timeout: 5_000 }).toBe(true);
  }, 30_000);
});
