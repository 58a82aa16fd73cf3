import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type SyntheticEvent } from 'react';
import { MAX_IMPORT_BYTES } from '../../../shared/calls/patients';
import type { ImportReport, ImportStatus } from '../../../shared/domain/patient-record';
import { OrdoError } from '../../../shared/errors';
import { call } from '../../app/api';
import { fr } from '../../i18n/fr';
import './patients.css';

const t = fr.patients.import;

/** The renderer is a browser: the file goes to the main process as base64. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

type Progress = { label: string; done: number; total: number } | null;

function progressOf(status: ImportStatus): Progress {
  if (status.state !== 'running') return null;
  return status.phase === 'checking'
    ? { label: t.checking(status.done, status.total), done: status.done, total: status.total }
    : { label: t.writing, done: status.total, total: status.total };
}

/** Réglages → import of patients from another software's CSV, with progress and the report. */
export function PatientImport() {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const fileId = useId();
  const progressId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const client = useQueryClient();
  const running = progress !== null;

  const run = async (chosen: File) => {
    setProgress({ label: t.reading, done: 0, total: 1 });
    try {
      const started = await call('patients.importStart', { fileName: chosen.name, contentBase64: await base64Of(chosen) });
      let status = started.status;
      // Each step checks a slice of rows (the last one writes), so the bar follows the work.
      while (status.state === 'running') {
        setProgress(progressOf(status));
        status = await call('patients.importStep', { jobId: started.jobId });
      }
      if (status.state === 'failed') setFailure(status.message);
      else {
        setReport(status.report);
        await client.invalidateQueries({ queryKey: ['patients.search'] });
      }
    } catch (error) {
      setFailure(error instanceof OrdoError ? error.message : fr.errors.unreachable);
    } finally {
      setProgress(null);
    }
  };

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    setReport(null);
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

  return (
    <form className="form patient-import" onSubmit={onSubmit} aria-labelledby={`${fileId}-title`}>
      <h2 id={`${fileId}-title`}>{t.title}</h2>
      <p className="lead">{t.intro}</p>
      <div className="form__actions">
        <div className="field">
          <label htmlFor={fileId}>{t.file}</label>
          <input
            id={fileId}
            ref={fileRef}
            type="file"
            name="patients-csv"
            accept=".csv,.txt,text/csv"
            disabled={running}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </div>
        <button type="submit" disabled={running}>
          {t.start}
        </button>
      </div>
      {running ? (
        <div className="import-progress">
          <label htmlFor={progressId}>{t.progressLabel}</label>
          <progress id={progressId} max={Math.max(progress.total, 1)} value={progress.done} />
          <p role="status">{progress.label}</p>
        </div>
      ) : null}
      {failure !== null ? (
        <p className="error-summary" role="alert">
          {failure}
        </p>
      ) : null}
      {report !== null ? <Report report={report} /> : null}
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
                <td>{e.line}</td>
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
