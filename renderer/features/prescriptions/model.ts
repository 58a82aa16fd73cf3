/**
 * A line as the screen edits it: the fields as typed (a dose « 1/2 » stays « 1/2 » while the GP
 * types), turned into the contract's Line at each save. Pure, so the conversions are unit-tested.
 */
import type { DraftLine, Favourite } from '../../../shared/calls/prescriptions';
import type { DrugFlags } from '../../../shared/domain/drugs';
import { defaultPosology } from '../../../shared/domain/dose-units';
import {
  lineFlagNames,
  type DoseUnit,
  type DurationUnit,
  type FrozenDrug,
  type Line,
  type LineFlagName,
  type Moment,
  type NonSubstitutionReason,
  type Posology,
} from '../../../shared/domain/prescription';
import { fr } from '../../i18n/fr';
import { formatDose, parseDose } from './dose';

const t = fr.prescriptions.errors;

export type FrequencyKind = 'perDay' | 'perWeek' | 'everyHours';

export interface LineState {
  key: string;
  kind: 'drug' | 'free';
  /** Drug lines: the referential's codes. */
  cis: string;
  cip13: string | null;
  /** What the screen shows before the server's rendering: the DCI label (drug) as chosen. */
  label: string;
  /** The specialty's name, for « Afficher le nom de marque ». */
  brand: string;
  form: string;
  /** The search's flags, until the frozen copy comes back with the first save. */
  drugFlags: DrugFlags | null;
  /** Free lines: what the referential lacks. */
  text: string;
  showBrand: boolean;
  /** Free lines may go without a structured posology (the text says it). */
  hasPosology: boolean;
  dose: string;
  unit: DoseUnit;
  frequencyKind: FrequencyKind;
  frequencyValue: string;
  moments: readonly Moment[];
  asNeeded: boolean;
  maxPer24h: string;
  route: string;
  instructions: string;
  durationValue: string;
  durationUnit: DurationUnit;
  packs: string;
  renewals: number;
  nonSubstitution: NonSubstitutionReason | null;
  ald: boolean;
  lineFlags: Readonly<Record<LineFlagName, boolean>>;
}

/** Field paths as the contract names them under `lines.<n>.` (INVALID_INPUT `fields`). */
export type LineField =
  | 'cis'
  | 'text'
  | 'posology.dose'
  | 'posology.frequency'
  | 'posology.maxPer24h'
  | 'posology.moments'
  | 'duration.value'
  | 'packs'
  | 'renewals'
  | 'nonSubstitution'
  | 'instructions'
  | 'line';

export type LineErrors = Partial<Record<LineField, string>>;

const noFlags = (): Record<LineFlagName, boolean> => ({ workAccident: false, prevention: false, nonReimbursable: false, offLabel: false });

function posologyFields(p: Posology | null, fallbackUnit: DoseUnit) {
  if (p === null) {
    return { hasPosology: false, dose: '1', unit: fallbackUnit, frequencyKind: 'perDay' as const, frequencyValue: '1', moments: [], asNeeded: false, maxPer24h: '', route: '' };
  }
  const f = p.frequency;
  return {
    hasPosology: true,
    dose: formatDose(p.dose),
    unit: p.unit,
    frequencyKind: f.kind,
    frequencyValue: String(f.kind === 'everyHours' ? f.hours : f.times),
    moments: [...p.moments],
    asNeeded: p.asNeeded,
    maxPer24h: p.maxPer24h === null ? '' : String(p.maxPer24h).replace('.', ','),
    route: p.route ?? '',
  };
}

function commonFields(line: Line) {
  return {
    key: line.key,
    instructions: line.instructions,
    durationValue: line.duration === null ? '' : String(line.duration.value),
    durationUnit: line.duration?.unit ?? ('days' as const),
    packs: line.packs === null ? '' : String(line.packs),
    renewals: line.renewals,
    nonSubstitution: line.nonSubstitution,
    ald: line.ald,
    lineFlags: { ...noFlags(), ...line.flags },
  };
}

/** A stored line (a draft reopened, a favourite inserted) as the screen edits it. */
export function stateOfLine(line: Line, drug: FrozenDrug | null, label = ''): LineState {
  if (line.kind === 'free') {
    return {
      kind: 'free',
      cis: '',
      cip13: null,
      label: line.text,
      brand: '',
      form: '',
      drugFlags: null,
      text: line.text,
      showBrand: false,
      ...posologyFields(line.posology, 'unité'),
      ...commonFields(line),
    };
  }
  return {
    kind: 'drug',
    cis: line.cis,
    cip13: line.cip13,
    label: drug?.dciLabel ?? label,
    brand: drug?.brand ?? '',
    form: drug?.form ?? '',
    drugFlags: drug?.flags ?? null,
    text: '',
    showBrand: line.showBrand,
    ...posologyFields(line.posology, line.posology.unit),
    ...commonFields(line),
  };
}

export const stateOfDraftLine = (l: DraftLine): LineState => stateOfLine(l.line, l.drug);

