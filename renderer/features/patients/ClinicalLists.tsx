import { useRef, type Dispatch, type SetStateAction } from 'react';
import { CheckboxField } from '../../components/CheckboxField';
import { SelectField } from '../../components/SelectField';
import { TextField } from '../../components/TextField';
import { fr } from '../../i18n/fr';
import type { AllergyValues, ConditionValues, PatientFormValues } from './formValues';

const t = fr.patients;

interface ClinicalListsProps {
  values: PatientFormValues;
  setValues: Dispatch<SetStateAction<PatientFormValues>>;
  errors: Record<string, string>;
}

/** Allergies and conditions: rows added and removed in place, each field labelled with its row. */
export function ClinicalLists({ values, setValues, errors }: ClinicalListsProps) {
  const setAllergy = (index: number, change: Partial<AllergyValues>) =>
    setValues((v) => ({ ...v, allergies: v.allergies.map((a, i) => (i === index ? { ...a, ...change } : a)) }));
  const setCondition = (index: number, change: Partial<ConditionValues>) =>
    setValues((v) => ({ ...v, conditions: v.conditions.map((c, i) => (i === index ? { ...c, ...change } : c)) }));
  const addAllergyRef = useRef<HTMLButtonElement>(null);
  const addConditionRef = useRef<HTMLButtonElement>(null);
  const firstFieldOf = (name: string) => document.querySelector(`[data-row-start="${name}"]`)?.querySelector<HTMLElement>('input, select') ?? null;
  // Focus the first field of a new row, so the keyboard goes on typing there.
  const focusLater = (name: string) => requestAnimationFrame(() => firstFieldOf(name)?.focus());
  /**
   * A removed row takes its button with it: rather than dropping the focus on the page, move it to
   * the row that took its place, else the one before, else the list's "Ajouter" button.
   */
  const removeRow = (list: 'allergies' | 'conditions', index: number) => {
    const remaining = values[list].length - 1;
    if (list === 'allergies') setValues((v) => ({ ...v, allergies: v.allergies.filter((_, j) => j !== index) }));
    else setValues((v) => ({ ...v, conditions: v.conditions.filter((_, j) => j !== index) }));
    const target = index < remaining ? index : index - 1;
    const add = list === 'allergies' ? addAllergyRef : addConditionRef;
    requestAnimationFrame(() => (target >= 0 ? firstFieldOf(`${list}.${target}`) : add.current)?.focus());
  };

  return (
    <>
      <fieldset className="rows">
        <legend>{t.sections.allergies}</legend>
        {errors['allergies'] ? <p className="field__error">{errors['allergies']}</p> : null}
        {values.allergies.length === 0 ? <p className="muted">{t.allergy.none}</p> : null}
        {values.allergies.map((a, i) => (
          <div className="row" key={i} data-row-start={`allergies.${i}`}>
            <SelectField
              name={`allergies.${i}.kind`}
              label={t.allergy.kind(i + 1)}
              value={a.kind}
              options={t.allergy.kinds}
              onChange={(kind) => setAllergy(i, { kind })}
              error={errors[`allergies.${i}.kind`]}
            />
            <TextField
              name={`allergies.${i}.substance`}
              label={t.allergy.substance(i + 1)}
              value={a.substance}
              onChange={(substance) => setAllergy(i, { substance })}
              error={errors[`allergies.${i}.substance`]}
              required
            />
            <TextField
              name={`allergies.${i}.reaction`}
              label={t.allergy.reaction(i + 1)}
              value={a.reaction}
              onChange={(reaction) => setAllergy(i, { reaction })}
              error={errors[`allergies.${i}.reaction`]}
            />
            <button type="button" className="secondary" onClick={() => removeRow('allergies', i)}>
              {t.allergy.remove(i + 1)}
            </button>
          </div>
        ))}
        <button
          ref={addAllergyRef}
          type="button"
          className="secondary"
          onClick={() => {
            setValues((v) => ({ ...v, allergies: [...v.allergies, { kind: 'allergy', substance: '', reaction: '' }] }));
            focusLater(`allergies.${values.allergies.length}`);
          }}
        >
          {t.allergy.add}
        </button>
      </fieldset>
      <fieldset className="rows">
        <legend>{t.sections.conditions}</legend>
        {errors['conditions'] ? <p className="field__error">{errors['conditions']}</p> : null}
        {values.conditions.length === 0 ? <p className="muted">{t.condition.none}</p> : null}
        {values.conditions.map((c, i) => (
          <div className="row" key={i} data-row-start={`conditions.${i}`}>
            <TextField
              name={`conditions.${i}.label`}
              label={t.condition.label(i + 1)}
              value={c.label}
              onChange={(label) => setCondition(i, { label })}
              error={errors[`conditions.${i}.label`]}
              required
            />
            <CheckboxField name={`conditions.${i}.ald`} label={t.condition.ald(i + 1)} checked={c.ald} onChange={(ald) => setCondition(i, { ald })} />
            <button type="button" className="secondary" onClick={() => removeRow('conditions', i)}>
              {t.condition.remove(i + 1)}
            </button>
          </div>
        ))}
        <button
          ref={addConditionRef}
          type="button"
          className="secondary"
          onClick={() => {
            setValues((v) => ({ ...v, conditions: [...v.conditions, { label: '', ald: false }] }));
            focusLater(`conditions.${values.conditions.length}`);
          }}
        >
          {t.condition.add}
        </button>
      </fieldset>
    </>
  );
}
