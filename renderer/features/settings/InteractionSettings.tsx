import { useId, useRef, useState, type SyntheticEvent } from 'react';
import { MAX_THESAURUS_UPLOAD_BYTES, type InteractionInstallJob, type InteractionInstallReport } from '../../../shared/calls/interactions';
import { isActiveJobState } from '../../../shared/jobs';
import { useAction, useCall, useLatestJob } from '../../app/queries';
import { FileField } from '../../components/FileField';
import { base64Of } from '../../components/fileBytes';
import { TextField } from '../../components/TextField';
import { fr } from '../../i18n/fr';
import { frenchDateTime } from '../drugs/format';
import './settings.css';

const t = fr.interactions.settings;

function progressText(job: InteractionInstallJob): string {
  const p = job.progress;
  if (job.state === 'queued' || p === null) return t.queued;
  if (p.phase === 'rules') return t.phase.rules(p.done, p.total);
  return t.phase[p.phase];
}

/**
 * Réglages → the ANSM interaction thesaurus: what is installed, and its installation from a .zip
 * sent by this window or from a folder or .zip of this computer. The installation is a durable
 * job in the main process: progress arrives as events, and a reload shows the last one with its
 * report.
 */
export function InteractionSettings() {
  const titleId = useId();
  const progressId = useId();
  const status = useCall('interactions.status', {});
  const { job } = useLatestJob('interactions.install');
  const start = useAction('interactions.install');
  const cancel = useAction('jobs.cancel');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const [path, setPath] = useState('');
  const [pathError, setPathError] = useState<string | undefined>(undefined);
  const [reading, setReading] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const pathRef = useRef<HTMLInputElement>(null);
  const active = job !== undefined && isActiveJobState(job.state);
  const busy = active || reading || start.isPending;
  const installed = status.data?.thesaurus ?? null;

  const onUpload = (event: SyntheticEvent) => {
    event.preventDefault();
    if (busy) return;
    setFileError(undefined);
    if (file === null) {
      setFileError(t.noFile);
      fileRef.current?.focus();
      return;
    }
    if (file.size > MAX_THESAURUS_UPLOAD_BYTES) {
      setFileError(t.tooLarge);
      fileRef.current?.focus();
      return;
    }
    setReading(true);
    base64Of(file)
      .then((contentBase64) => {
        // One id per click: a retried call starts the same job, never a second installation.
        start.mutate({ source: 'upload', fileName: file.name, contentBase64, requestId: crypto.randomUUID() }, { onError: (failure) => setFileError(failure.message) });
      })
      .catch(() => setFileError(fr.errors.unreachable))
      .finally(() => setReading(false));
  };

  const onPath = (event: SyntheticEvent) => {
    event.preventDefault();
    if (busy) return;
    setPathError(undefined);
    start.mutate(
      { source: 'path', path, requestId: crypto.randomUUID() },
      {
        onError: (failure) => {
          setPathError(failure.fields?.['path'] ?? failure.message);
          pathRef.current?.focus();
        },
      },
    );
  };

  const percent = job?.progress?.percent ?? 0;
  return (
    <section className="interaction-settings" aria-labelledby={titleId}>
      <h2 id={titleId}>{t.title}</h2>
      <p className="lead">{t.intro}</p>
      {status.isError ? <p role="alert">{status.error.message}</p> : null}
      {status.data !== undefined ? (
        installed === null ? (
          <p className="warning" data-testid="thesaurus-none">
            {t.none}
          </p>
        ) : (
          <dl className="facts" data-testid="thesaurus-installed">
            <dt>{t.installed}</dt>
            <dd>{fr.interactions.label(installed.edition, installed.rules)}</dd>
            <dt>{t.importedAt}</dt>
            <dd>{frenchDateTime(installed.importedAt) ?? fr.drugs.status.unknown}</dd>
            <dt>{t.contents}</dt>
            <dd>{fr.interactions.contents(installed.rules, installed.molecules, installed.classes)}</dd>
          </dl>
        )
      ) : null}

      <form className="form interaction-settings__form" onSubmit={onUpload} aria-labelledby={`${titleId}-upload`} noValidate>
        <h3 id={`${titleId}-upload`}>{t.uploadLegend}</h3>
        <FileField
          name="thesaurus-zip"
          label={t.fileLabel}
          accept=".zip,application/zip"
          file={file}
          onChange={(chosen) => {
            setFile(chosen);
            setFileError(undefined);
          }}
          error={fileError}
          disabled={busy}
          ref={fileRef}
        />
        <div className="form__actions">
          <button type="submit" disabled={busy}>
            {t.uploadButton}
          </button>
        </div>
      </form>

      <form className="form interaction-settings__form" onSubmit={onPath} aria-labelledby={`${titleId}-path`} noValidate>
        <h3 id={`${titleId}-path`}>{t.pathLegend}</h3>
        <TextField name="thesaurus-path" label={t.pathLabel} hint={t.pathHint} value={path} onChange={setPath} error={pathError} maxLength={4096} required ref={pathRef} />
        <div className="form__actions">
          <button type="submit" disabled={busy}>
            {t.pathButton}
          </button>
        </div>
      </form>

      {reading ? <p role="status">{t.reading}</p> : null}
      {job !== undefined ? <JobState job={job} percent={percent} progressId={progressId} onCancel={() => cancel.mutate({ id: job.id })} cancelling={cancel.isPending || job.cancelRequested} /> : null}
      {cancel.isError ? <p role="alert">{cancel.error.message}</p> : null}
    </section>
  );
}

function JobState({ job, percent, progressId, onCancel, cancelling }: { job: InteractionInstallJob; percent: number; progressId: string; onCancel: () => void; cancelling: boolean }) {
  const active = isActiveJobState(job.state);
  return (
    <div className="interaction-settings__job" data-testid="thesaurus-job">
      {active ? (
        <div className="interaction-settings__progress">
          <label htmlFor={progressId}>{t.progressLabel}</label>
          <progress id={progressId} max={100} value={percent}>
            {t.percent(percent)}
          </progress>
          <p role="status">
            {progressText(job)} — {t.percent(percent)}
          </p>
          <div className="form__actions">
            <button type="button" className="secondary" onClick={onCancel} disabled={cancelling}>
              {t.cancel}
            </button>
          </div>
        </div>
      ) : null}
      {job.state === 'done' && job.result !== null ? <Report report={job.result} /> : null}
      {job.state === 'failed' && job.error !== null ? (
        <p role="alert" className="error-summary" data-testid="thesaurus-failed">
          {t.failed} {job.error.message}
        </p>
      ) : null}
      {job.state === 'cancelled' && job.error !== null ? <p role="status">{job.error.message}</p> : null}
    </div>
  );
}

function Report({ report }: { report: InteractionInstallReport }) {
  return (
    <div className="interaction-settings__report" data-testid="thesaurus-report">
      <p role="status">
        <strong>{t.done(report.rules, report.molecules, report.classes)}</strong>
      </p>
      <p className="muted">{fr.interactions.label(report.edition, report.rules)}</p>
      {report.matchedAgainst !== 'none' ? <p className="muted">{t.unmatched(report.unmatchedMolecules.length, report.matchedAgainst === 'demo')}</p> : null}
      {report.rejected.length > 0 ? <p className="muted">{t.rejected(report.rejected.length)}</p> : null}
    </div>
  );
}
