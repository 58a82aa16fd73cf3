/**
 * The patient form keeps what the GP typed as text (and ticks as booleans); these functions turn
 * it into the contract's input and back. Validation itself is the shared schema's.
 */
import type { CallInput } from '../../../shared/contract';
import { formatDate } from '../../../shared/domain/dates';
import type { IdentityDocument, Sex } from '../../../shared/domain/patient';
import type { PatientRecord } from '../../../shared/domain/patient-record';
import { formatNir } from '../../../shared/domain/nir';

type PatientInput = CallInput<'patients.create'>['patient'];

/**
 * What an allergy was matched to in the interaction rule set. `label` is what the GP read when
 * picking it (« Pénicillines »), kept for the form only: the record stores the kind and the name.
 * '' when the form was filled from a record (the name is then shown until the label is found).
 */
export interface AllergyCodeValues {
  kind: 'substance' | 'class';
  name: string;
  label: string;
}

export interface AllergyValues {
  kind: 'allergy' | 'intolerance';
  substance: string;
  reaction: string;
  code: AllergyCodeValues | null;
}

/** A substance of a long-term treatment, as the rule set names it, and as the GP read it. */
export interface TreatmentSubstanceValues {
  name: string;
  label: string;
}

export interface TreatmentValues {
  label: string;
  substances: TreatmentSubstanceValues[];
}

export interface ConditionValues {
  label: string;
  ald: boolean;
}

export interface PatientFormValues {
  birthName: string;
  usedName: string;
  firstNames: string;
  sex: Sex | '';
  birthDate: string;
  birthPlaceCode: string;
  nir: string;
  identityStatus: 'provisional' | 'verified';
  identityDocument: IdentityDocument | '';
  address: string;
  postalCode: string;
  city: string;
  phone: string;
  email: string;
  weightValue: string;
  weightOn: string;
  heightValue: string;
  heightOn: string;
  clearanceValue: string;
  clearanceOn: string;
  pregnant: boolean;
  pregnancyOn: string;
  breastfeeding: boolean;
  breastfeedingSince: string;
  dmpObjection: boolean;
  dmpObjectionOn: string;
  dispensingObjection: boolean;
  dispensingObjectionOn: string;
  allergies: AllergyValues[];
  conditions: ConditionValues[];
  treatments: TreatmentValues[];
}

export const emptyPatient: PatientFormValues = {
  birthName: '',
  usedName: '',
  firstNames: '',
  sex: '',
  birthDate: '',
  birthPlaceCode: '',
  nir: '',
  identityStatus: 'provisional',
  identityDocument: '',
  address: '',
  postalCode: '',
  city: '',
  phone: '',
  email: '',
  weightValue: '',
  weightOn: '',
  heightValue: '',
  heightOn: '',
  clearanceValue: '',
  clearanceOn: '',
  pregnant: false,
  pregnancyOn: '',
  breastfeeding: false,
  breastfeedingSince: '',
  dmpObjection: false,
  dmpObjectionOn: '',
  dispensingObjection: false,
  dispensingObjectionOn: '',
  allergies: [],
  conditions: [],
  treatments: [],
};

/** A measurement left entirely blank is "not measured"; half filled, the schema says what is missing. */
const measurement = (value: string, measuredOn: string) => (value.trim() === '' && measuredOn.trim() === '' ? null : { value, measuredOn });

