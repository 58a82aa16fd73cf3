/**
 * Coded allergies and long-term treatments (migration 0010): what the GP codes goes through the
 * contract, is stored, read back and journalled, and reaches the prescription checks as they read
 * the patient; a wrong code is refused in French before anything is written; a register of
 * version 9 keeps its allergies as free text.
 */
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { verifyAudit } from '../../electron/audit/audit';
import { fixedClock } from '../../electron/clock';
import { migrate, schemaVersion } from '../../electron/db/migrate';
import { migrations } from '../../electron/db/migrations';
import { openSqlite } from '../../electron/db/open';
import type { Db } from '../../electron/db/types';
import { checkSchema } from '../../electron/diagnostic/schema';
import { dispatch } from '../../electron/dispatch';
import { insertPatient, readPatient } from '../../electron/patients/repository';
import { withWarnings } from '../../electron/patients/service';
import { syntheticPatients } from '../../electron/patients/synthetic';
import { checkPatientOf } from '../../electron/prescriptions/service';
import { patientCalls } from '../../shared/calls/patients';
import { patientInputSchema, type PatientInput } from '../../shared/domain/patient';
import { patientRecordSchema } from '../../shared/domain/patient-record';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-patient-codes-');
afterAll(() => tmp.remove());

const helene: PatientInput = { ...patientCalls['patients.create'].example.patient };
const coded: PatientInput = {
  ...helene,
  allergies: [
    { kind: 'allergy', substance: 'Pénicillines', reaction: 'Urticaire géante', code: { kind: 'class', name: 'PENICILLINES' } },
    // Free text, as before: no code given.
    { kind: 'intolerance', substance: 'Sparadrap', reaction: '' },
    { kind: 'allergy', substance: 'Amoxicilline', reaction: '', code: { kind: 'substance', name: 'AMOXICILLINE' } },
  ],
  treatments: [
    { label: 'Kardégic 75 mg', substanceNames: ['ACIDE ACETYLSALICYLIQUE'] },
    { label: 'Lévothyrox 75 µg' },
  ],
};

let app: OrdoApp;
let n = 0;
beforeEach(() => {
  app?.close();
  app = createApp({ dataDir: join(tmp.dir, `db${n++}`), mode: 'host', clock: fixedClock('2026-03-01T10:00:00Z') });
});
afterAll(() => app.close());

const call = (name: string, input: unknown) => dispatch(app.services, name, input);
const changes = () => app.db.prepare('SELECT total_changes()').pluck().get() as number;
const lastAudit = () => app.db.prepare('SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 1').get();

async function created(patient: PatientInput): Promise<number> {
  const result = await call('patients.create', { patient });
  if (!result.ok) throw new Error(`setup failed: ${result.error.message}`);
  return (result.value as { id: number }).id;
}

