/**
 * `ordo demo-seed`: a demonstration data folder, made through the contract calls the screens use
 * (so everything in it was validated and checked as a GP's own): a demo prescriber profile, five
 * synthetic patients and five signed prescriptions, one of each kind the paper copy prints
 * differently (plain; bizone ALD; narcotic; child with weight; non-substitutable MTE). Drugs come
 * from the demonstration referential (assets/bdpm-sample), the one every new data folder has.
 */
import type { CallInput, CallName, CallOutput } from '../../shared/contract';
import { nirKey } from '../../shared/domain/nir';
import type { PatientInput } from '../../shared/domain/patient';
import type { LineInput } from '../../shared/domain/prescription';
import type { PrescriberProfileInput } from '../../shared/domain/profile';
import { OrdoError } from '../../shared/errors';
import type { ServiceTable } from '../dispatch';
import { dispatch } from '../dispatch';

export const DEMO_PROFILE: PrescriberProfileInput = {
  lastName: 'Démo',
  firstName: 'Camille',
  specialty: 'Médecin généraliste',
  rpps: '10003154589',
  amNumber: '751234568',
  practiceName: 'Cabinet de démonstration Ordo',
  address: '12 rue des Lilas',
  postalCode: '69003',
  city: 'Lyon',
  phone: '04 78 00 00 00',
  email: 'cabinet.demo@exemple.fr',
};

export const demoKinds = ['plain', 'bizoneAld', 'narcotic', 'childWithWeight', 'nonSubstitutableMte'] as const;
export type DemoKind = (typeof demoKinds)[number];

export interface DemoPrescription {
  kind: DemoKind;
  id: number;
  rxId: string;
  patientId: number;
}

const base: Omit<PatientInput, 'birthName' | 'firstNames' | 'sex' | 'birthDate'> = {
  usedName: '',
  identityStatus: 'provisional',
  address: '',
  postalCode: '',
  city: 'Lyon',
  phone: '',
  email: '',
  weight: null,
  height: null,
  creatinineClearance: null,
  pregnancy: null,
  breastfeeding: null,
  dmpObjection: null,
  dispensingObjection: null,
  allergies: [],
  conditions: [],
};

/**
 * A verified identity with its INS (what the DMP requires, DOMAIN §3): a NIR made from the
 * patient's sex, birth month and place (synthetic order number), and the identity card seen.
 */
function verifiedIns(p: { sex: 'F' | 'M'; birthDate: string }, birthPlaceCode: string, order: number) {
  const [, month, year] = p.birthDate.split('/');
  const body = `${p.sex === 'F' ? 2 : 1}${year!.slice(2)}${month}${birthPlaceCode}${String(order).padStart(3, '0')}`;
  return { nir: `${body}${String(nirKey(body)).padStart(2, '0')}`, birthPlaceCode, identityStatus: 'verified' as const, identityDocument: 'identity_card' as const };
}

let keys = 0;
const key = () => `d3e00000-0000-4000-8000-${String(++keys).padStart(12, '0')}`;
const perDay = (times: number) => ({ kind: 'perDay' as const, times });

