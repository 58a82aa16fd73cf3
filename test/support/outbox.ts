/**
 * Signed prescriptions in bulk for the DMP sync's tests and benchmark, made through the contract
 * calls a GP's screens make: each for its own patient, with a verified identity and an INS (a NIR
 * made from the patient's traits), so that each one's document may go to the DMP.
 */
import type { OrdoApp } from '../../electron/app';
import { patientCalls } from '../../shared/calls/patients';
import { nirKey } from '../../shared/domain/nir';
import type { LineInput } from '../../shared/domain/prescription';
import { callsOn } from './calls';
import { validProfile } from './fixtures';
import { letterCode } from './names';

const uuid = (prefix: string, i: number) => `${prefix}-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A NIR for patient `i` (distinct for i < 600,000), and the traits it is made from. */
export function insOf(i: number): { nir: string; sex: 'F' | 'M'; birthDate: string; birthPlaceCode: string } {
  const sex = i % 2 === 0 ? 'F' : 'M';
  const year = 1930 + (Math.floor(i / 12) % 60);
  const month = (i % 12) + 1;
  const order = 1 + Math.floor(i / 720);
  const mm = String(month).padStart(2, '0');
  const body = `${sex === 'F' ? 2 : 1}${String(year).slice(2)}${mm}69123${String(order % 1000).padStart(3, '0')}`;
  return { nir: `${body}${String(nirKey(body)).padStart(2, '0')}`, sex, birthDate: `1${i % 9}/${mm}/${year}`, birthPlaceCode: '69123' };
}

const line = (i: number): LineInput => ({
  kind: 'drug',
  key: uuid('0000000b', i),
  cis: '69999008',
  posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 3 }, asNeeded: true, maxPer24h: 3 },
  duration: { value: 5, unit: 'days' },
});

/**
 * Signs `count` prescriptions, numbered from `from` (distinct numbers give distinct patients).
 * `patient` adds or overrides fields of every patient (an objection, no NIR…).
 */
export async function signMany(app: OrdoApp, count: number, options: { from?: number; patient?: Record<string, unknown> } = {}): Promise<{ id: number; patientId: number }[]> {
  const { value } = callsOn(() => app);
  if ((await value<unknown>('profile.get', {})) === null) await value('profile.save', validProfile);
  const signed: { id: number; patientId: number }[] = [];
  const from = options.from ?? 0;
  for (let i = from; i < from + count; i++) {
    const ins = insOf(i);
    const patient = await value<{ id: number }>('patients.create', {
      patient: {
        ...patientCalls['patients.create'].example.patient,
        birthName: `Test${letterCode(i)}`,
        firstNames: 'Camille',
        sex: ins.sex,
        birthDate: ins.birthDate,
        birthPlaceCode: ins.birthPlaceCode,
        nir: ins.nir,
        allergies: [],
        conditions: [],
        ...options.patient,
      },
      confirmed: ['duplicate', 'nearDuplicate'],
    });
    const draft = await value<{ id: number; version: number }>('prescriptions.create', { patientId: patient.id });
    const saved = await value<{ id: number; version: number }>('prescriptions.save', { id: draft.id, version: draft.version, lines: [line(i)] });
    await value('prescriptions.sign', { id: saved.id, requestId: uuid('0000000a', i) });
    signed.push({ id: saved.id, patientId: patient.id });
  }
  return signed;
}
