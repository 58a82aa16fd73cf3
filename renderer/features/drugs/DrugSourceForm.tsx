import { useRef, useState, type SyntheticEvent } from 'react';
import { bdpmBaseUrlSchema, type DrugSource } from '../../../shared/calls/drugs';
import { useAction, useCall } from '../../app/queries';
import { TextField } from '../../components/TextField';
import { fr } from '../../i18n/fr';

const t = fr.drugs.source;

/** Réglages → Base des médicaments: where the next update downloads from (stored in ordo.db). */
export function DrugSourceForm() {
  const source = useCall('drugs.getSource', {});
  if (source.isError) return <p role="alert">{source.error.message}</p>;
  if (source.data === undefined) return null;
  return <SourceFields source={source.data} />;
}

function SourceFields({ source }: { source: DrugSource }) {
  const [value, setValue] = useState(source.stored ?? source.default);
  const [error, setError] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const save = useAction('drugs.setSource');

  // The buttons stay enabled while saving (a disabled button would drop the keyboard focus).
  const submit = (baseUrl: string, done: string) => {
    if (save.isPending) return;
    setMessage('');
    const parsed = bdpmBaseUrlSchema.safeParse(baseUrl);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      input.current?.focus();
      return;
    }
    setError(undefined);
    save.mutate(
      { baseUrl: parsed.data },
      {
        onSuccess: (saved) => {
          setValue(saved.stored ?? saved.default);
          setMessage(done);
        },
        onError: (failure) => {
          setError(failure.fields?.['baseUrl'] ?? failure.message);
          input.current?.focus();
        },
      },
    );
  };

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    submit(value, t.saved);
  };

  return (
    <form className="form drug-source" onSubmit={onSubmit} noValidate aria-label={t.label}>
      <TextField
        name="baseUrl"
        label={t.label}
        hint={t.hint(source.default)}
        type="url"
        inputMode="url"
        value={value}
        onChange={setValue}
        error={error}
        maxLength={500}
        required
        ref={input}
      />
      {source.overriddenByEnvironment ? <p className="warning">{t.overridden(source.baseUrl)}</p> : null}
      <div className="form__actions">
        <button type="submit">
          {save.isPending ? fr.saving : t.save}
        </button>
        <button type="button" onClick={() => submit('', t.restored)}>
          {t.reset}
        </button>
        <p role="status" className="form__status">
          {message !== '' ? message : source.stored === null && !source.overriddenByEnvironment ? t.official : ''}
        </p>
      </div>
    </form>
  );
}
