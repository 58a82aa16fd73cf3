import { useRef, useState, type SyntheticEvent } from 'react';
import type { CallOutput } from '../../../shared/contract';
import { useAction } from '../../app/queries';
import { FileField } from '../../components/FileField';
import { Screen } from '../../components/Screen';
import { TextField } from '../../components/TextField';
import { formatDateTime } from '../../i18n/dates';
import { verifyFr as t } from '../../i18n/verify';
import './verify.css';

type Verdict = CallOutput<'prescriptions.verify'>;

function Result({ verdict }: { verdict: Verdict }) {
  const title = verdict.status === 'valid' ? t.valid : verdict.status === 'invalid' ? t.invalid : t.unreadable;
  return (
    <section className={`verify-result verify-result--${verdict.status}`} aria-labelledby="verify-result-title" data-status={verdict.status}>
      <h2 id="verify-result-title">{title}</h2>
      {verdict.status === 'valid' ? <p>{t.validLead}</p> : <p role="alert">{verdict.reason}</p>}
      {verdict.local?.cancellation != null ? <p role="alert" className="warning">{t.cancelled(formatDateTime(verdict.local.cancellation.at), verdict.local.cancellation.reason)}</p> : null}
      {verdict.id !== null ? (
        <dl className="facts">
          <dt>{t.rxId}</dt>
          <dd data-field="rx-id">{verdict.id}</dd>
          {verdict.issuedAt !== null ? (
            <>
              <dt>{t.issuedAt}</dt>
              <dd>{formatDateTime(verdict.issuedAt)}</dd>
            </>
          ) : null}
          <dt>{t.prescriber}</dt>
          <dd>{verdict.prescriber}</dd>
          <dt>{t.keyId}</dt>
          <dd>{verdict.keyId}</dd>
        </dl>
      ) : null}
      {verdict.local !== null && verdict.local.cancellation === null ? <p className="muted">{t.signedHere}</p> : null}
    </section>
  );
}

/**
 * « Vérifier une ordonnance »: a pasted code (a scanner types it like a keyboard) or an opened PDF
 * whose QR code is read in the window; the check itself is the main process's, offline, against
 * the public keys this Ordo knows.
 */
export function VerifyScreen() {
  const verify = useAction('prescriptions.verify');
  const [code, setCode] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const result = useRef<HTMLDivElement>(null);

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    setProblem(null);
    verify.reset();
    let text = code.trim();
    if (text === '' && file !== null) {
      setReading(true);
      try {
        // Loaded when first needed: pdf.js is large, and most checks are a pasted code.
        const { readPdfQr } = await import('./read-pdf-qr');
        const read = await readPdfQr(new Uint8Array(await file.arrayBuffer()), { none: t.pdfNone, damaged: t.pdfDamaged, several: t.pdfSeveral });
        if ('unreadable' in read) {
          setProblem(`${t.unreadable} : ${read.unreadable}.`);
          return;
        }
        text = read.code;
      } finally {
        setReading(false);
      }
    }
    if (text === '') {
      setProblem(t.nothing);
      return;
    }
    verify.mutate({ code: text }, { onSettled: () => requestAnimationFrame(() => result.current?.focus()) });
  }

  const busy = reading || verify.isPending;
  return (
    <Screen title={t.title}>
      <p className="lead">{t.intro}</p>
      <form className="form verify-form" onSubmit={(e) => void submit(e)} noValidate>
        {/* One line: a scanner types the code, then Entrée, which verifies. */}
        <TextField name="code" label={t.code} hint={t.codeHint} value={code} onChange={setCode} autoComplete="off" maxLength={4000} />
        <FileField name="pdf" label={t.pdf} hint={t.pdfHint} accept=".pdf,application/pdf" file={file} onChange={setFile} />
        <div className="form__actions">
          <button type="submit" disabled={busy}>
            {reading ? t.reading : verify.isPending ? t.checking : t.submit}
          </button>
        </div>
      </form>
      <div ref={result} tabIndex={-1} aria-live="polite">
        {problem !== null ? <p role="alert">{problem}</p> : null}
        {verify.isError ? <p role="alert">{verify.error.message}</p> : null}
        {verify.isSuccess ? <Result verdict={verify.data} /> : null}
      </div>
    </Screen>
  );
}
