import { useRef, useState, type SyntheticEvent } from 'react';
import {
  DEFAULT_SPECIALTY,
  prescriberProfileSchema,
  profileFields,
  type PrescriberProfile,
} from '../../../shared/domain/profile';
import { fieldErrorsOf } from '../../../shared/domain/validation';
import { useAction } from '../../app/queries';
import { TextField } from '../../components/TextField';
import { fr } from '../../i18n/fr';

type Field = (typeof profileFields)[number];
type Values = Record<Field, string>;

const empty: Values = {
  lastName: '',
  firstName: '',
  specialty: DEFAULT_SPECIALTY,
  rpps: '',
  amNumber: '',
  practiceName: '',
  address: '',
  postalCode: '',
  city: '',
  phone: '',
  email: '',
};

const inputHints: Partial<Record<Field, { type?: 'email' | 'tel'; inputMode?: 'numeric' | 'tel' | 'email'; autoComplete?: string }>> = {
  lastName: { autoComplete: 'family-name' },
  firstName: { autoComplete: 'given-name' },
  rpps: { inputMode: 'numeric' },
  amNumber: { inputMode: 'numeric' },
  address: { autoComplete: 'street-address' },
  postalCode: { inputMode: 'numeric', autoComplete: 'postal-code' },
  city: { autoComplete: 'address-level2' },
  phone: { type: 'tel', inputMode: 'tel', autoComplete: 'tel' },
  email: { type: 'email', inputMode: 'email', autoComplete: 'email' },
};

const optional: ReadonlySet<Field> = new Set(['practiceName', 'specialty']);

interface ProfileFormProps {
  initial: PrescriberProfile | null;
  submitLabel: string;
  onSaved?: () => void;
}

/** The prescriber's identity; validated here with the same rules the main process applies. */
export function ProfileForm({ initial, submitLabel, onSaved }: ProfileFormProps) {
  const [values, setValues] = useState<Values>(initial ?? empty);
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [savedOnce, setSavedOnce] = useState(false);
  const refs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const summaryRef = useRef<HTMLDivElement>(null);
  const save = useAction('profile.save');

  const showErrors = (fields: Partial<Record<string, string>>) => {
    setErrors(fields);
    const first = profileFields.find((f) => fields[f] !== undefined);
    if (first) refs.current[first]?.focus();
    else summaryRef.current?.focus();
  };

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    setSavedOnce(false);
    const parsed = prescriberProfileSchema.safeParse(values);
    if (!parsed.success) {
      showErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setErrors({});
    save.mutate(parsed.data, {
      onSuccess: (saved) => {
        setValues(saved);
        setSavedOnce(true);
        onSaved?.();
      },
      onError: (error) => showErrors(error.fields ?? { _: error.message }),
    });
  };

  const errorList = Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== undefined);

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label={fr.profile.legend}>
      {errorList.length > 0 ? (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
          <p>{fr.profile.errorSummary}</p>
          <ul>
            {errorList.map(([field, message]) => (
              <li key={field}>
                {field in fr.profile.fields ? `${fr.profile.fields[field as Field]} : ` : ''}
                {message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <fieldset>
        <legend>{fr.profile.legend}</legend>
        {(['lastName', 'firstName', 'specialty', 'rpps', 'amNumber'] as const).map((field) => renderField(field))}
      </fieldset>
      <fieldset>
        <legend>{fr.profile.practiceLegend}</legend>
        {(['practiceName', 'address', 'postalCode', 'city', 'phone', 'email'] as const).map((field) => renderField(field))}
      </fieldset>
      <div className="form__actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? fr.saving : submitLabel}
        </button>
        <p role="status" className="form__status">
          {savedOnce ? fr.saved : ''}
        </p>
      </div>
    </form>
  );

  function renderField(field: Field) {
    const hints = inputHints[field] ?? {};
    return (
      <TextField
        key={field}
        name={field}
        label={fr.profile.fields[field]}
        value={values[field]}
        onChange={(value) => setValues((current) => ({ ...current, [field]: value }))}
        error={errors[field]}
        required={!optional.has(field)}
        ref={(element) => {
          refs.current[field] = element;
        }}
        {...hints}
      />
    );
  }
}