describe('coded allergies and long-term treatments through the contract', () => {
  it('creates, reads back and stores the codes and the treatments; an allergy without code stays free text', async () => {
    const id = await created(coded);
    const got = await call('patients.get', { id });
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(patientRecordSchema.parse(got.value)).toMatchObject({
      allergies: [
        { kind: 'allergy', substance: 'Pénicillines', reaction: 'Urticaire géante', code: { kind: 'class', name: 'PENICILLINES' } },
        { kind: 'intolerance', substance: 'Sparadrap', reaction: '', code: null },
        { kind: 'allergy', substance: 'Amoxicilline', reaction: '', code: { kind: 'substance', name: 'AMOXICILLINE' } },
      ],
      treatments: [
        { label: 'Kardégic 75 mg', substanceNames: ['ACIDE ACETYLSALICYLIQUE'] },
        { label: 'Lévothyrox 75 µg', substanceNames: [] },
      ],
    });
    expect(app.db.prepare('SELECT position, code_kind, code_name FROM patient_allergies WHERE patient_id = ? ORDER BY position').all(id)).toEqual([
      { position: 0, code_kind: 'class', code_name: 'PENICILLINES' },
      { position: 1, code_kind: null, code_name: null },
      { position: 2, code_kind: 'substance', code_name: 'AMOXICILLINE' },
    ]);
    expect(app.db.prepare('SELECT position, label, substance_names FROM patient_treatments WHERE patient_id = ? ORDER BY position').all(id)).toEqual([
      { position: 0, label: 'Kardégic 75 mg', substance_names: '["ACIDE ACETYLSALICYLIQUE"]' },
      { position: 1, label: 'Lévothyrox 75 µg', substance_names: '[]' },
    ]);
  });

  it('a record without codes or treatments reads back with null codes and no treatment', async () => {
    const id = await created(helene);
    const got = await call('patients.get', { id });
    expect(got.ok && got.value).toMatchObject({ allergies: [{ substance: 'Pénicillines', code: null }], treatments: [] });
    expect(app.db.prepare('SELECT count(*) FROM patient_treatments').pluck().get()).toBe(0);
  });

  it('updates replace the codes and treatments whole, journalled by field name only', async () => {
    const id = await created(coded);
    const update = {
      ...coded,
      // The class coding taken off, the free text kept.
      allergies: [{ kind: 'allergy', substance: 'Pénicillines', reaction: 'Urticaire géante', code: null }],
      treatments: [{ label: 'Eliquis 5 mg', substanceNames: ['APIXABAN'] }],
    };
    const updated = await call('patients.update', { id, patient: update });
    expect(updated).toMatchObject({
      ok: true,
      value: { allergies: [{ substance: 'Pénicillines', code: null }], treatments: [{ label: 'Eliquis 5 mg', substanceNames: ['APIXABAN'] }] },
    });
    expect(lastAudit()).toEqual({ action: 'patient.updated', details: '{"fields":["allergies","treatments"]}' });
    expect(app.db.prepare('SELECT count(*) FROM patient_treatments WHERE patient_id = ?').pluck().get(id)).toBe(1);
    expect(app.db.prepare('SELECT count(*) FROM patient_allergies WHERE patient_id = ?').pluck().get(id)).toBe(1);

    // Only a treatment's substances changed: the journal names that field alone.
    await call('patients.update', { id, patient: { ...update, treatments: [{ label: 'Eliquis 5 mg', substanceNames: [] }] } });
    expect(lastAudit()).toEqual({ action: 'patient.updated', details: '{"fields":["treatments"]}' });
    // Only a code changed (the text as it was).
    await call('patients.update', {
      id,
      patient: { ...update, treatments: [{ label: 'Eliquis 5 mg' }], allergies: [{ kind: 'allergy', substance: 'Pénicillines', reaction: 'Urticaire géante', code: { kind: 'class', name: 'PENICILLINES' } }] },
    });
    expect(lastAudit()).toEqual({ action: 'patient.updated', details: '{"fields":["allergies"]}' });

    // The same record again: nothing written, nothing journalled.
    const before = changes();
    const again = await call('patients.update', {
      id,
      patient: { ...update, treatments: [{ label: 'Eliquis 5 mg' }], allergies: [{ kind: 'allergy', substance: 'Pénicillines', reaction: 'Urticaire géante', code: { kind: 'class', name: 'PENICILLINES' } }] },
    });
    expect(again.ok).toBe(true);
    expect(changes()).toBe(before);
    expect(verifyAudit(app.db)).toEqual({ ok: true, entries: 4 });
  });

  it('the prescription checks read the codes and the treatments from the record', async () => {
    const id = await created(coded);
    const stored = readPatient(app.db, id);
    if (stored === null) throw new Error('setup failed');
    const patient = checkPatientOf(withWarnings(stored), '2026-03-01');
    expect(patient.allergies.map((a) => a.code)).toEqual([{ kind: 'class', name: 'PENICILLINES' }, null, { kind: 'substance', name: 'AMOXICILLINE' }]);
    expect(patient.treatments).toEqual([
      { label: 'Kardégic 75 mg', substanceNames: ['ACIDE ACETYLSALICYLIQUE'] },
      { label: 'Lévothyrox 75 µg', substanceNames: [] },
    ]);
    const plain = readPatient(app.db, await created({ ...helene, nir: null, birthName: 'Durand', firstNames: 'Anne' }));
    if (plain === null) throw new Error('setup failed');
    expect(checkPatientOf(withWarnings(plain), '2026-03-01')).toMatchObject({ allergies: [{ code: null }], treatments: [] });
  });
});

