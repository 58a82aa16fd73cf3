import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type Dispatch, type KeyboardEvent, type SetStateAction } from 'react';
import type { Allergen } from '../../../shared/calls/prescriptions';
import { MAX_TREATMENT_SUBSTANCES } from '../../../shared/domain/patient';
import type { OrdoError } from '../../../shared/errors';
import { call } from '../../app/api';
import { CheckboxField } from '../../components/CheckboxField';
import { SelectField } from '../../components/SelectField';
import { TextField } from '../../components/TextField';
import { fr } from '../../i18n/fr';
import type { AllergyCodeValues, AllergyValues, ConditionValues, PatientFormValues, TreatmentValues } from './formValues';
import '../drugs/drugs.css';
import './clinical-lists.css';

const t = fr.patients;

type AllergenKind = Allergen['kind'];
const ALL_KINDS: readonly AllergenKind[] = ['substance', 'class'];
const SUBSTANCES_ONLY: readonly AllergenKind[] = ['substance'];

/** Fewer letters than this ask the rule set nothing (one letter matches half of it). */
const MIN_QUERY = 2;
/** The rule set is asked once typing pauses this long. */
const TYPING_PAUSE_MS = 150;
const SUGGESTIONS = 20;

/** The rule set's spelling made readable when its own label is unknown: « PENICILLINES » → « Penicillines ». */
export const readableName = (name: string) => (name === '' ? name : name.charAt(0) + name.slice(1).toLowerCase());