/** The five prescriptions: who, and what. `day` is the seed's day (ISO), for dated facts. */
function scenarios(day: string): { kind: DemoKind; patient: PatientInput; lines: LineInput[] }[] {
  const [y, m, d] = day.split('-');
  const fr = `${d}/${m}/${y}`;
  const childYear = Number(y) - 7;
  return [
    {
      kind: 'plain',
      patient: { ...base, ...verifiedIns({ sex: 'F', birthDate: '02/11/1991' }, '69123', 101), birthName: 'Moreau', firstNames: 'Chloé', sex: 'F', birthDate: '02/11/1991', dmpObjection: { recordedOn: fr } },
      lines: [
        { kind: 'drug', key: key(), cis: '69999008', posology: { dose: 1, unit: 'comprimé', frequency: perDay(3), asNeeded: true, maxPer24h: 3 }, duration: { value: 5, unit: 'days' } },
        { kind: 'drug', key: key(), cis: '69999016', posology: { dose: 1, unit: 'comprimé', frequency: perDay(3), asNeeded: true, maxPer24h: 6 }, duration: { value: 5, unit: 'days' }, instructions: 'Laisser fondre sous la langue.' },
      ],
    },
    {
      kind: 'bizoneAld',
      patient: {
        ...base,
        ...verifiedIns({ sex: 'F', birthDate: '14/03/1958' }, '42218', 102),
        birthName: 'Garnier',
        usedName: 'Lefèvre',
        firstNames: 'Hélène Marie',
        sex: 'F',
        birthDate: '14/03/1958',
        weight: { value: '72', measuredOn: fr },
        conditions: [{ label: 'Diabète de type 2', ald: true }],
        dispensingObjection: { recordedOn: fr },
      },
      lines: [
        { kind: 'drug', key: key(), cis: '69999023', posology: { dose: 1, unit: 'comprimé', frequency: perDay(2), moments: ['matin', 'soir'] }, duration: { value: 3, unit: 'months' }, ald: true, instructions: 'Au milieu des repas.' },
        { kind: 'drug', key: key(), cis: '69999025', posology: { dose: 1, unit: 'comprimé', frequency: perDay(1), moments: ['soir'] }, duration: { value: 3, unit: 'months' }, ald: true },
        { kind: 'drug', key: key(), cis: '69999012', posology: { dose: 1, unit: 'comprimé', frequency: perDay(3), asNeeded: true, maxPer24h: 3 }, duration: { value: 5, unit: 'days' } },
      ],
    },
    {
      kind: 'narcotic',
      patient: { ...base, ...verifiedIns({ sex: 'M', birthDate: '21/06/1949' }, '2A004', 103), birthName: 'Rousseau', firstNames: 'Jean-Pierre', sex: 'M', birthDate: '21/06/1949', weight: { value: '68', measuredOn: fr } },
      lines: [
        { kind: 'drug', key: key(), cis: '69999031', posology: { dose: 1, unit: 'gélule', frequency: perDay(2), moments: ['matin', 'soir'] }, duration: { value: 28, unit: 'days' } },
        { kind: 'drug', key: key(), cis: '69999042', posology: { dose: 1, unit: 'sachet', frequency: perDay(1), moments: ['matin'] }, duration: { value: 28, unit: 'days' } },
      ],
    },
    {
      kind: 'childWithWeight',
      patient: { ...base, ...verifiedIns({ sex: 'M', birthDate: `09/04/${childYear}` }, '69123', 104), birthName: 'Nguyen', firstNames: 'Léo', sex: 'M', birthDate: `09/04/${childYear}`, weight: { value: '22,5', measuredOn: fr } },
      lines: [{ kind: 'drug', key: key(), cis: '69999009', posology: { dose: 1, unit: 'gélule', frequency: perDay(3), asNeeded: true, maxPer24h: 3 }, duration: { value: 3, unit: 'days' }, instructions: 'Espacer les prises d’au moins 6 heures.' }],
    },
    {
      kind: 'nonSubstitutableMte',
      patient: { ...base, ...verifiedIns({ sex: 'F', birthDate: '30/09/1966' }, '38185', 105), birthName: 'Dubois', firstNames: 'Françoise', sex: 'F', birthDate: '30/09/1966', conditions: [{ label: 'Hypothyroïdie', ald: false }] },
      lines: [{ kind: 'drug', key: key(), cis: '69999018', posology: { dose: 1, unit: 'comprimé', frequency: perDay(1), moments: ['matin'] }, duration: { value: 1, unit: 'months' }, renewals: 5, nonSubstitution: 'MTE', instructions: 'À jeun, 30 minutes avant le petit déjeuner.' }],
    },
  ];
}

async function value<N extends CallName>(services: ServiceTable, name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await dispatch(services, name, input);
  if (!result.ok) throw new OrdoError(result.error.code, `${name} : ${result.error.message}`, result.error.fields);
  return result.value as CallOutput<N>;
}

/** Fills a new data folder (no profile, no prescription yet) and answers the five prescriptions. */
export async function seedDemo(services: ServiceTable, now: Date, requestId: () => string = () => crypto.randomUUID()): Promise<DemoPrescription[]> {
  const profile = await value(services, 'profile.get', {});
  if (profile !== null) throw new OrdoError('CONFLICT', 'Ce dossier de données a déjà un profil de prescripteur : « ordo demo-seed » ne remplit qu’un dossier neuf (--data-dir).');
  await value(services, 'profile.save', DEMO_PROFILE);
  const out: DemoPrescription[] = [];
  const day = now.toISOString().slice(0, 10);
  for (const s of scenarios(day)) {
    const patient = await value(services, 'patients.create', { patient: s.patient, confirmed: ['duplicate', 'nearDuplicate'] });
    const draft = await value(services, 'prescriptions.create', { patientId: patient.id });
    const saved = await value(services, 'prescriptions.save', { id: draft.id, version: draft.version, lines: s.lines, overrides: [] });
    if (!saved.readyToSign) {
      const standing = saved.checks.filter((c) => c.blocking && c.override === null).map((c) => c.message);
      throw new OrdoError('CONFLICT', `La démonstration « ${s.kind} » ne peut pas être signée : ${standing.join(' ')}`);
    }
    const signed = await value(services, 'prescriptions.sign', { id: saved.id, requestId: requestId() });
    out.push({ kind: s.kind, id: signed.id, rxId: signed.signature!.rxId, patientId: patient.id });
  }
  return out;
}
