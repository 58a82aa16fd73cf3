import { useId, type Ref } from 'react';

interface TextFieldProps {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  /** A help text under the label, read with the field. */
  hint?: string | undefined;
  type?: 'text' | 'email' | 'tel' | 'search' | 'date' | 'number' | 'url';
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'tel' | 'email' | 'url';
  required?: boolean;
  maxLength?: number;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled input whose French error is read by screen readers with the field. */
export function TextField({ name, label, value, onChange, error, hint, type, autoComplete, inputMode, required, maxLength, ref }: TextFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      {/* Required is the rule; optional fields say "(facultatif)" in their label. */}
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        ref={ref}
        name={name}
        type={type ?? 'text'}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete={autoComplete ?? 'off'}
        inputMode={inputMode}
        required={required}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
      />
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
