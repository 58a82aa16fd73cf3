import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { isoDay, formatDate, parseDate } from '../../../shared/domain/dates';
import { checkNir, nirWarnings, normalizeNir } from '../../../shared/domain/nir';
import { errorsOnDay, patientConfirmations, patientInputSchema, type PatientConfirmation } from '../../../shared/domain/patient';
import type { PatientRecord } from '../../../shared/domain/patient-record';
import { fieldErrorsOf } from '../../../shared/domain/validation';
import type { OrdoError } from '../../../shared/errors';
import { useAction } from '../../app/queries';
import { CheckboxField } from '../../components/CheckboxField';
import { SelectField } from '../../components/SelectField';
import { TextField } from '../../components/TextField';
import { fr } from '../../i18n/fr';
import { ClinicalLists } from './ClinicalLists';
import { emptyPatient, formErrorsOf, fromRecord, toPatientInput, type PatientFormValues } from './formValues';

const t = fr.patients;
type TextKey = { [K in keyof PatientFormValues]: PatientFormValues[K] extends string ? K : never }[keyof PatientFormValues];
type CheckKey = 'pregnant' | 'breastfeeding' | 'dmpObjection' | 'dispensingObjection';

/** Where each field sits on screen, top to bottom: the first invalid one takes the focus. */
function fieldOrder(v: PatientFormValues): string[] {
  return [
    'birthName', 'usedName', 'firstNames', 'sex', 'birthDate', 'birthPlaceCode', 'nir', 'identityStatus', 'identityDocument',
    'address', 'postalCode', 'city', 'phone', 'email',
    'allergies', ...v.allergies.flatMap((_, i) => [`allergies.${i}.kind`, `allergies.${i}.substance`, `allergies.${i}.reaction`]),
    'conditions', ...v.conditions.flatMap((_, i) => [`conditions.${i}.label`, `conditions.${i}.ald`]),
    'treatments', ...v.treatments.map((_, i) => `treatments.${i}.label`),
    'weightValue', 'weightOn', 'heightValue', 'heightOn', 'clearanceValue', 'clearanceOn',
    'pregnant', 'pregnancyOn', 'breastfeedingSince', 'dmpObjectionOn', 'dispensingObjectionOn',
  ];
}

/** The French name of a field in the error summary. */
function labelOf(path: string): string {
  // « allergies.0.code.name », « treatments.1.substanceNames.0 »: the row's field names it.
  const row = /^(allergies|conditions|treatments)\.(\d+)\.(\w+)(?:\.[\w.]+)?$/.exec(path);
  if (row) {
    const line = Number(row[2]) + 1;
    if (row[1] === 'allergies') {
      return row[3] === 'kind' ? t.allergy.kind(line) : row[3] === 'reaction' ? t.allergy.reaction(line) : row[3] === 'code' ? t.allergy.code(line) : t.allergy.substance(line);
    }
    if (row[1] === 'treatments') return row[3] === 'substanceNames' ? t.treatment.substances(line) : t.treatment.label(line);
    return row[3] === 'ald' ? t.condition.ald(line) : t.condition.label(line);
  }
  return path in t.fields ? t.fields[path as keyof typeof t.fields] : '';
}

/** What the NIR says against the sex and date typed so far (shown, never blocking). */
function liveNirWarnings(v: PatientFormValues): string[] {
  const nir = normalizeNir(v.nir);
  const birthDate = parseDate(v.birthDate);
  if (nir === '' || v.sex === '' || birthDate === null || !checkNir(nir).valid) return [];
  return nirWarnings(nir, { sex: v.sex, birthDate });
}

/** What the shared rules say of the form as it stands (the same as the main process, today from this machine's clock). */
function localErrors(v: PatientFormValues): Record<string, string> {
  const parsed = patientInputSchema.safeParse(toPatientInput(v));
  return formErrorsOf(parsed.success ? errorsOnDay(parsed.data, isoDay(new Date())) : fieldErrorsOf(parsed.error));
}

/** The value of a form field by its error key ("birthName", "allergies.0.substance"), to see whether the GP changed it. */
function valueAt(v: PatientFormValues, key: string): string {
  let at: unknown = v;
  for (const part of key.split('.')) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  return JSON.stringify(at ?? null);
}

interface Confirmation {
  codes: PatientConfirmation[];
  messages: string[];
}

/** The warnings of a NEEDS_CONFIRMATION answer, listed in its fields as `confirm.<code>`. */
function confirmationOf(error: OrdoError): Confirmation {
  const entries = Object.entries(error.fields ?? {}).filter(([key]) => key.startsWith('confirm.'));
  const codes = entries.map(([key]) => key.slice('confirm.'.length)).filter((c): c is PatientConfirmation => (patientConfirmations as readonly string[]).includes(c));
  return { codes, messages: entries.length > 0 ? entries.map(([, message]) => message) : [error.message] };
}

