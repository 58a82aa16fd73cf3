import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { verifyAudit } from '../../electron/audit/audit';
import { fixedClock } from '../../electron/clock';
import { dispatch, toErrorPayload } from '../../electron/dispatch';
import { insertPatient } from '../../electron/patients/repository';
import { withNirConflict } from '../../electron/patients/service';
import { patientCalls } from '../../shared/calls/patients';
import { patientInputSchema, type PatientInput } from '../../shared/domain/patient';
import { OrdoError } from '../../shared/errors';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-patients-');
afterAll(() => tmp.remove());

const helene: PatientInput = { ...patientCalls['patients.create'].example.patient };
let app: OrdoApp;
let n = 0;
beforeEach(() => {
  app?.close();
  app = createApp({ dataDir: join(tmp.dir, `db${n++}`), mode: 'host', clock: fixedClock('2026-03-01T10:00:00Z') });
});
afterAll(() => app.close());

const call = (name: string, input: unknown) => dispatch(app.services, name, input);
const changes = () => app.db.prepare('SELECT total_changes()').pluck().get() as number;

describe('patient register', () => {
  it('creates a record, reads it back whole, and journals it', async () => {
    const created = await call('patients.create', { patient: helene });
    expect(created).toMatchObject({ ok: true, value: { id: 1, birthName: 'Lefèvre', nir: '280037511203418', birthDate: '1980-03-14', warnings: [] } });
    const got = await call('patients.get', { id: 1 });
    expect(got.ok && got.value).toMatchObject({
      allergies: [{ kind: 'allergy', substance: 'Pénicillines', reaction: 'Urticaire géante' }],
      conditions: [{ label: 'Hypothyroïdie', ald: false }],
      weight: { value: 61.5, measuredOn: '2025-09-02' },
      identityStatus: 'verified',
      identityDocument: 'identity_card',
      createdAt: '2026-03-01T10:00:00.000Z',
    });
    expect(verifyAudit(app.db)).toEqual({ ok: true, entries: 1 });
    expect(app.db.prepare('SELECT action, subject, details FROM audit_log').get()).toEqual({
      action: 'patient.created',
      subject: 'patient:1',
      details: '{"confirmed":[]}',
    });
  });

  it('refuses a NIR already held by another patient, writing nothing', async () => {
    await call('patients.create', { patient: helene });
    const before = changes();
    const other = { ...helene, birthName: 'Durand', firstNames: 'Anne' };
    const result = await call('patients.create', { patient: other });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: 'Ce NIR est déjà enregistré pour un autre patient : LEFÈVRE Hélène Marie, née le 14/03/1980.',
        fields: { 'patient.nir': 'Ce NIR est déjà enregistré pour un autre patient.' },
      },
    });
    expect(changes()).toBe(before);
  });

  it('answers CONFLICT, not DATABASE_ERROR, when a NIR gets past the check (another writer on the file)', async () => {
    await call('patients.create', { patient: helene });
    const other = patientInputSchema.parse({ ...helene, birthName: 'Durand', firstNames: 'Anne' });
    // What the service's write does once another process has inserted the same NIR after the check.
    const racedWrite = () => app.db.transaction(() => insertPatient(app.db, other, '2026-03-01T10:00:00.000Z'))();
    let raw: unknown;
    try {
      racedWrite();
    } catch (error) {
      raw = error;
    }
    expect(toErrorPayload(raw, 'patients.create').code).toBe('DATABASE_ERROR');
    let mapped: unknown;
    try {
      withNirConflict(racedWrite);
    } catch (error) {
      mapped = error;
    }
    expect(mapped).toBeInstanceOf(OrdoError);
    expect(toErrorPayload(mapped, 'patients.create')).toEqual({
      code: 'CONFLICT',
      message: 'Ce NIR est déjà enregistré pour un autre patient.',
      fields: { 'patient.nir': 'Ce NIR est déjà enregistré pour un autre patient.' },
    });
    // Any other database failure is left as it is.
    expect(() => withNirConflict(() => app.db.prepare("INSERT INTO patients (sex) VALUES ('X')").run())).toThrow(/constraint/);
    expect(app.db.prepare('SELECT count(*) FROM patients').pluck().get()).toBe(1);
  });

  it('refuses a NIR taken by another patient on update too, inside the write transaction', async () => {
    await call('patients.create', { patient: helene });
    const created = await call('patients.create', { patient: { ...helene, birthName: 'Durand', firstNames: 'Anne', nir: null } });
    if (!created.ok) throw new Error('setup failed');
    const id = (created.value as { id: number }).id;
    const before = changes();
    const result = await call('patients.update', { id, patient: { ...helene, birthName: 'Durand', firstNames: 'Anne' } });
    expect(result.ok ? null : result.error.code).toBe('CONFLICT');
    expect(changes()).toBe(before);
    expect(app.db.inTransaction).toBe(false);
  });

  it('asks before creating a second patient with the same names and date of birth', async () => {
    await call('patients.create', { patient: helene });
    const before = changes();
    const twin = { ...helene, birthName: 'LEFEVRE', firstNames: 'helene marie', nir: null };
    const asked = await call('patients.create', { patient: twin });
    expect(asked).toMatchObject({ ok: false, error: { code: 'NEEDS_CONFIRMATION', message: expect.stringContaining('LEFÈVRE Hélène Marie, née le 14/03/1980') } });
    expect(changes()).toBe(before);
    const confirmed = await call('patients.create', { patient: twin, confirmed: ['duplicate'] });
    expect(confirmed).toMatchObject({ ok: true, value: { id: 2 } });
    // Editing the confirmed twin without touching its identity does not ask again.
    expect(await call('patients.update', { id: 2, patient: { ...twin, city: 'Villeurbanne' } })).toMatchObject({ ok: true, value: { city: 'Villeurbanne' } });
  });

  it('updates a record, replaces its lists, and journals which fields changed (not their values)', async () => {
    await call('patients.create', { patient: helene });
    const updated = await call('patients.update', {
      id: 1,
      patient: { ...helene, usedName: 'Martin', allergies: [], conditions: [{ label: 'Diabète de type 2', ald: true }], dmpObjection: { recordedOn: '01/03/2026' } },
    });
    expect(updated).toMatchObject({ ok: true, value: { usedName: 'Martin', allergies: [], conditions: [{ label: 'Diabète de type 2', ald: true }], dmpObjection: { recordedOn: '2026-03-01' } } });
    const last = app.db.prepare('SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    expect(last).toEqual({ action: 'patient.updated', details: '{"fields":["usedName","dmpObjection","allergies","conditions"]}' });
    // Search follows the new name at once.
    expect(await call('patients.search', { query: 'martin helene' })).toMatchObject({ ok: true, value: { results: [{ id: 1 }] } });
    // Saving the same record again changes nothing and journals nothing.
    const before = changes();
    await call('patients.update', { id: 1, patient: { ...helene, usedName: 'Martin', allergies: [], conditions: [{ label: 'Diabète de type 2', ald: true }], dmpObjection: { recordedOn: '2026-03-01' } } });
    expect(changes()).toBe(before);
  });

  it('answers NOT_FOUND for an unknown patient', async () => {
    expect(await call('patients.get', { id: 42 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('patients.update', { id: 42, patient: helene })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses dates in the future against the clock, with the field path the form uses', async () => {
    const result = await call('patients.create', { patient: { ...helene, nir: null, weight: null, height: null, birthDate: '02/03/2026' } });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'Certaines informations sont invalides. Corrigez les champs signalés.',
        fields: { 'patient.birthDate': 'La date de naissance ne peut pas être dans le futur.' },
      },
    });
  });

  it('asks before saving a NIR that contradicts the record, then keeps it and says so', async () => {
    const before = changes();
    const patient = { ...helene, sex: 'M', birthDate: '14/04/1980' };
    const asked = await call('patients.create', { patient });
    expect(asked).toEqual({
      ok: false,
      error: {
        code: 'NEEDS_CONFIRMATION',
        message:
          'Le NIR indique le sexe féminin alors que la fiche indique masculin : vérifiez. Le NIR indique le mois de naissance 03 alors que la fiche indique 04 : vérifiez. Confirmez-vous ces informations ?',
        fields: {
          'confirm.nirMismatch':
            'Le NIR indique le sexe féminin alors que la fiche indique masculin : vérifiez. Le NIR indique le mois de naissance 03 alors que la fiche indique 04 : vérifiez.',
        },
      },
    });
    expect(changes()).toBe(before);
    const result = await call('patients.create', { patient, confirmed: ['nirMismatch'] });
    expect(result).toMatchObject({
      ok: true,
      value: {
        warnings: [
          'Le NIR indique le sexe féminin alors que la fiche indique masculin : vérifiez.',
          'Le NIR indique le mois de naissance 03 alors que la fiche indique 04 : vérifiez.',
        ],
      },
    });
    // Confirmed once: an edit that keeps the contradiction does not ask again.
    expect(await call('patients.update', { id: 1, patient: { ...patient, city: 'Bron' } })).toMatchObject({ ok: true, value: { city: 'Bron' } });
    expect(app.db.prepare("SELECT details FROM audit_log WHERE action = 'patient.created'").pluck().get()).toBe('{"confirmed":["nirMismatch"]}');
  });

  it('refuses, in French and writing nothing, what a record can never hold', async () => {
    const base = { ...helene, nir: null, weight: null, height: null };
    const before = changes();
    const cases: [unknown, Record<string, string>][] = [
      [{ ...base, sex: 'M', pregnancy: { startedOn: '01/02/2026' } }, { 'patient.pregnancy': 'Un patient de sexe masculin ne peut pas être enceinte : corrigez le sexe ou décochez « Enceinte ».' }],
      [{ ...base, height: { value: '1,78', measuredOn: '01/02/2026' } }, { 'patient.height.value': 'La taille s’exprime en centimètres : 178 pour 1,78 m.' }],
      [{ ...base, height: { value: 260, measuredOn: '01/02/2026' } }, { 'patient.height.value': 'La taille doit être comprise entre 20 et 250 cm.' }],
      [{ ...base, weight: { value: '0,2', measuredOn: '01/02/2026' } }, { 'patient.weight.value': 'Le poids doit être compris entre 0,3 et 500 kg.' }],
      [{ ...base, weight: { value: 501, measuredOn: '01/02/2026' } }, { 'patient.weight.value': 'Le poids doit être compris entre 0,3 et 500 kg.' }],
      [{ ...base, firstNames: '' }, { 'patient.firstNames': 'Les prénoms sont obligatoires.' }],
    ];
    for (const [patient, fields] of cases) {
      const result = await call('patients.create', { patient });
      expect(result, JSON.stringify(patient)).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: expect.any(String), fields } });
    }
    // With the service's clock (2026-03-01): a pregnancy of more than 44 weeks, or not begun yet.
    expect(await call('patients.create', { patient: { ...base, pregnancy: { startedOn: '26/04/2025' } } })).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'Certaines informations sont invalides. Corrigez les champs signalés.',
        fields: {
          'patient.pregnancy.startedOn':
            'Une grossesse ne dure pas plus de 44 semaines : vérifiez la date de début, ou décochez « Enceinte » si la grossesse est terminée.',
        },
      },
    });
    expect(await call('patients.create', { patient: { ...base, pregnancy: { startedOn: '02/03/2026' } } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { 'patient.pregnancy.startedOn': 'Cette date ne peut pas être dans le futur.' } },
    });
    expect(await call('patients.create', { patient: { ...base, pregnancy: { startedOn: '27/04/2025' } } })).toMatchObject({ ok: true });
    // Refused on update too, and the stored record is unchanged.
    const stored = await call('patients.get', { id: 1 });
    expect(await call('patients.update', { id: 1, patient: { ...base, sex: 'M', pregnancy: { startedOn: '27/04/2025' } } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await call('patients.get', { id: 1 })).toEqual(stored);
    expect(changes()).toBeGreaterThan(before);
  });

  it('asks before a birth before 1900 or a pregnancy outside 10–60 years of age, every warning at once', async () => {
    const before = changes();
    const patient = { ...helene, nir: null, birthDate: '01/06/1899', pregnancy: { startedOn: '01/02/2026' } };
    const asked = await call('patients.create', { patient });
    expect(asked).toMatchObject({
      ok: false,
      error: {
        code: 'NEEDS_CONFIRMATION',
        fields: {
          'confirm.birthBefore1900': 'La date de naissance est antérieure à 1900 (1899) : vérifiez l’année.',
          'confirm.pregnancyAge': 'La patiente avait 126 ans au début de la grossesse (habituellement entre 10 et 60 ans) : vérifiez les dates.',
        },
      },
    });
    expect(changes()).toBe(before);
    // Confirming one is not confirming both.
    expect(await call('patients.create', { patient, confirmed: ['birthBefore1900'] })).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_CONFIRMATION', message: expect.stringMatching(/^La patiente avait 126 ans/) },
    });
    expect(changes()).toBe(before);
    expect(await call('patients.create', { patient, confirmed: ['birthBefore1900', 'pregnancyAge'] })).toMatchObject({ ok: true, value: { birthDate: '1899-06-01' } });
    // An unknown confirmation is refused by the contract.
    expect(await call('patients.create', { patient, confirmed: ['everything'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('asks before creating a near duplicate: same birth name, date and sex, first names that start alike', async () => {
    const dupont = { birthName: 'DUPONT', firstNames: 'Jean Pierre Marie', sex: 'M', birthDate: '02/02/1950' };
    expect(await call('patients.create', { patient: dupont })).toMatchObject({ ok: true, value: { id: 1 } });
    const before = changes();
    const near = { birthName: 'Dupont', firstNames: 'Jean', sex: 'M', birthDate: '02/02/1950' };
    expect(await call('patients.create', { patient: near })).toEqual({
      ok: false,
      error: {
        code: 'NEEDS_CONFIRMATION',
        message:
          'Un patient très proche existe déjà (même nom de naissance, même date de naissance, même sexe, prénoms voisins) : DUPONT Jean Pierre Marie, né le 02/02/1950. S’agit-il bien d’une autre personne ?',
        fields: {
          'confirm.nearDuplicate':
            'Un patient très proche existe déjà (même nom de naissance, même date de naissance, même sexe, prénoms voisins) : DUPONT Jean Pierre Marie, né le 02/02/1950.',
        },
      },
    });
    expect(changes()).toBe(before);
    // Another first name, another sex or another day: no question.
    expect(await call('patients.create', { patient: { ...near, firstNames: 'Pierre' } })).toMatchObject({ ok: true });
    expect(await call('patients.create', { patient: { ...near, sex: 'F', firstNames: 'Jeanne' } })).toMatchObject({ ok: true });
    expect(await call('patients.create', { patient: { ...near, birthDate: '03/02/1950' } })).toMatchObject({ ok: true });
    const confirmed = await call('patients.create', { patient: near, confirmed: ['nearDuplicate'] });
    expect(confirmed).toMatchObject({ ok: true });
    // An update that makes a record a near duplicate asks too.
    const other = await call('patients.create', { patient: { ...near, birthName: 'Durand' } });
    const otherId = other.ok ? (other.value as { id: number }).id : 0;
    expect(await call('patients.update', { id: otherId, patient: { ...near, firstNames: 'Jean Paul' } })).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_CONFIRMATION' },
    });
  });

  it('the schema refuses what must never be stored, even written directly', () => {
    const insert = (columns: Record<string, unknown>) => {
      const row = {
        birth_name: 'X', first_names: 'Y', sex: 'F', birth_date: '1980-01-01', identity_status: 'provisional', identity_key: 'k', sort_key: 'k',
        created_at: 'now', updated_at: 'now', ...columns,
      };
      const names = Object.keys(row);
      return () => app.db.prepare(`INSERT INTO patients (${names.join(', ')}) VALUES (${names.map((c) => `@${c}`).join(', ')})`).run(row);
    };
    expect(insert({})).not.toThrow();
    for (const bad of [
      { nir: '28003751120341' },
      { nir: '38003751120341X' },
      { sex: 'X' },
      { birth_date: '1980-02-30' },
      { birth_date: '14/03/1980' },
      { birth_date: '1980-13-01' },
      { weight_kg: 0, weight_measured_on: '2020-01-01' },
      { weight_kg: 70 },
      { weight_measured_on: '2020-01-01' },
      { height_cm: 400, height_measured_on: '2020-01-01' },
      { identity_status: 'verified' },
      { identity_status: 'provisional', identity_document: 'passport' },
      { postal_code: '6900' },
      { birth_name: '  ' },
      { pregnancy_started_on: '2020-13-01' },
    ]) {
      expect(insert(bad), JSON.stringify(bad)).toThrow(/CHECK constraint/);
    }
  });
});
