import { useRef, useState, type SyntheticEvent } from 'react';
import { isoDay, formatDate, parseDate } from '../../../shared/domain/dates';
import { checkNir, nirWarnings, normalizeNir } from '../../../shared/domain/nir';
import { futureDateErrors, patientInputSchema } from '../../../shared/domain/patient';
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
    'weightValue', 'weightOn', 'heightValue', 'heightOn', 'clearanceValue', 'clearanceOn',
    'pregnancyOn', 'breastfeedingSince', 'dmpObjectionOn', 'dispensingObjectionOn',
  ];
}

/** The French name of a field in the error summary. */
function labelOf(path: string): string {
  const row = /^(allergies|conditions)\.(\d+)\.(\w+)$/.exec(path);
  if (row) {
    const line = Number(row[2]) + 1;
    if (row[1] === 'allergies') return row[3] === 'kind' ? t.allergy.kind(line) : row[3] === 'reaction' ? t.allergy.reaction(line) : t.allergy.substance(line);
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

interface PatientFormProps {
  initial: PatientRecord | null;
  onSaved: (saved: PatientRecord) => void;
  onCancel: () => void;
}

/** Create or edit a patient; the same rules as the main process, so errors show before sending. */
export function PatientForm({ initial, onSaved, onCancel }: PatientFormProps) {
  const [values, setValues] = useState<PatientFormValues>(() => (initial ? fromRecord(initial) : emptyPatient));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [duplicate, setDuplicate] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const duplicateRef = useRef<HTMLDivElement>(null);
  const create = useAction('patients.create');
  const update = useAction('patients.update');
  const pending = create.isPending || update.isPending;

  const set = <K extends keyof PatientFormValues>(key: K, value: PatientFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const showErrors = (fields: Record<string, string>) => {
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
      setDuplicate(error.message);
      requestAnimationFrame(() => duplicateRef.current?.focus());
      return;
    }
    showErrors({ _: error.message, ...formErrorsOf(error.fields ?? {}) });
  };

  const submit = (confirmDuplicate: boolean) => {
    setDuplicate(null);
    const patient = toPatientInput(values);
    const parsed = patientInputSchema.safeParse(patient);
    const fields = parsed.success ? futureDateErrors(parsed.data, isoDay(new Date())) : fieldErrorsOf(parsed.error);
    if (Object.keys(fields).length > 0) {
      showErrors(formErrorsOf(fields));
      return;
    }
    setErrors({});
    if (initial) update.mutate({ id: initial.id, patient, confirmDuplicate }, { onSuccess: onSaved, onError });
    else create.mutate({ patient, confirmDuplicate }, { onSuccess: onSaved, onError });
  };

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    submit(false);
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
      {duplicate !== null ? (
        <div className="warning confirm" role="alert" tabIndex={-1} ref={duplicateRef}>
          <p>{duplicate}</p>
          <div className="form__actions">
            <button type="button" onClick={() => submit(true)} disabled={pending}>
              {t.duplicateConfirm}
            </button>
            <button type="button" className="secondary" onClick={() => setDuplicate(null)}>
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
        <button type="button" className="secondary" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