export function toPatientInput(v: PatientFormValues): PatientInput {
  return {
    birthName: v.birthName,
    usedName: v.usedName,
    firstNames: v.firstNames,
    // '' is refused by the schema with its French message, like any other wrong value.
    sex: v.sex as Sex,
    birthDate: v.birthDate,
    birthPlaceCode: v.birthPlaceCode,
    nir: v.nir.trim() === '' ? null : v.nir,
    identityStatus: v.identityStatus,
    identityDocument: v.identityStatus === 'verified' && v.identityDocument !== '' ? v.identityDocument : null,
    address: v.address,
    postalCode: v.postalCode,
    city: v.city,
    phone: v.phone,
    email: v.email,
    weight: measurement(v.weightValue, v.weightOn),
    height: measurement(v.heightValue, v.heightOn),
    creatinineClearance: measurement(v.clearanceValue, v.clearanceOn),
    pregnancy: v.pregnant ? { startedOn: v.pregnancyOn } : null,
    breastfeeding: v.breastfeeding ? { since: v.breastfeedingSince } : null,
    dmpObjection: v.dmpObjection ? { recordedOn: v.dmpObjectionOn } : null,
    dispensingObjection: v.dispensingObjection ? { recordedOn: v.dispensingObjectionOn } : null,
    allergies: v.allergies.map((a) => ({ kind: a.kind, substance: a.substance, reaction: a.reaction, code: a.code === null ? null : { kind: a.code.kind, name: a.code.name } })),
    conditions: v.conditions,
    treatments: v.treatments.map((t) => ({ label: t.label, substanceNames: t.substances.map((s) => s.name) })),
  };
}

const decimal = (n: number) => String(n).replace('.', ',');

export function fromRecord(p: PatientRecord): PatientFormValues {
  return {
    birthName: p.birthName,
    usedName: p.usedName,
    firstNames: p.firstNames,
    sex: p.sex,
    birthDate: formatDate(p.birthDate),
    birthPlaceCode: p.birthPlaceCode,
    nir: p.nir === null ? '' : formatNir(p.nir),
    identityStatus: p.identityStatus,
    identityDocument: p.identityDocument ?? '',
    address: p.address,
    postalCode: p.postalCode,
    city: p.city,
    phone: p.phone,
    email: p.email,
    weightValue: p.weight ? decimal(p.weight.value) : '',
    weightOn: p.weight ? formatDate(p.weight.measuredOn) : '',
    heightValue: p.height ? decimal(p.height.value) : '',
    heightOn: p.height ? formatDate(p.height.measuredOn) : '',
    clearanceValue: p.creatinineClearance ? decimal(p.creatinineClearance.value) : '',
    clearanceOn: p.creatinineClearance ? formatDate(p.creatinineClearance.measuredOn) : '',
    pregnant: p.pregnancy !== null,
    pregnancyOn: p.pregnancy ? formatDate(p.pregnancy.startedOn) : '',
    breastfeeding: p.breastfeeding !== null,
    breastfeedingSince: p.breastfeeding ? formatDate(p.breastfeeding.since) : '',
    dmpObjection: p.dmpObjection !== null,
    dmpObjectionOn: p.dmpObjection ? formatDate(p.dmpObjection.recordedOn) : '',
    dispensingObjection: p.dispensingObjection !== null,
    dispensingObjectionOn: p.dispensingObjection ? formatDate(p.dispensingObjection.recordedOn) : '',
    allergies: p.allergies.map((a) => ({ kind: a.kind, substance: a.substance, reaction: a.reaction, code: a.code === null ? null : { ...a.code, label: '' } })),
    conditions: p.conditions.map((c) => ({ ...c })),
    treatments: p.treatments.map((t) => ({ label: t.label, substances: t.substanceNames.map((name) => ({ name, label: '' })) })),
  };
}

/** Schema error paths ("weight.value") → the form field that shows them. */
export const fieldOfPath: Record<string, keyof PatientFormValues> = {
  pregnancy: 'pregnant',
  'weight.value': 'weightValue',
  'weight.measuredOn': 'weightOn',
  'height.value': 'heightValue',
  'height.measuredOn': 'heightOn',
  'creatinineClearance.value': 'clearanceValue',
  'creatinineClearance.measuredOn': 'clearanceOn',
  'pregnancy.startedOn': 'pregnancyOn',
  'breastfeeding.since': 'breastfeedingSince',
  'dmpObjection.recordedOn': 'dmpObjectionOn',
  'dispensingObjection.recordedOn': 'dispensingObjectionOn',
};

/** Errors keyed by form field (list rows stay "allergies.0.substance"); server paths lose "patient.". */
export function formErrorsOf(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fields)) {
    const local = path.startsWith('patient.') ? path.slice('patient.'.length) : path;
    out[fieldOfPath[local] ?? local] ??= message;
  }
  return out;
}
