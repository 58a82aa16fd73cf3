import { useId, type Ref } from 'react';
import { fr } from '../i18n/fr';
import './FileField.css';

interface FileFieldProps {
  name: string;
  label: string;
  /** What the chooser offers, e.g. ".zip,application/zip". */
  accept: string;
  file: File | null;
  onChange: (file: File | null) => void;
  hint?: string | undefined;
  error?: string | undefined;
  disabled?: boolean;
  ref?: Ref<HTMLInputElement>;
}

/**
 * A file chooser in French: « Choisir un fichier… » styled as a button, then the chosen file's
 * name (or « Aucun fichier choisi »), instead of the browser's own « Choose File / No file
 * chosen ». The real input stays in the page, out of sight but focusable: Tab reaches it, Space
 * or Enter opens the chooser, and a screen reader reads its label and the chosen name.
 */
export function FileField({ name, label, accept, file, onChange, hint, error, disabled, ref }: FileFieldProps) {
  const id = useId();
  const labelId = `${id}-label`;
  const nameId = `${id}-name`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [nameId, hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field field--invalid file-field' : 'field file-field'}>
      <span id={labelId} className="file-field__label">
        {label}
      </span>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      <div className="file-field__row">
        <input
          id={id}
          ref={ref}
          type="file"
          name={name}
          accept={accept}
          disabled={disabled}
          className="file-field__input"
          aria-labelledby={labelId}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          onChange={(event) => onChange(event.target.files?.[0] ?? null)}
        />
        {/* Clicking the label opens the chooser; the input above is what the keyboard and screen readers use. */}
        <label htmlFor={id} className="file-field__button" aria-hidden="true">
          {fr.file.choose}
        </label>
        <span id={nameId} className={file === null ? 'file-field__name file-field__name--none' : 'file-field__name'}>
          {file === null ? fr.file.none : file.name}
        </span>
      </div>
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