describe('a wrong code or treatment is refused in French, and nothing is written', () => {
  const refusals: [string, PatientInput, string, string][] = [
    [
      'a code of an unknown kind',
      { ...helene, allergies: [{ kind: 'allergy', substance: 'Pénicillines', reaction: '', code: { kind: 'molecule' as 'class', name: 'PENICILLINES' } }] },
      'patient.allergies.0.code.kind',
      'La codification doit être une substance ou une classe du thésaurus des interactions.',
    ],
    [
      'a name not spelled as the rule set spells it',
      { ...helene, allergies: [{ kind: 'allergy', substance: 'Pénicillines', reaction: '', code: { kind: 'class', name: 'Pénicillines' } }] },
      'patient.allergies.0.code.name',
      'Le nom de la substance ou classe codée doit être écrit comme le thésaurus des interactions le nomme (en majuscules).',
    ],
    [
      'an empty name',
      { ...helene, allergies: [{ kind: 'allergy', substance: 'Pénicillines', reaction: '', code: { kind: 'class', name: '  ' } }] },
      'patient.allergies.0.code.name',
      'Le nom de la substance ou classe codée est obligatoire.',
    ],
    [
      'a name past 200 characters',
      { ...helene, allergies: [{ kind: 'allergy', substance: 'Pénicillines', reaction: '', code: { kind: 'substance', name: 'A'.repeat(201) } }] },
      'patient.allergies.0.code.name',
      'Le nom de la substance ou classe codée ne doit pas dépasser 200 caractères.',
    ],
    ['a treatment without a label', { ...helene, treatments: [{ label: ' ', substanceNames: ['APIXABAN'] }] }, 'patient.treatments.0.label', 'L’intitulé du traitement est obligatoire.'],
    [
      'a treatment of 11 substances',
      { ...helene, treatments: [{ label: 'Polythérapie', substanceNames: Array.from({ length: 11 }, (_, i) => `SUBSTANCE ${i}`) }] },
      'patient.treatments.0.substanceNames',
      'Au plus 10 substances par traitement.',
    ],
    [
      'a treatment substance in lower case',
      { ...helene, treatments: [{ label: 'Eliquis', substanceNames: ['apixaban'] }] },
      'patient.treatments.0.substanceNames.0',
      'Le nom de la substance doit être écrit comme le thésaurus des interactions le nomme (en majuscules).',
    ],
    [
      'more than 50 treatments',
      { ...helene, treatments: Array.from({ length: 51 }, (_, i) => ({ label: `Traitement ${i}` })) },
      'patient.treatments',
      'Au plus 50 traitements au long cours.',
    ],
  ];

  it.each(refusals)('%s', async (_what, patient, field, message) => {
    const before = changes();
    const result = await call('patients.create', { patient });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    expect(result.error.fields?.[field]).toBe(message);
    expect(changes()).toBe(before);
    expect(app.db.prepare('SELECT count(*) FROM patients').pluck().get()).toBe(0);
  });

  it('an update with a wrong code leaves the stored record as it was', async () => {
    const id = await created(coded);
    const before = changes();
    const result = await call('patients.update', {
      id,
      patient: { ...coded, treatments: [], allergies: [{ kind: 'allergy', substance: 'Iode', reaction: '', code: { kind: 'molecule', name: 'IODE' } }] },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { 'patient.allergies.0.code.kind': expect.stringMatching(/^La codification/) } } });
    expect(changes()).toBe(before);
    expect(readPatient(app.db, id)?.treatments).toHaveLength(2);
  });

  it('the same codes, well formed, are accepted (the refusals above are not of the shape)', async () => {
    const ok = await call('patients.create', {
      patient: {
        ...helene,
        allergies: [{ kind: 'allergy', substance: 'Pénicillines', reaction: '', code: { kind: 'class', name: 'BETA-BLOQUANTS (SAUF ESMOLOL ET SOTALOL)' } }],
        treatments: [{ label: 'Polythérapie', substanceNames: Array.from({ length: 10 }, (_, i) => `SUBSTANCE ${i}`) }],
      },
    });
    expect(ok).toMatchObject({ ok: true, value: { allergies: [{ code: { name: 'BETA-BLOQUANTS (SAUF ESMOLOL ET SOTALOL)' } }], treatments: [{ substanceNames: expect.any(Array) }] } });
  });
});

