import { useId, useRef, useState, type SyntheticEvent } from 'react';
import type { JobOf } from '../../../shared/calls/jobs';
import { MAX_IMPORT_BYTES } from '../../../shared/calls/patients';
import { isActiveJobState } from '../../../shared/jobs';
import type { ImportReport } from '../../../shared/domain/patient-record';
import { useAction, useLatestJob } from '../../app/queries';
import { FileField } from '../../components/FileField';
import { fr } from '../../i18n/fr';
import { formatCount } from '../../i18n/patients';
import './patients.css';

const t = fr.patients.import;

/** The renderer is a browser: the file goes to the main process as base64. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function progressText(job: JobOf<'patients.import'>): string {
  const p = job.progress;
  if (job.state === 'queued' || p === null) return t.queued;
  if (p.phase === 'reading') return t.reading;
  if (p.phase === 'checking') return t.checking(p.done, p.total);
  return `${t.writing} ${t.writingCount(p.done, p.total)}`;
}

/**
 * Réglages → import of patients from another software's CSV. The import is a durable job in the
 * main process: progress arrives as events, and a reload of the window (or a restart of Ordo)
 * shows the last import where it stands, with its report.
 */
export function PatientImport() {
  const [file, setFile] = useState<File | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const fileId = useId();
  const progressId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const { job } = useLatestJob('patients.import');
  const start = useAction('patients.import');
  const cancel = useAction('jobs.cancel');
  const active = job !== undefined && isActiveJobState(job.state);
  const busy = active || reading || start.isPending;

  const run = async (chosen: File) => {
    setReading(true);
    try {
      const contentBase64 = await base64Of(chosen);
      // One id per click: a retried call starts the same job, never a second import.
      start.mutate({ fileName: chosen.name, contentBase64, requestId: crypto.randomUUID() });
    } catch {
      setFailure(fr.errors.unreachable);
    } finally {
      setReading(false);
    }
  };

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    setFailure(null);
    if (file === null) {
      setFailure(t.noFile);
      fileRef.current?.focus();
      return;
    }
    if (file.size > MAX_IMPORT_BYTES) {
      setFailure(t.tooLarge);
      return;
    }
    void run(file);
  };

  const percent = job?.progress?.percent ?? 0;
  const error = failure ?? (start.isError ? start.error.message : null) ?? (cancel.isError ? cancel.error.message : null);
  return (
    <form className="form patient-import" onSubmit={onSubmit} aria-labelledby={`${fileId}-title`}>
      <h2 id={`${fileId}-title`}>{t.title}</h2>
      <p className="lead">{t.intro}</p>
      <div className="form__actions">
        <FileField name="patients-csv" label={t.file} accept=".csv,.txt,text/csv" file={file} onChange={setFile} disabled={busy} ref={fileRef} />
        <button type="submit" disabled={busy}>
          {t.start}
        </button>
        {active ? (
          <button type="button" className="secondary" onClick={() => cancel.mutate({ id: job.id })} disabled={cancel.isPending || job.cancelRequested}>
            {t.cancel}
          </button>
        ) : null}
      </div>
      {reading ? <p role="status">{t.reading}</p> : null}
      {active ? (
        <div className="import-progress">
          <label htmlFor={progressId}>{t.progressLabel}</label>
          <progress id={progressId} max={100} value={percent}>
            {t.percent(percent)}
          </progress>
          <p role="status">{progressText(job)}</p>
        </div>
      ) : null}
      {error !== null ? (
        <p className="error-summary" role="alert">
          {error}
        </p>
      ) : null}
      {job !== undefined && (job.state === 'failed' || job.state === 'cancelled') && job.error !== null ? (
        <p className="error-summary" role="alert">
          {job.error.message}
        </p>
      ) : null}
      {job !== undefined && !active && job.result !== null ? <Report report={job.result} /> : null}
    </form>
  );
}

function Report({ report }: { report: ImportReport }) {
  return (
    <div className="import-report">
      <p role="status">
        <strong>{t.done(report.imported, report.skipped, report.rows)}</strong>
      </p>
      <p className="muted">{t.details(t.encodings[report.encoding], report.separator)}</p>
      {report.ignoredColumns.length > 0 ? <p className="muted">{t.ignoredColumns(report.ignoredColumns.join(', '))}</p> : null}
      {report.errors.length > 0 ? (
        <table className="import-errors">
          <caption>{t.errorsTitle}</caption>
          <thead>
            <tr>
              <th scope="col">{t.line}</th>
              <th scope="col">{t.column}</th>
              <th scope="col">{t.reason}</th>
            </tr>
          </thead>
          <tbody>
            {report.errors.map((e, i) => (
              <tr key={i}>
                <td>{formatCount(e.line)}</td>
                <td>{e.field === '' ? t.wholeRow : e.field}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {report.errorsTruncated ? <p className="muted">{t.truncated}</p> : null}
    </div>
  );
}
