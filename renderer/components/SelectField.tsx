import { useId, type Ref } from 'react';

interface SelectFieldProps<V extends string> {
  name: string;
  label: string;
  value: V;
  options: Readonly<Record<V, string>>;
  onChange: (value: V) => void;
  error?: string | undefined;
  required?: boolean;
  ref?: Ref<HTMLSelectElement>;
}

/** A labelled list of choices whose French error is read with the field (like TextField). */
export function SelectField<V extends string>({ name, label, value, options, onChange, error, required, ref }: SelectFieldProps<V>) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        ref={ref}
        name={name}
        value={value}
        onChange={(event) => onChange(event.target.value as V)}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      >
        {(Object.entries(options) as [V, string][]).map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