describe('the table CHECKs of 0010 (a writer that bypasses the service)', () => {
  const withPatient = (): { db: Db; id: number } => {
    const db = app.db;
    const id = db.transaction(() => insertPatient(db, patientInputSchema.parse({ ...helene, nir: null, allergies: [] }), '2026-03-01T10:00:00.000Z'))();
    return { db, id };
  };
  const allergy = (db: Db, id: number, kind: string | null, name: string | null) =>
    db.prepare("INSERT INTO patient_allergies (patient_id, position, kind, substance, reaction, code_kind, code_name) VALUES (?, 0, 'allergy', 'x', '', ?, ?)").run(id, kind, name);
  const treatment = (db: Db, id: number, label: string, names: string) =>
    db.prepare('INSERT INTO patient_treatments (patient_id, position, label, substance_names) VALUES (?, 0, ?, ?)').run(id, label, names);

  it.each([
    ['an unknown kind', 'molecule', 'PENICILLINES'],
    ['a kind without a name', 'class', null],
    ['a name without a kind', null, 'PENICILLINES'],
    ['a lower-case name', 'class', 'penicillines'],
    ['an empty name', 'class', ' '],
    ['a name past 200 characters', 'substance', 'A'.repeat(201)],
  ])('refuses an allergy code with %s', (_what, kind, name) => {
    const { db, id } = withPatient();
    expect(() => allergy(db, id, kind, name)).toThrow(/CHECK constraint failed/);
  });

  it('accepts a coded allergy and a free-text one', () => {
    const { db, id } = withPatient();
    expect(() => allergy(db, id, 'class', 'PENICILLINES')).not.toThrow();
    db.prepare('DELETE FROM patient_allergies WHERE patient_id = ?').run(id);
    expect(() => allergy(db, id, null, null)).not.toThrow();
  });

  it.each([
    ['an object instead of an array', 'Eliquis', '{"name":"APIXABAN"}'],
    ['text that is not JSON', 'Eliquis', 'APIXABAN'],
    ['11 substances', 'Eliquis', JSON.stringify(Array.from({ length: 11 }, (_, i) => `S${i}`))],
    ['an empty label', '  ', '[]'],
    ['a label past 200 characters', 'x'.repeat(201), '[]'],
  ])('refuses a treatment with %s', (_what, label, names) => {
    const { db, id } = withPatient();
    expect(() => treatment(db, id, label, names)).toThrow(/CHECK constraint failed/);
  });

  it('accepts a treatment with substances, and one without', () => {
    const { db, id } = withPatient();
    expect(() => treatment(db, id, 'Eliquis 5 mg', '["APIXABAN"]')).not.toThrow();
    db.prepare('DELETE FROM patient_treatments WHERE patient_id = ?').run(id);
    expect(() => treatment(db, id, 'Lévothyrox', '[]')).not.toThrow();
  });

  it('a treatment goes with its patient (foreign key)', () => {
    const { db } = withPatient();
    expect(() => treatment(db, 999, 'Eliquis', '[]')).toThrow(/FOREIGN KEY/);
  });
});

describe('0010_patient_codes on a register of version 9', () => {
  it('keeps every allergy as free text (null codes), adds no treatment, and the schema is the one a fresh database has', () => {
    const db = openSqlite(join(tmp.dir, 'v9.db'));
    migrate(db, migrations.slice(0, 9));
    const at = '2026-01-01T00:00:00.000Z';
    const patients = [...syntheticPatients(200, 11)];
    db.transaction(() => {
      for (const p of patients) insertPatient(db, p, at);
    })();
    const before = db.prepare('SELECT patient_id, position, kind, substance, reaction FROM patient_allergies ORDER BY patient_id, position').all();
    expect(before.length).toBeGreaterThan(0);

    migrate(db, migrations.slice(0, 10));
    expect(schemaVersion(db)).toBe(10);
    expect(db.prepare('SELECT patient_id, position, kind, substance, reaction FROM patient_allergies ORDER BY patient_id, position').all()).toEqual(before);
    expect(db.prepare('SELECT count(*) FROM patient_allergies WHERE code_kind IS NOT NULL OR code_name IS NOT NULL').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM patient_treatments').pluck().get()).toBe(0);
    expect(checkSchema(db, 10)).toMatchObject({ ok: true, differences: [] });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);

    // Every record reads back as it was written, its allergies uncoded, no treatment.
    const ids = db.prepare('SELECT id FROM patients ORDER BY id').pluck().all() as number[];
    ids.forEach((id, i) => {
      const record = readPatient(db, id);
      expect(record?.allergies).toEqual(patients[i]!.allergies.map((a) => ({ ...a, code: null })));
      expect(record?.treatments).toEqual([]);
    });
    db.close();
  });

  it('refuses, on the existing rows, nothing: a version-9 allergy row of any text migrates', () => {
    const db = openSqlite(join(tmp.dir, 'v9-raw.db'));
    migrate(db, migrations.slice(0, 9));
    const id = db.transaction(() => insertPatient(db, patientInputSchema.parse({ ...helene, allergies: [] }), '2026-01-01T00:00:00.000Z'))();
    // As version 9 wrote it: no code columns at all.
    db.prepare("INSERT INTO patient_allergies (patient_id, position, kind, substance, reaction) VALUES (?, 0, 'intolerance', 'pénicilline (?)', 'urticaire')").run(id);
    expect(() => db.prepare('SELECT code_kind FROM patient_allergies').all()).toThrow(/no such column/);
    migrate(db, migrations);
    expect(readPatient(db, id)?.allergies).toEqual([{ kind: 'intolerance', substance: 'pénicilline (?)', reaction: 'urticaire', code: null }]);
    db.close();
  });
});
