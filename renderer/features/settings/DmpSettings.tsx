import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { dmpEndpointSchema, dmpTimeoutSchema, type OutboxSummary } from '../../../shared/calls/outbox';
import { useAction, useCall } from '../../app/queries';
import { useSubPath } from '../../app/router';
import { TextField } from '../../components/TextField';
import { fr } from '../../i18n/fr';
import { formatNumber } from '../../i18n/numbers';

const t = fr.outbox.settings;

/** The address of this section: `#/settings/dmp`. */
export const DMP_SUBPATH = 'dmp';
export const dmpSettingsHref = `#/settings/${DMP_SUBPATH}`;

/** Réglages → DMP: where the documents are sent (ITI-41), how long one request may take, and the sandbox notice. */
export function DmpSettings() {
  const summary = useCall('outbox.summary', {});
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [sub] = useSubPath('settings');
  // « Réglages → DMP » from Envois (#/settings/dmp): the section comes into view with the focus, after the screen's title took it.
  useEffect(() => {
    if (sub !== DMP_SUBPATH) return;
    const frame = requestAnimationFrame(() => {
      heading.current?.focus();
      heading.current?.scrollIntoView({ block: 'start' });
    });
    return () => cancelAnimationFrame(frame);
  }, [sub]);
  return (
    <section aria-labelledby={titleId} className="dmp-settings">
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        {t.title}
      </h2>
      <p className="lead">{t.intro}</p>
      {summary.isError ? <p role="alert">{summary.error.message}</p> : null}
      {summary.data !== undefined ? (
        <>
          {summary.data.dmp.sandbox ? <p className="warning">{fr.outbox.sandbox}</p> : null}
          <DmpFields dmp={summary.data.dmp} />
        </>
      ) : summary.isPending ? (
        <p>{fr.loading}</p>
      ) : null}
    </section>
  );
}

/** « 30 », « 2,5 » → milliseconds; null when it is not a number. */
function secondsToMs(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!/^\d+(?:\.\d+)?$/.test(trimmed)) return null;
  return Math.round(Number(trimmed) * 1000);
}

const msToSeconds = (ms: number) => formatNumber(ms / 1000);

function DmpFields({ dmp }: { dmp: OutboxSummary['dmp'] }) {
  const [endpoint, setEndpoint] = useState(dmp.endpointUrl ?? '');
  const [seconds, setSeconds] = useState(msToSeconds(dmp.timeoutMs));
  const [errors, setErrors] = useState<{ endpointUrl?: string | undefined; timeoutMs?: string | undefined }>({});
  const [message, setMessage] = useState('');
  const endpointInput = useRef<HTMLInputElement>(null);
  const timeoutInput = useRef<HTMLInputElement>(null);
  const save = useAction('outbox.configure');

  const focusFirst = (found: typeof errors) => (found.endpointUrl !== undefined ? endpointInput : timeoutInput).current?.focus();

  // The button stays enabled while saving (a disabled button would drop the keyboard focus).
  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    setMessage('');
    const found: typeof errors = {};
    const url = dmpEndpointSchema.safeParse(endpoint);
    if (!url.success) found.endpointUrl = url.error.issues[0]?.message;
    const ms = secondsToMs(seconds);
    if (ms === null) found.timeoutMs = t.timeoutNotNumber;
    else {
      const timeout = dmpTimeoutSchema.safeParse(ms);
      if (!timeout.success) found.timeoutMs = timeout.error.issues[0]?.message;
    }
    setErrors(found);
    if (!url.success || ms === null || found.timeoutMs !== undefined) {
      focusFirst(found);
      return;
    }
    save.mutate(
      { endpointUrl: url.data, timeoutMs: ms },
      {
        onSuccess: (saved) => {
          setEndpoint(saved.dmp.endpointUrl ?? '');
          setSeconds(msToSeconds(saved.dmp.timeoutMs));
          setMessage(saved.dmp.endpointUrl === null ? `${t.saved} ${t.none}` : t.saved);
        },
        onError: (failure) => {
          const fromService = { endpointUrl: failure.fields?.['endpointUrl'], timeoutMs: failure.fields?.['timeoutMs'] };
          const shown = fromService.endpointUrl === undefined && fromService.timeoutMs === undefined ? { endpointUrl: failure.message } : fromService;
          setErrors(shown);
          focusFirst(shown);
        },
      },
    );
  };

  return (
    <form className="form dmp-settings__form" onSubmit={onSubmit} noValidate aria-label={t.form}>
      <TextField
        name="endpointUrl"
        label={t.endpoint}
        hint={t.endpointHint}
        type="url"
        inputMode="url"
        value={endpoint}
        onChange={setEndpoint}
        error={errors.endpointUrl}
        maxLength={500}
        ref={endpointInput}
      />
      <TextField
        name="timeoutSeconds"
        label={t.timeout}
        hint={t.timeoutHint}
        inputMode="decimal"
        value={seconds}
        onChange={setSeconds}
        error={errors.timeoutMs}
        maxLength={8}
        ref={timeoutInput}
      />
      <div className="form__actions">
        <button type="submit">{save.isPending ? fr.saving : t.save}</button>
        <p role="status" className="form__status">
          {message}
        </p>
      </div>
    </form>
  );
}
