import { memo, useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { DraftLine } from '../../../shared/calls/prescriptions';
import { allowedNonSubstitutionReasons } from '../../../shared/domain/legal-checks';
import { doseUnits, durationUnits, lineFlagNames, MAX_RENEWALS, moments, type Check, type Line, type NonSubstitutionReason } from '../../../shared/domain/prescription';
import { fr } from '../../i18n/fr';
import { DrugFlags } from '../drugs/DrugFlags';
import { formatDose, parseDose } from './dose';
import { withMoments, type FrequencyKind, type LineErrors, type LineField, type LineState } from './model';

const t = fr.prescriptions;
const f = t.fields;

export interface LineActions {
  update(key: string, patch: Partial<LineState>): void;
  /** Enter in a field: on to the next line (the picker). */
  next(): void;
  move(key: string, delta: -1 | 1): void;
  remove(key: string): void;
  saveFavourite(key: string): void;
}

interface LineEditorProps {
  line: LineState;
  index: number;
  stored: DraftLine | undefined;
  checks: readonly Check[] | undefined;
  errors: LineErrors | undefined;
  aldOffered: boolean;
  birthDate: string;
  today: string;
  readOnly: boolean;
  actions: LineActions;
  /** The favourite name prompt, when this line's « Enregistrer comme favori » is open. */
  favouritePrompt: ReactNode;
}

/** What allowedNonSubstitutionReasons reads: the kind of line and its frozen copy. */
function checkLineOf(s: LineState, stored: DraftLine | undefined): { line: Line; drug: DraftLine['drug'] } {
  return { line: (stored?.line) ?? ({ kind: s.kind } as Line), drug: stored?.drug ?? null };
}

/** Enter in a field of the line goes on to the next line; Alt+↑/↓ move it, Alt+Suppr removes it. */
function onLineKeyDown(event: KeyboardEvent<HTMLElement>, key: string, actions: LineActions) {
  const target = event.target as HTMLElement;
  if (event.altKey && !event.ctrlKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
    event.preventDefault();
    actions.move(key, event.key === 'ArrowUp' ? -1 : 1);
    return;
  }
  if (event.altKey && !event.ctrlKey && event.key === 'Delete') {
    event.preventDefault();
    actions.remove(key);
    return;
  }
  if (event.key !== 'Enter' || event.ctrlKey || event.altKey || event.shiftKey) return;
  const field = target.tagName === 'SELECT' || (target.tagName === 'INPUT' && target.getAttribute('type') !== 'button');
  if (!field) return;
  event.preventDefault();
  actions.next();
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p id={id} className="field__error">
      {message}
    </p>
  );
}