/** Keeps the GP from losing a half-filled form: links, « Annuler » and (in a browser) closing the tab ask first. */
function useLeaveGuard(dirty: boolean): { confirmLeave: () => boolean } {
  const dirtyRef = useRef(dirty);
  useEffect(() => {
    dirtyRef.current = dirty;
  });
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (!dirtyRef.current || event.defaultPrevented || event.button !== 0) return;
      const link = (event.target as Element | null)?.closest?.('a[href^="#"]');
      if (link === null || link === undefined) return;
      if (!window.confirm(t.leaveConfirm)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!dirtyRef.current) return;
      // A browser shows its own question (its text cannot be chosen); Ordo's window asks in
      // French (main.ts, will-prevent-unload).
      event.preventDefault();
    };
    document.addEventListener('click', onClick, true);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      document.removeEventListener('click', onClick, true);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, []);
  return { confirmLeave: () => !dirtyRef.current || window.confirm(t.leaveConfirm) };
}

interface PatientFormProps {
  initial: PatientRecord | null;
  onSaved: (saved: PatientRecord) => void;
  onCancel: () => void;
}

/** Create or edit a patient; the same rules as the main process, so errors show before sending. */
export function PatientForm({ initial, onSaved, onCancel }: PatientFormProps) {
  const [start] = useState<PatientFormValues>(() => (initial ? fromRecord(initial) : emptyPatient));
  const [values, setValues] = useState<PatientFormValues>(start);
  const [errors, setErrors] = useState<Record<string, string>>({});
  /** Errors the main process gave (a NIR taken…): they go when their field is changed; the others when the rules pass. */
  const serverErrors = useRef<Record<string, string>>({});
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  // Saving or cancelling leaves through the address, not a link: only the GP's own clicks away ask.
  const dirty = JSON.stringify(values) !== JSON.stringify(start);
  const { confirmLeave } = useLeaveGuard(dirty);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const duplicateRef = useRef<HTMLDivElement>(null);
  const create = useAction('patients.create');
  const update = useAction('patients.update');
  const pending = create.isPending || update.isPending;

  const set = <K extends keyof PatientFormValues>(key: K, value: PatientFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  // An error goes as soon as its field is right: the rules are checked again on every change.
  useEffect(() => {
    setErrors((shown) => {
      if (Object.keys(shown).length === 0) return shown;
      const now = localErrors(values);
      const next: Record<string, string> = {};
      for (const [key, message] of Object.entries(shown)) {
        if (key === '_') continue;
        const server = serverErrors.current[key];
        if (now[key] !== undefined) next[key] = now[key];
        else if (server !== undefined && valueAt(values, key) === server) next[key] = message;
      }
      if (Object.keys(next).length > 0 && shown['_'] !== undefined) next['_'] = shown['_'];
      return Object.keys(next).length === Object.keys(shown).length && Object.entries(next).every(([k, m]) => shown[k] === m) ? shown : next;
    });
  }, [values]);

  const showErrors = (fields: Record<string, string>, fromServer = false) => {
    serverErrors.current = fromServer ? Object.fromEntries(Object.keys(fields).map((key) => [key, valueAt(values, key)])) : {};
    setErrors(fields);
    const first = fieldOrder(values).find((f) => fields[f] !== undefined);
    // After render, so a field that just appeared (a date under a tick box) can take the focus.
    requestAnimationFrame(() => {
      const field = first === undefined ? null : formRef.current?.querySelector<HTMLElement>(`[name="${CSS.escape(first)}"]`);
      (field ?? summaryRef.current)?.focus();
    });
  };

  const onError = (error: OrdoError) => {
    if (error.code === 'NEEDS_CONFIRMATION') {
      setConfirmation(confirmationOf(error));
      requestAnimationFrame(() => duplicateRef.current?.focus());
      return;
    }
    showErrors({ _: error.message, ...formErrorsOf(error.fields ?? {}) }, true);
  };

  const submit = (confirmed: PatientConfirmation[]) => {
    setConfirmation(null);
    const patient = toPatientInput(values);
    const fields = localErrors(values);
    if (Object.keys(fields).length > 0) {
      showErrors(fields);
      return;
    }
    setErrors({});
    if (initial) update.mutate({ id: initial.id, patient, confirmed }, { onSuccess: onSaved, onError });
    else create.mutate({ patient, confirmed }, { onSuccess: onSaved, onError });
  };

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    submit([]);
  };

  const cancel = () => {
    if (confirmLeave()) onCancel();
  };

  const text = (name: TextKey, extra: { required?: boolean; inputMode?: 'numeric' | 'tel' | 'email' | 'text'; type?: 'email' | 'tel'; autoComplete?: string } = {}) => (
    <TextField
      name={name}
      label={t.fields[name as keyof typeof t.fields]}
      value={values[name]}
      onChange={(value) => set(name, value)}
      error={errors[name]}
      {...extra}
    />
  );

  /** A tick box and, once ticked, the date that goes with it. */
  const datedFact = (check: CheckKey, date: TextKey, defaultToday: boolean) => (
    <>
      <CheckboxField
        name={check}
        label={t.fields[check]}
        checked={values[check]}
        onChange={(checked) =>
          setValues((v) => ({ ...v, [check]: checked, [date]: checked && defaultToday && v[date] === '' ? formatDate(isoDay(new Date())) : v[date] }))
        }
      />
      {values[check] ? text(date, { required: true, inputMode: 'numeric' }) : null}
    </>
  );

  const errorList = Object.entries(errors);
  const warnings = liveNirWarnings(values);

  return (
    <form ref={formRef} className="form patient-form" onSubmit={onSubmit} noValidate aria-labelledby="screen-title">
      {errorList.length > 0 ? (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
          <p>{t.errorSummary}</p>
          <ul>
            {errorList.map(([field, message]) => (
              <li key={field}>
                {labelOf(field) === '' ? '' : `${labelOf(field)} : `}
                {message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {confirmation !== null ? (
        <div className="warning confirm" role="alert" tabIndex={-1} ref={duplicateRef}>
          <p>{t.confirmTitle}</p>
          <ul>
            {confirmation.messages.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
          <div className="form__actions">
            <button type="button" onClick={() => submit(confirmation.codes)} disabled={pending}>
              {confirmation.codes.some((c) => c === 'duplicate' || c === 'nearDuplicate') ? t.duplicateConfirm : t.warningsConfirm}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmation(null)}>
              {t.cancel}
            </button>
          </div>
        </div>
      ) : null}
      <fieldset>
        <legend>{t.sections.identity}</legend>
        {text('birthName', { required: true, autoComplete: 'family-name' })}
        {text('usedName')}
        {text('firstNames', { required: true, autoComplete: 'given-name' })}
        <SelectField name="sex" label={t.fields.sex} value={values.sex} options={t.sexes} onChange={(v) => set('sex', v)} error={errors['sex']} required />
        {text('birthDate', { required: true, inputMode: 'numeric' })}
        {text('birthPlaceCode')}
        <div className="field-group">
          {text('nir', { inputMode: 'numeric' })}
          {warnings.length > 0 ? (
            <div className="warning" role="status">
              <p>{t.warningsTitle}</p>
              <ul>
                {warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <SelectField
          name="identityStatus"
          label={t.fields.identityStatus}
          value={values.identityStatus}
          options={t.identityStatuses}
          onChange={(v) => set('identityStatus', v)}
          error={errors['identityStatus']}
        />
        {values.identityStatus === 'verified' ? (
          <SelectField
            name="identityDocument"
            label={t.fields.identityDocument}
            value={values.identityDocument}
            options={t.identityDocuments}
            onChange={(v) => set('identityDocument', v)}
            error={errors['identityDocument']}
            required
          />
        ) : null}
      </fieldset>
      <fieldset>
        <legend>{t.optionalLegends.contact}</legend>
        {text('address', { autoComplete: 'off' })}
        {text('postalCode', { inputMode: 'numeric' })}
        {text('city')}
        {text('phone', { type: 'tel', inputMode: 'tel' })}
        {text('email', { type: 'email', inputMode: 'email' })}
      </fieldset>
      <ClinicalLists values={values} setValues={setValues} errors={errors} />
      <fieldset>
        <legend>{t.optionalLegends.measurements}</legend>
        {text('weightValue', { inputMode: 'text' })}
        {text('weightOn', { inputMode: 'numeric' })}
        {text('heightValue', { inputMode: 'text' })}
        {text('heightOn', { inputMode: 'numeric' })}
        {text('clearanceValue', { inputMode: 'text' })}
        {text('clearanceOn', { inputMode: 'numeric' })}
      </fieldset>
      <fieldset>
        <legend>{t.sections.pregnancy}</legend>
        {datedFact('pregnant', 'pregnancyOn', false)}
        {datedFact('breastfeeding', 'breastfeedingSince', false)}
      </fieldset>
      <fieldset>
        <legend>{t.sections.objections}</legend>
        {datedFact('dmpObjection', 'dmpObjectionOn', true)}
        {datedFact('dispensingObjection', 'dispensingObjectionOn', true)}
      </fieldset>
      <div className="form__actions">
        <button type="submit" disabled={pending}>
          {pending ? fr.saving : initial ? fr.save : t.create}
        </button>
        <button type="button" className="secondary" onClick={cancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