/** A drug just picked: the posology the form suggests (shared/domain/dose-units.ts). */
export function newDrugLine(key: string, drug: { cis: string; name: string; form: string; dciLabel: string; flags: DrugFlags }): LineState {
  return {
    kind: 'drug',
    cis: drug.cis,
    cip13: null,
    label: drug.dciLabel,
    brand: drug.name,
    form: drug.form,
    drugFlags: drug.flags,
    text: '',
    showBrand: false,
    ...posologyFields(defaultPosology(drug.form, { substances: drug.dciLabel, name: drug.name }), 'unité'),
    ...blankCommon(key),
  };
}

const blankCommon = (key: string) => ({
  key,
  instructions: '',
  durationValue: '',
  durationUnit: 'days' as const,
  packs: '',
  renewals: 0,
  nonSubstitution: null,
  ald: false,
  lineFlags: noFlags(),
});

export function newFreeLine(key: string): LineState {
  return { kind: 'free', cis: '', cip13: null, label: '', brand: '', form: '', drugFlags: null, text: '', showBrand: false, ...posologyFields(null, 'unité'), ...blankCommon(key) };
}

/** A favourite's lines with new keys: the same favourite may be inserted twice. */
export function statesOfFavourite(f: Favourite, newKey: () => string): LineState[] {
  return f.lines.map((line, i) => stateOfLine({ ...(line), key: newKey() }, null, f.labels[i] ?? ''));
}

const integer = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : null);
const decimal = (s: string) => (/^\s*\d+(?:[.,]\d+)?\s*$/.test(s) ? Number(s.trim().replace(',', '.')) : null);

function posologyOf(s: LineState, errors: LineErrors): Posology | null {
  const dose = parseDose(s.dose);
  if (dose === null) errors['posology.dose'] = t.dose;
  else if (dose > 10_000) errors['posology.dose'] = t.doseTooLarge;
  const n = integer(s.frequencyValue);
  const [min, max] = s.frequencyKind === 'perDay' ? [1, 24] : s.frequencyKind === 'perWeek' ? [1, 7] : [1, 72];
  if (n === null || n < min || n > max) errors['posology.frequency'] = t.frequency[s.frequencyKind];
  let maxPer24h: number | null = null;
  if (s.asNeeded && s.maxPer24h.trim() !== '') {
    maxPer24h = decimal(s.maxPer24h);
    if (maxPer24h === null || maxPer24h <= 0 || maxPer24h > 10_000) errors['posology.maxPer24h'] = t.maxPer24h;
  }
  if (dose === null || n === null || errors['posology.frequency'] !== undefined || errors['posology.maxPer24h'] !== undefined) return null;
  const frequency = s.frequencyKind === 'everyHours' ? { kind: 'everyHours' as const, hours: n } : { kind: s.frequencyKind, times: n };
  return { dose, unit: s.unit, frequency, moments: [...s.moments], asNeeded: s.asNeeded, maxPer24h, route: s.route.trim() === '' ? null : s.route.trim() };
}

/** The line to save, or the French errors of the fields that cannot be read. */
export function lineOfState(s: LineState): { line: Line; errors: null } | { line: null; errors: LineErrors } {
  const errors: LineErrors = {};
  const posology = s.kind === 'drug' || s.hasPosology ? posologyOf(s, errors) : null;
  let duration = null;
  if (s.durationValue.trim() !== '') {
    const v = integer(s.durationValue);
    if (v === null || v < 1 || v > 366) errors['duration.value'] = t.duration;
    else duration = { value: v, unit: s.durationUnit };
  }
  let packs = null;
  if (s.packs.trim() !== '') {
    const v = integer(s.packs);
    if (v === null || v < 1 || v > 99) errors.packs = t.packs;
    else packs = v;
  }
  if (s.kind === 'free' && s.text.trim() === '') errors.text = t.text;
  if (Object.keys(errors).length > 0) return { line: null, errors };
  const common = {
    key: s.key,
    duration,
    packs,
    renewals: s.renewals,
    nonSubstitution: s.nonSubstitution,
    ald: s.ald,
    flags: Object.fromEntries(lineFlagNames.map((n) => [n, s.lineFlags[n]])) as Record<LineFlagName, boolean>,
    instructions: s.instructions.trim(),
  };
  if (s.kind === 'free') return { line: { kind: 'free', text: s.text.trim(), posology, ...common }, errors: null };
  return { line: { kind: 'drug', cis: s.cis, cip13: s.cip13, showBrand: s.showBrand, posology: posology!, ...common }, errors: null };
}

/** Checking moments sets the intakes a day: « matin et soir » is twice a day. */
export function withMoments(s: LineState, moments: readonly Moment[]): Partial<LineState> {
  const ordered = (['matin', 'midi', 'soir', 'coucher'] as const).filter((m) => moments.includes(m));
  if (ordered.length === 0 || s.frequencyKind !== 'perDay') return { moments: ordered };
  return { moments: ordered, frequencyValue: String(ordered.length) };
}

/** A line's stable text for comparing what the server holds with what the screen sent. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