/** A text input with its label and its French error read with it. */
function Input({
  label,
  value,
  onChange,
  error,
  field,
  hint,
  inputMode,
  onBlur,
  disabled,
  size,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  field: string;
  hint?: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
  onBlur?: () => void;
  disabled: boolean;
  size?: number;
}) {
  const id = useId();
  const describedBy = [hint !== undefined ? `${id}-hint` : '', error !== undefined ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={error !== undefined ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-field={field}
        type="text"
        value={value}
        size={size}
        inputMode={inputMode}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
        aria-invalid={error !== undefined ? true : undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
      />
      {hint !== undefined ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function Select<V extends string>({ label, value, options, onChange, field, disabled, error }: { label: string; value: V; options: readonly (readonly [V, string])[]; onChange: (v: V) => void; field: string; disabled: boolean; error?: string | undefined }) {
  const id = useId();
  return (
    <div className={error !== undefined ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <select id={id} data-field={field} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value as V)} aria-describedby={error !== undefined ? `${id}-error` : undefined} aria-invalid={error !== undefined ? true : undefined}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function Check({ label, checked, onChange, field, disabled }: { label: string; checked: boolean; onChange: (v: boolean) => void; field: string; disabled: boolean }) {
  const id = useId();
  return (
    <div className="field field--checkbox">
      <input id={id} type="checkbox" data-field={field} checked={checked} disabled={disabled} onChange={(event) => onChange(event.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

function LineChecks({ checks, index }: { checks: readonly Check[] | undefined; index: number }) {
  if (checks === undefined || checks.length === 0) return null;
  return (
    <ul className="line-checks" aria-label={t.checks.ofLine(index + 1)}>
      {checks.map((c) => (
        <li key={c.id} className={`check check--${c.level}${c.override !== null ? ' check--overridden' : ''}`}>
          <strong className="check__level">{t.checks.levels[c.level]}</strong> {c.message}
          {c.override !== null ? <span className="check__override"> — {t.checks.overridden(c.override.reason)}</span> : null}
          <span className="check__source"> {t.checks.source(c.source)}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * One line of the prescription: the drug (or the free text), its posology, duration, renewals and
 * mentions, its French rendering as the server stored it, its badges and its checks. Memoised: a
 * keystroke in one line, or in the picker, renders no other line.
 */
export const LineEditor = memo(function LineEditor({ line: s, index, stored, checks, errors, aldOffered, birthDate, today, readOnly, actions, favouritePrompt }: LineEditorProps) {
  const headingId = useId();
  const [doseFocused, setDoseFocused] = useState(false);
  const set = (patch: Partial<LineState>) => actions.update(s.key, patch);
  const err = (field: LineField) => errors?.[field];
  const drug = stored?.drug ?? null;
  const label = s.kind === 'free' ? (s.text.trim() === '' ? t.lines.freeLabel : s.text) : (drug?.dciLabel ?? s.label);
  const flags = drug?.flags ?? s.drugFlags;
  const allowed: readonly NonSubstitutionReason[] = s.kind === 'drug' ? allowedNonSubstitutionReasons(checkLineOf(s, stored), { birthDate }, today) : [];
  // A reason already chosen stays offered (marked) so that it is never silently dropped; the legal check says why it does not fit.
  const reasons = [...new Set([...allowed, ...(s.nonSubstitution === null ? [] : [s.nonSubstitution])])];
  const routes = [...new Set([...(drug?.routes ?? []), ...(s.route === '' ? [] : [s.route])])];
  const structured = s.kind === 'drug' || s.hasPosology;
  const parsedDose = parseDose(s.dose);
  const frequencyKinds = Object.entries(f.frequencyKinds) as [FrequencyKind, string][];

  return (
    <li className={`line${s.kind === 'free' ? ' line--free' : ''}`} data-line={s.key} aria-labelledby={headingId} onKeyDown={(event) => onLineKeyDown(event, s.key, actions)}>
      <div className="line__head">
        <h3 id={headingId} className="line__title">
          {t.lines.line(index + 1, label)}
        </h3>
        {s.kind === 'free' ? <span className="drug-flag line__free">{t.lines.freeBadge}</span> : null}
        {flags !== null ? <DrugFlags item={{ flags, genericType: null }} /> : null}
        {err('cis') !== undefined || err('line') !== undefined ? (
          <p className="field__error" role="alert">
            {[err('cis'), err('line')].filter(Boolean).join(' ')}
          </p>
        ) : null}
      </div>
      <p className="line__rendered">
        <span className="line__rendered-label">{t.lines.rendered} : </span>
        {stored?.rendered ?? t.lines.notRenderedYet}
      </p>
      <div className="line__fields">
        {s.kind === 'free' ? (
          <div className="line__row">
            <Input label={f.text} field="text" value={s.text} onChange={(text) => set({ text })} error={err('text')} disabled={readOnly} size={40} />
            <Check label={f.structured} field="hasPosology" checked={s.hasPosology} onChange={(hasPosology) => set({ hasPosology })} disabled={readOnly} />
          </div>
        ) : null}
        {structured ? (
          <div className="line__row">
            <Input
              label={f.dose}
              field="dose"
              value={s.dose}
              size={5}
              inputMode="decimal"
              hint={doseFocused || parsedDose === null || formatDose(parsedDose) === s.dose.trim() ? f.doseHint : `= ${formatDose(parsedDose)}`}
              onChange={(dose) => {
                setDoseFocused(true);
                set({ dose });
              }}
              onBlur={() => {
                setDoseFocused(false);
                // Shown back as on paper (½, 1 ¼) once the GP has left the field, never while typing.
                if (parsedDose !== null && formatDose(parsedDose) !== s.dose) set({ dose: formatDose(parsedDose) });
              }}
              error={err('posology.dose')}
              disabled={readOnly}
            />
            <Select label={f.unit} field="unit" value={s.unit} options={doseUnits.map((u) => [u, u] as const)} onChange={(unit) => set({ unit })} disabled={readOnly} />
            <Select
              label={f.frequency}
              field="frequencyKind"
              value={s.frequencyKind}
              options={frequencyKinds}
              onChange={(frequencyKind) => set(frequencyKind === 'perDay' && s.moments.length > 0 ? { frequencyKind, frequencyValue: String(s.moments.length) } : { frequencyKind })}
              disabled={readOnly}
            />
            <Input label={f.frequencyValue[s.frequencyKind]} field="frequencyValue" value={s.frequencyValue} size={3} inputMode="numeric" onChange={(frequencyValue) => set({ frequencyValue })} error={err('posology.frequency')} disabled={readOnly} />
            <fieldset className="line__moments">
              <legend>{f.moments}</legend>
              {moments.map((m) => (
                <Check
                  key={m}
                  label={f.momentLabels[m]}
                  field={`moment-${m}`}
                  checked={s.moments.includes(m)}
                  onChange={(on) => set(withMoments(s, on ? [...s.moments, m] : s.moments.filter((x) => x !== m)))}
                  disabled={readOnly}
                />
              ))}
            </fieldset>
            <Check label={f.asNeeded} field="asNeeded" checked={s.asNeeded} onChange={(asNeeded) => set({ asNeeded })} disabled={readOnly} />
            {s.asNeeded ? (
              <Input label={`${f.maxPer24h} (${s.unit})`} field="maxPer24h" value={s.maxPer24h} size={4} inputMode="decimal" onChange={(maxPer24h) => set({ maxPer24h })} error={err('posology.maxPer24h')} disabled={readOnly} />
            ) : null}
            {s.kind === 'drug' ? (
              <Select label={f.route} field="route" value={s.route} options={[['', f.routeNone] as const, ...routes.map((r) => [r, r] as const)]} onChange={(route) => set({ route })} disabled={readOnly} />
            ) : null}
          </div>
        ) : null}
        <div className="line__row">
          <Input label={f.duration} field="durationValue" value={s.durationValue} size={4} inputMode="numeric" onChange={(durationValue) => set({ durationValue })} error={err('duration.value')} disabled={readOnly} />
          <Select label={`${f.duration} : unité`} field="durationUnit" value={s.durationUnit} options={durationUnits.map((u) => [u, f.durationUnits[u]] as const)} onChange={(durationUnit) => set({ durationUnit })} disabled={readOnly} />
          <Input label={f.packs} field="packs" value={s.packs} size={3} inputMode="numeric" onChange={(packs) => set({ packs })} error={err('packs')} disabled={readOnly} />
          <Select
            label={f.renewals}
            field="renewals"
            value={String(s.renewals)}
            options={Array.from({ length: MAX_RENEWALS + 1 }, (_, n) => [String(n), f.renewalCount(n)] as const)}
            onChange={(v) => set({ renewals: Number(v) })}
            error={err('renewals')}
            disabled={readOnly}
          />
          {s.kind === 'drug' ? (
            <Select<'' | NonSubstitutionReason>
              label={f.substitution}
              field="nonSubstitution"
              value={s.nonSubstitution ?? ''}
              options={[['', f.substitutable] as const, ...reasons.map((r) => [r, allowed.includes(r) ? f.reasons[r] : `${f.reasons[r]} (${f.reasonNotAllowed})`] as const)]}
              onChange={(v) => set({ nonSubstitution: v === '' ? null : v })}
              error={err('nonSubstitution')}
              disabled={readOnly}
            />
          ) : null}
        </div>
        <div className="line__row">
          {aldOffered || s.ald ? <Check label={f.ald} field="ald" checked={s.ald} onChange={(ald) => set({ ald })} disabled={readOnly} /> : null}
          {lineFlagNames.map((name) => (
            <Check key={name} label={f.flags[name]} field={`flag-${name}`} checked={s.lineFlags[name]} onChange={(on) => set({ lineFlags: { ...s.lineFlags, [name]: on } })} disabled={readOnly} />
          ))}
          {s.kind === 'drug' ? <Check label={f.showBrand} field="showBrand" checked={s.showBrand} onChange={(showBrand) => set({ showBrand })} disabled={readOnly} /> : null}
        </div>
        <InstructionsField value={s.instructions} onChange={(instructions) => set({ instructions })} error={err('instructions')} disabled={readOnly} />
      </div>
      <LineChecks checks={checks} index={index} />
      {readOnly ? null : (
        <div className="line__actions">
          <button type="button" className="secondary" data-field="up" onClick={() => actions.move(s.key, -1)} aria-describedby={headingId}>
            {t.lines.up}
          </button>
          <button type="button" className="secondary" data-field="down" onClick={() => actions.move(s.key, 1)} aria-describedby={headingId}>
            {t.lines.down}
          </button>
          <button type="button" className="secondary" data-field="favourite" onClick={() => actions.saveFavourite(s.key)} aria-describedby={headingId}>
            {t.favourites.saveLine}
          </button>
          <button type="button" className="secondary danger" data-field="remove" onClick={() => actions.remove(s.key)} aria-describedby={headingId}>
            {t.lines.remove}
          </button>
        </div>
      )}
      {favouritePrompt}
    </li>
  );
});

function InstructionsField({ value, onChange, error, disabled }: { value: string; onChange: (v: string) => void; error: string | undefined; disabled: boolean }) {
  const id = useId();
  return (
    <div className={error !== undefined ? 'field field--invalid line__instructions' : 'field line__instructions'}>
      <label htmlFor={id}>{f.instructions}</label>
      <textarea id={id} data-field="instructions" rows={1} maxLength={500} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)} aria-describedby={error !== undefined ? `${id}-error` : undefined} />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