/** The suggestions of the rule set for a query (the same cache entry as `useCall('allergens.search', …)`). */
function useAllergens(query: string, enabled: boolean, keepPrevious = false) {
  const input = { query, limit: SUGGESTIONS };
  return useQuery<Allergen[], OrdoError>({
    queryKey: ['allergens.search', input],
    queryFn: () => call('allergens.search', input),
    enabled,
    staleTime: 5 * 60_000,
    ...(keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
}

/**
 * What a coded substance or class reads as: the label the GP picked when the form has it, else the
 * rule set's own label for that name (asked once, cached), else its name made readable — so a
 * record shows something sensible whether a rule set is installed or not.
 */
export function useAllergenLabel(kind: AllergenKind, name: string, known = ''): string {
  const found = useAllergens(name, known === '' && name !== '');
  if (known !== '') return known;
  return found.data?.find((a) => a.kind === kind && a.name === name)?.label ?? readableName(name);
}

interface AllergenComboboxProps {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onPick: (allergen: Allergen) => void;
  /** The kinds offered (a treatment takes substances only). */
  kinds?: readonly AllergenKind[];
  /** The list and row it belongs to, for the suggestions' own name. */
  list: 'allergy' | 'treatment';
  row: number;
  /** Id of a help text read with the box. */
  describedBy?: string | undefined;
  error?: string | undefined;
  required?: boolean;
}

/**
 * A text box whose suggestions come from the interaction rule set (`allergens.search`): the ARIA
 * combobox pattern. The focus stays in the box; the arrows move the active suggestion (ArrowDown
 * pressed before they came activates the first), Enter takes it, Escape closes the list. Nothing
 * picked, the text stays what the GP typed. With no rule set installed the list stays empty and
 * the box is a plain text field (Enter sends the form once the empty answer is in).
 */
export function AllergenCombobox({ name, label, value, onChange, onPick, kinds = ALL_KINDS, list, row, describedBy, error, required }: AllergenComboboxProps) {
  const id = useId();
  const inputId = `${id}-input`;
  const listId = `${id}-list`;
  const statusId = `${id}-status`;
  const errorId = `${id}-error`;
  const optionId = (index: number) => `${id}-option-${index}`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [query, setQuery] = useState('');
  /** ArrowDown pressed before the suggestions came: the first becomes active when they do. */
  const [downPending, setDownPending] = useState(false);

  // Asks once typing pauses; the box closed, nothing is asked.
  useEffect(() => {
    const next = value.trim();
    const timer = setTimeout(() => setQuery(open ? next : ''), open ? TYPING_PAUSE_MS : 0);
    return () => clearTimeout(timer);
  }, [value, open]);

  const typed = value.trim();
  const asked = open && query.length >= MIN_QUERY && typed.length >= MIN_QUERY;
  const search = useAllergens(query, asked, true);
  // The previous answer stays on screen while the next loads (no flicker at each letter), but only
  // the answer to what the box holds now can be taken.
  const current = asked && query === typed && search.isSuccess && !search.isPlaceholderData;
  const options = asked ? (search.data ?? []).filter((a) => kinds.includes(a.kind)) : [];
  const expanded = options.length > 0;
  /** Typed enough to ask, and the answer to it not in yet (the pause, or the call). */
  const waiting = open && typed.length >= MIN_QUERY && !current && !search.isError;
  if (downPending && !waiting) {
    setDownPending(false);
    if (current && options.length > 0) setActive(0);
  }

  useEffect(() => {
    if (expanded && active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  });

  const close = () => {
    setOpen(false);
    setActive(-1);
    setDownPending(false);
  };
  const take = (index: number) => {
    const option = options[index];
    if (option === undefined || !current) return;
    close();
    onPick(option);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        if (!open) setOpen(true);
        if (waiting) {
          event.preventDefault();
          setDownPending(true);
          return;
        }
        if (!expanded) return;
        event.preventDefault();
        setActive((i) => (i + 1) % options.length);
        break;
      case 'ArrowUp':
        if (!expanded) return;
        event.preventDefault();
        setActive((i) => (i <= 0 ? options.length - 1 : i - 1));
        break;
      case 'Enter':
        if (event.ctrlKey || event.altKey || event.shiftKey) return;
        // Never sends the form by surprise: while suggestions load, or are listed, Enter stays in
        // the box. It takes the active suggestion; with none active it closes the list and the text
        // stays free text (a second Enter then sends the form, as in any other field).
        if (waiting || (expanded && !current)) {
          event.preventDefault();
          return;
        }
        if (!expanded) return;
        event.preventDefault();
        if (active >= 0) take(Math.min(active, options.length - 1));
        else close();
        break;
      case 'Escape':
        if (!expanded) return;
        event.preventDefault();
        event.stopPropagation();
        close();
        break;
      default:
    }
  };

  // Spoken once an answer is settled, never at each letter.
  const status = !asked
    ? ''
    : search.isError
      ? t.allergen.unavailable
      : current
        ? options.length === 0
          ? t.allergen.none
          : t.allergen.found(options.length)
        : null;
  const [spoken, setSpoken] = useState('');
  if (status !== null && status !== spoken) setSpoken(status);
  const descriptions = [describedBy ?? '', error ? errorId : ''].filter((d) => d !== '').join(' ');

  return (
    <div className={`field allergen-box${error ? ' field--invalid' : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        name={name}
        type="text"
        role="combobox"
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={close}
        autoComplete="off"
        spellCheck={false}
        required={required}
        maxLength={200}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={descriptions === '' ? undefined : descriptions}
      />
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
      {/* Over what follows, under the box: nothing on the page moves as the list and its count come and go. */}
      <div className="allergen-box__popup">
        <p id={statusId} className="allergen-box__status" role="status">
          {open ? spoken : ''}
        </p>
        <div id={listId} role="listbox" aria-label={t.allergen.suggestions(list, row)} className="drug-results allergen-box__list" hidden={!expanded}>
          {options.map((a, i) => (
            <div
              key={`${a.kind}:${a.name}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={`drug-option${i === active ? ' drug-option--active' : ''}`}
              // Keeps the focus in the box: a click picks without blurring it first.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => take(i)}
            >
              <span className="drug-option__name">{a.label}</span>
              <span className="allergen-box__kind">{t.allergen.kinds[a.kind]}</span>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

/** « codée : Pénicillines (classe) » and the button that takes the coding off. */
function AllergyCoding({ code, row, onUncode, error }: { code: AllergyCodeValues | null; row: number; onUncode: () => void; error?: string | undefined }) {
  return (
    <div className="coded-note">
      {code === null ? <span className="muted">{t.allergy.notCoded}</span> : <CodedAs code={code} row={row} onUncode={onUncode} />}
      {error ? <p className="field__error">{error}</p> : null}
    </div>
  );
}

function CodedAs({ code, row, onUncode }: { code: AllergyCodeValues; row: number; onUncode: () => void }) {
  const label = useAllergenLabel(code.kind, code.name, code.label);
  return (
    <>
      <span className="coded-note__text">{t.allergy.coded(label, code.kind)}</span>
      <button type="button" className="secondary coded-note__remove" onClick={onUncode} aria-label={t.allergy.uncode(row)}>
        {t.allergy.uncodeShort}
      </button>
    </>
  );
}

function SubstanceChip({ name, label, row, onRemove }: { name: string; label: string; row: number; onRemove: () => void }) {
  const shown = useAllergenLabel('substance', name, label);
  return (
    <li className="substance-chip">
      <span>{shown}</span>
      <button type="button" className="secondary substance-chip__remove" onClick={onRemove} aria-label={t.treatment.removeSubstance(shown, row)}>
        ×
      </button>
    </li>
  );
}

interface ClinicalListsProps {
  values: PatientFormValues;
  setValues: Dispatch<SetStateAction<PatientFormValues>>;
  errors: Record<string, string>;
}

type ListName = 'allergies' | 'conditions' | 'treatments';

/** Allergies, conditions and long-term treatments: rows added and removed in place, each field labelled with its row. */
export function ClinicalLists({ values, setValues, errors }: ClinicalListsProps) {
  const setAllergy = (index: number, change: Partial<AllergyValues>) =>
    setValues((v) => ({ ...v, allergies: v.allergies.map((a, i) => (i === index ? { ...a, ...change } : a)) }));
  const setCondition = (index: number, change: Partial<ConditionValues>) =>
    setValues((v) => ({ ...v, conditions: v.conditions.map((c, i) => (i === index ? { ...c, ...change } : c)) }));
  const setTreatment = (index: number, change: (t: TreatmentValues) => Partial<TreatmentValues>) =>
    setValues((v) => ({ ...v, treatments: v.treatments.map((tr, i) => (i === index ? { ...tr, ...change(tr) } : tr)) }));
  /** What is typed in each treatment's substance box (never part of the record). */
  const [substanceQueries, setSubstanceQueries] = useState<string[]>([]);
  const setSubstanceQuery = (index: number, query: string) =>
    setSubstanceQueries((q) => {
      const next = [...q];
      while (next.length <= index) next.push('');
      next[index] = query;
      return next;
    });
  const allergyHintId = useId();
  const treatmentHintId = useId();
  const addAllergyRef = useRef<HTMLButtonElement>(null);
  const addConditionRef = useRef<HTMLButtonElement>(null);
  const addTreatmentRef = useRef<HTMLButtonElement>(null);
  const firstFieldOf = (name: string) => document.querySelector(`[data-row-start="${name}"]`)?.querySelector<HTMLElement>('input, select') ?? null;
  // Focus the first field of a new row, so the keyboard goes on typing there.
  const focusLater = (name: string) => requestAnimationFrame(() => firstFieldOf(name)?.focus());
  /**
   * A removed row takes its button with it: rather than dropping the focus on the page, move it to
   * the row that took its place, else the one before, else the list's "Ajouter" button.
   */
  const removeRow = (list: ListName, index: number) => {
    const remaining = values[list].length - 1;
    if (list === 'allergies') setValues((v) => ({ ...v, allergies: v.allergies.filter((_, j) => j !== index) }));
    else if (list === 'conditions') setValues((v) => ({ ...v, conditions: v.conditions.filter((_, j) => j !== index) }));
    else {
      setValues((v) => ({ ...v, treatments: v.treatments.filter((_, j) => j !== index) }));
      setSubstanceQueries((q) => q.filter((_, j) => j !== index));
    }
    const target = index < remaining ? index : index - 1;
    const add = list === 'allergies' ? addAllergyRef : list === 'conditions' ? addConditionRef : addTreatmentRef;
    requestAnimationFrame(() => (target >= 0 ? firstFieldOf(`${list}.${target}`) : add.current)?.focus());
  };

  const pickSubstance = (index: number, allergen: Allergen) => {
    setTreatment(index, (tr) => ({
      // A treatment named by nothing yet takes the substance's name.
      label: tr.label.trim() === '' ? allergen.label : tr.label,
      substances:
        tr.substances.some((s) => s.name === allergen.name) || tr.substances.length >= MAX_TREATMENT_SUBSTANCES
          ? tr.substances
          : [...tr.substances, { name: allergen.name, label: allergen.label }],
    }));
    setSubstanceQuery(index, '');
  };

  const rowError = (prefix: string) =>
    errors[prefix] ?? Object.entries(errors).find(([key]) => key.startsWith(`${prefix}.`))?.[1];

  return (
    <>
      <fieldset className="rows">
        <legend>{t.sections.allergies}</legend>
        {errors['allergies'] ? <p className="field__error">{errors['allergies']}</p> : null}
        {values.allergies.length === 0 ? <p className="muted">{t.allergy.none}</p> : <p id={allergyHintId} className="field__hint">{t.allergy.hint}</p>}
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
            <AllergenCombobox
              name={`allergies.${i}.substance`}
              label={t.allergy.substance(i + 1)}
              value={a.substance}
              onChange={(substance) => setAllergy(i, { substance })}
              onPick={(picked) => setAllergy(i, { substance: picked.label, code: { kind: picked.kind, name: picked.name, label: picked.label } })}
              list="allergy"
              row={i + 1}
              describedBy={allergyHintId}
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
            {a.substance.trim() !== '' || a.code !== null ? (
              <AllergyCoding code={a.code} row={i + 1} onUncode={() => setAllergy(i, { code: null })} error={rowError(`allergies.${i}.code`)} />
            ) : null}
          </div>
        ))}
        <button
          ref={addAllergyRef}
          type="button"
          className="secondary"
          onClick={() => {
            setValues((v) => ({ ...v, allergies: [...v.allergies, { kind: 'allergy', substance: '', reaction: '', code: null }] }));
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
      <fieldset className="rows">
        <legend>{t.sections.treatments}</legend>
        {errors['treatments'] ? <p className="field__error">{errors['treatments']}</p> : null}
        {values.treatments.length === 0 ? <p className="muted">{t.treatment.none}</p> : <p id={treatmentHintId} className="field__hint">{t.treatment.substanceHint}</p>}
        {values.treatments.map((tr, i) => {
          const full = tr.substances.length >= MAX_TREATMENT_SUBSTANCES;
          const substancesError = rowError(`treatments.${i}.substanceNames`);
          return (
            <div className="row" key={i} data-row-start={`treatments.${i}`}>
              <TextField
                name={`treatments.${i}.label`}
                label={t.treatment.label(i + 1)}
                value={tr.label}
                onChange={(label) => setTreatment(i, () => ({ label }))}
                error={errors[`treatments.${i}.label`]}
                required
              />
              {full ? (
                <p className="muted">{t.treatment.tooManySubstances(MAX_TREATMENT_SUBSTANCES)}</p>
              ) : (
                <AllergenCombobox
                  name={`treatments.${i}.substance`}
                  label={t.treatment.substance(i + 1)}
                  value={substanceQueries[i] ?? ''}
                  onChange={(query) => setSubstanceQuery(i, query)}
                  onPick={(picked) => pickSubstance(i, picked)}
                  kinds={SUBSTANCES_ONLY}
                  list="treatment"
                  row={i + 1}
                  describedBy={treatmentHintId}
                />
              )}
              <button type="button" className="secondary" onClick={() => removeRow('treatments', i)}>
                {t.treatment.remove(i + 1)}
              </button>
              <div className="coded-note">
                {tr.substances.length === 0 ? (
                  <span className="muted">{t.treatment.noSubstance}</span>
                ) : (
                  <ul className="substance-chips" aria-label={t.treatment.substances(i + 1)}>
                    {tr.substances.map((s) => (
                      <SubstanceChip
                        key={s.name}
                        name={s.name}
                        label={s.label}
                        row={i + 1}
                        onRemove={() => setTreatment(i, (current) => ({ substances: current.substances.filter((other) => other.name !== s.name) }))}
                      />
                    ))}
                  </ul>
                )}
                {substancesError ? <p className="field__error">{substancesError}</p> : null}
              </div>
            </div>
          );
        })}
        <button
          ref={addTreatmentRef}
          type="button"
          className="secondary"
          onClick={() => {
            setValues((v) => ({ ...v, treatments: [...v.treatments, { label: '', substances: [] }] }));
            focusLater(`treatments.${values.treatments.length}`);
          }}
        >
          {t.treatment.add}
        </button>
      </fieldset>
    </>
  );
}
