import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { verifyAudit } from '../../electron/audit/audit';
import { fixedClock, type Clock } from '../../electron/clock';
import { dispatch } from '../../electron/dispatch';
import { patientCalls } from '../../shared/calls/patients';
import type { Draft } from '../../shared/calls/prescriptions';
import type { LineInput } from '../../shared/domain/prescription';
import type { Result } from '../../shared/errors';
import { validProfile } from '../support/fixtures';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-prescriptions-');
afterAll(() => tmp.remove());

const SAMPLE = join(import.meta.dirname, '../../assets/bdpm-sample');
let app: OrdoApp;
let dataDir: string;
let n = 0;
const clock: Clock = fixedClock('2026-03-01T10:00:00Z');

beforeEach(() => {
  dataDir = join(tmp.dir, `db${n++}`);
  app = createApp({ dataDir, mode: 'host', clock, jobs: { threads: false } });
});
afterEach(() => app.close());

const call = (name: string, input: unknown) => dispatch(app.services, name, input);
async function value<T>(name: string, input: unknown): Promise<T> {
  const result = (await call(name, input)) as Result<T>;
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error.fields ?? {})}`);
  return result.value;
}
const changes = () => app.db.prepare('SELECT total_changes()').pluck().get() as number;
const count = (table: string) => app.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

const key = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const amoxicilline = (k = key(1)): LineInput => ({
  kind: 'drug',
  key: k,
  cis: '69999001',
  posology: { dose: 2, unit: 'gélule', frequency: { kind: 'perDay', times: 2 }, moments: ['matin', 'soir'] },
  duration: { value: 7, unit: 'days' },
});
const paracetamol = (k = key(2)): LineInput => ({
  kind: 'drug',
  key: k,
  cis: '69999008',
  posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 3 }, asNeeded: true, maxPer24h: 3 },
  duration: { value: 5, unit: 'days' },
});

async function patient(overrides: Record<string, unknown> = {}): Promise<number> {
  const record = await value<{ id: number }>('patients.create', { patient: { ...patientCalls['patients.create'].example.patient, ...overrides }, confirmed: [] });
  return record.id;
}

describe('drafts', () => {
  it('creates a draft, saves lines with their frozen copy and French rendering, and lists it', async () => {
    await value('profile.save', validProfile);
    const patientId = await patient();
    const created = await value<Draft>('prescriptions.create', { patientId });
    expect(created).toMatchObject({ patientId, state: 'draft', version: 0, lines: [], renewalOf: null });
    const saved = await value<Draft>('prescriptions.save', { id: created.id, version: 0, lines: [amoxicilline(), paracetamol()] });
    expect(saved.version).toBe(1);
    expect(saved.lines.map((l) => l.drug?.cis)).toEqual(['69999001', '69999008']);
    expect(saved.lines[0]!.drug).toMatchObject({
      cis: '69999001',
      cip13: null,
      dciLabel: 'amoxicilline 500 mg, gélule',
      brand: 'CLAMOXYL 500 mg, gélule',
      form: 'gélule',
      flags: { listI: true, narcotic: false },
      referential: { demo: true },
    });
    expect(saved.lines[0]!.drug!.substances.map((s) => s.dci)).toContain('amoxicilline');
    expect(saved.lines[0]!.rendered).toMatch(/^amoxicilline 500 mg, gélule — 2 gélules matin et soir pendant 7 jours/);
    const again = await value<Draft>('prescriptions.get', { id: created.id });
    expect(again.lines).toEqual(saved.lines);
    const second = await value<Draft>('prescriptions.create', { patientId });
    const list = await value<{ id: number; labels: string[] }[]>('prescriptions.list', { patientId });
    expect(list.map((p) => p.id)).toEqual([second.id, created.id]);
    expect(list[1]!.labels).toEqual(['amoxicilline 500 mg, gélule', saved.lines[1]!.drug!.dciLabel]);
    expect(verifyAudit(app.db).ok).toBe(true);
    expect(app.db.prepare("SELECT action FROM audit_log WHERE subject LIKE 'prescription:%' ORDER BY seq").pluck().all()).toEqual([
      'prescription.draft.created',
      'prescription.draft.created',
    ]);
  });

  it('refuses a save naming another version, an unknown CIS, a pack of another drug, writing nothing', async () => {
    const patientId = await patient();
    const { id } = await value<Draft>('prescriptions.create', { patientId });
    await value<Draft>('prescriptions.save', { id, version: 0, lines: [amoxicilline()] });
    const before = changes();
    expect(await call('prescriptions.save', { id, version: 0, lines: [] })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('autre fenêtre') } });
    expect(await call('prescriptions.save', { id, version: 1, lines: [amoxicilline(), { ...paracetamol(), cis: '12345678' }] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'Ligne 2 : aucun médicament de code CIS 12345678 dans la base.', fields: { 'lines.1.cis': 'Code CIS inconnu.' } },
    });
    expect(await call('prescriptions.save', { id, version: 1, lines: [{ ...amoxicilline(key(5)), cip13: '3400000000000' }] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('prescriptions.save', { id, version: 1, lines: [amoxicilline(), amoxicilline()] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(changes()).toBe(before);
    expect((await value<Draft>('prescriptions.get', { id })).lines).toHaveLength(1);
  });

  it('keeps a line’s frozen copy when a new referential is installed, and a renewal freezes it again', async () => {
    const patientId = await patient();
    const { id } = await value<Draft>('prescriptions.create', { patientId });
    const first = await value<Draft>('prescriptions.save', { id, version: 0, lines: [amoxicilline(), { ...paracetamol(), cis: '69999038', posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 1 } } }] });
    const frozen = first.lines[0]!.drug!;

    // The next release renames CLAMOXYL and no longer has COUMADINE (69999038).
    const release = join(tmp.dir, `release${n}`);
    cpSync(SAMPLE, release, { recursive: true });
    for (const file of ['CIS_bdpm.txt', 'CIS_CIP_bdpm.txt', 'CIS_COMPO_bdpm.txt', 'CIS_CPD_bdpm.txt', 'CIS_GENER_bdpm.txt']) {
      const lines = readFileSync(join(release, file), 'latin1').split(/\r?\n/).filter((l) => !l.startsWith('69999038\t'));
      writeFileSync(join(release, file), lines.join('\r\n').replace('CLAMOXYL 500 mg, gélule', 'CLAMOXYL NOUVEAU 500 mg, gélule'), 'latin1');
    }
    const job = await app.tools.importBdpmFolder(release, '2026-02-20', { allowSmallRelease: true });
    expect(job.state).toBe('done');

    const reread = await value<Draft>('prescriptions.get', { id });
    expect(reread.lines[0]!.drug).toEqual(frozen);
    expect(reread.lines[1]!.drug!.brand).toBe('COUMADINE 5 mg, comprimé sécable');
    // Saving the same lines again keeps the copy: same key, same drug.
    const resaved = await value<Draft>('prescriptions.save', { id, version: 1, lines: first.lines.map((l) => l.line) });
    expect(resaved.lines[0]!.drug).toEqual(frozen);

    const renewed = await value<Draft>('prescriptions.renew', { id });
    expect(renewed).toMatchObject({ renewalOf: id, state: 'draft', patientId });
    expect(renewed.lines[0]!.drug!.brand).toBe('CLAMOXYL NOUVEAU 500 mg, gélule');
    expect(renewed.lines[0]!.drug!.referential.releaseDate).toBe('2026-02-20');
    expect(renewed.lines[0]!.line.key).not.toBe(first.lines[0]!.line.key);
    // COUMADINE is gone from the base: the old copy is kept, and a check says so.
    expect(renewed.lines[1]!.drug).toEqual(first.lines[1]!.drug);
    expect(renewed.checks.some((c) => c.lines.includes(1) && /base/.test(c.message))).toBe(true);
  });

  it('discards a draft with an audit row; a draft is not signed by hand (triggers)', async () => {
    const patientId = await patient();
    const a = await value<Draft>('prescriptions.create', { patientId });
    await value('prescriptions.discard', { id: a.id });
    expect(await call('prescriptions.get', { id: a.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(app.db.prepare("SELECT action FROM audit_log WHERE subject = ? ORDER BY seq DESC LIMIT 1").pluck().get(`prescription:${a.id}`)).toBe('prescription.draft.discarded');

    const b = await value<Draft>('prescriptions.create', { patientId });
    await value<Draft>('prescriptions.save', { id: b.id, version: 0, lines: [amoxicilline()] });
    // Signed only by `prescriptions.sign`, with its signature row (test/integration/signing.test.ts, which checks the freeze).
    expect(() => app.db.prepare("UPDATE prescriptions SET state = 'signed' WHERE id = ?").run(b.id)).toThrow(/signed with its signature/);
    expect(() => app.db.prepare("UPDATE prescriptions SET state = 'cancelled' WHERE id = ?").run(b.id)).toThrow(/only moves forward/);
    expect((await value<Draft>('prescriptions.get', { id: b.id })).state).toBe('draft');
  });
});

describe('favourites', () => {
  it('saves, lists by name and deletes; a name is taken once', async () => {
    const saved = await value<{ id: number; labels: string[] }>('favourites.save', { name: 'Angine', kind: 'line', lines: [amoxicilline()] });
    expect(saved.labels).toEqual(['amoxicilline 500 mg, gélule']);
    await value('favourites.save', { name: 'Douleur', kind: 'prescription', lines: [paracetamol(), amoxicilline()] });
    expect(await call('favourites.save', { name: 'angine', kind: 'line', lines: [paracetamol()] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await call('favourites.save', { name: 'Deux', kind: 'line', lines: [paracetamol(), amoxicilline()] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const list = await value<{ name: string }[]>('favourites.list', {});
    expect(list.map((f) => f.name)).toEqual(['Angine', 'Douleur']);
    await value('favourites.delete', { id: saved.id });
    expect((await value<{ name: string }[]>('favourites.list', {})).map((f) => f.name)).toEqual(['Douleur']);
  });
});

describe('exchange mode', () => {
  const document = {
    patient: { birthName: 'Martin', firstNames: 'Claire', sex: 'F', birthDate: '1980-04-12', weightKg: 64, allergies: [{ substance: 'Pénicillines' }], ald: [{ label: 'Diabète de type 2' }] },
    lines: [
      { cis: '69999001', dose: 1, unit: 'gélule', timesPerDay: 2, moments: ['matin', 'soir'], durationDays: 7 },
      { cip13: cip13Of('69999008'), dose: 1, unit: 'comprimé', timesPerDay: 3, asNeeded: true, maxPer24h: 3, durationDays: 5, ald: true },
    ],
  };

  function cip13Of(cis: string): string {
    const line = readFileSync(join(SAMPLE, 'CIS_CIP_bdpm.txt'), 'latin1').split(/\r?\n/).find((l) => l.startsWith(`${cis}\t`));
    return line!.split('\t')[6]!;
  }

  it('creates the patient, then matches them the next time, with the draft and its checks', async () => {
    const first = await value<{ id: number; patientId: number; patientCreated: boolean; checks: unknown[] }>('prescriptions.fromExchange', { document });
    expect(first.patientCreated).toBe(true);
    const draft = await value<Draft>('prescriptions.get', { id: first.id });
    expect(draft.lines.map((l) => l.drug?.cis)).toEqual(['69999001', '69999008']);
    expect(draft.lines[1]!.line).toMatchObject({ ald: true, cip13: document.lines[1]!.cip13 });
    const record = await value<{ allergies: { substance: string }[]; conditions: { ald: boolean }[]; weight: { value: number } }>('patients.get', { id: first.patientId });
    expect(record).toMatchObject({ allergies: [{ substance: 'Pénicillines' }], conditions: [{ ald: true }], weight: { value: 64 } });
    const second = await value<{ patientId: number; patientCreated: boolean }>('prescriptions.fromExchange', { document: { ...document, patient: { ...document.patient, birthName: 'MARTIN' } } });
    expect(second).toMatchObject({ patientId: first.patientId, patientCreated: false });
  });

  it('creates nothing for a wrong CIS, an unknown patient or a malformed line', async () => {
    const before = [count('patients'), count('prescriptions')];
    expect(await call('prescriptions.fromExchange', { document: { ...document, lines: [{ ...document.lines[0], cis: '99999999' }] } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('99999999') },
    });
    expect(await call('prescriptions.fromExchange', { document: { ...document, patient: { id: 4242 } } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('prescriptions.fromExchange', { document: { ...document, lines: [{ cis: '69999001', dose: 'deux', unit: 'gélule' }] } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('prescriptions.fromExchange', { document: { ...document, lines: [{ cis: '69999001', cip13: cip13Of('69999001'), dose: 1, unit: 'gélule' }] } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect([count('patients'), count('prescriptions')]).toEqual(before);
  });
});
