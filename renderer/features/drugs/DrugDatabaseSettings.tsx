import { useId } from 'react';
import type { DrugStatus, DrugUpdateJob } from '../../../shared/calls/drugs';
import { missingPartsOf } from '../../../shared/domain/bdpm-parts';
import { isActiveJobState } from '../../../shared/jobs';
import { useAction, useCall, useLatestJob } from '../../app/queries';
import { fr } from '../../i18n/fr';
import { DrugSourceForm } from './DrugSourceForm';
import { frenchDateTime } from './format';
import { referentialWarnings, releaseLine } from './ReferentialStatus';
import { formatNumber } from '../../i18n/numbers';
import './drugs.css';

const t = fr.drugs;

function phaseText(job: DrugUpdateJob): string {
  if (job.state === 'queued' || job.progress === null) return t.update.queued;
  return job.progress.phase === 'import' ? t.update.importing(job.progress.file) : t.update.downloading(job.progress.file);
}

/** The warnings of the prescribing screen, worded for Réglages, where the update is. */
function settingsWarnings(status: DrugStatus): string[] {
  if (status.state === 'none') return [t.status.noneHere];
  return referentialWarnings(status).map((warning) => (warning === t.status.demo ? t.status.demoHere : warning));
}

const timeOf = (iso: string | null) => (iso === null ? '' : new Date(iso).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' }));

/**
 * Réglages → Base des médicaments: what is installed, how old, and the update. The update is a
 * durable job in the main process: its progress arrives as events (no polling), and a reload of
 * the window shows it where it stands. An update the server lacks optional files for is refused
 * (NEEDS_CONFIRMATION) and offered again as « Importer quand même (base partielle) ».
 */
export function DrugDatabaseSettings() {
  const status = useCall('drugs.status', {});
  const interactionEdition = useCall('interactions.status', {});
  const { job } = useLatestJob('drugs.update');
  const start = useAction('drugs.update');
  const cancel = useAction('jobs.cancel');
  const progressId = useId();
  const active = job !== undefined && isActiveJobState(job.state);
  const running = active || start.isPending;
  const s = status.data;
  const percent = job?.progress?.percent ?? 0;
  const needsConfirmation = job?.state === 'failed' && job.error?.code === 'NEEDS_CONFIRMATION';

  return (
    <section className="drug-settings" aria-labelledby={`${progressId}-title`}>
      <h2 id={`${progressId}-title`}>{t.update.title}</h2>
      {status.isError ? <p role="alert">{status.error.message}</p> : null}
      {s !== undefined ? (
        <>
          {settingsWarnings(s).map((warning) => (
            <p key={warning} className="warning">
              {warning}
            </p>
          ))}
          <dl className="facts">
            <dt>{t.status.release}</dt>
            <dd data-testid="drug-release-date">{s.state === 'none' ? t.status.unknown : releaseLine(s)}</dd>
            <dt>{t.status.imported}</dt>
            <dd data-testid="drug-import-date">{frenchDateTime(s.importedAt) ?? t.status.unknown}</dd>
            <dt>{t.status.source}</dt>
            <dd>{s.state === 'demo' ? t.status.demoSource : (s.source ?? t.status.unknown)}</dd>
            <dt>{t.status.counts}</dt>
            <dd>{t.status.countsValue(s.counts.specialties, s.counts.packs)}</dd>
            {s.missingFiles.length > 0 ? (
              <>
                <dt>{t.status.missing}</dt>
                <dd data-testid="drug-missing-files">
                  {s.missingFiles.join(', ')} — {t.status.partial(s.missingParts)}
                </dd>
              </>
            ) : null}
            {s.rejectedCount > 0 ? (
              <>
                <dt>{t.status.rejected}</dt>
                <dd>{formatNumber(s.rejectedCount)}</dd>
              </>
            ) : null}
            <dt>{t.status.interactions}</dt>
            <dd data-testid="drug-interactions-installed">{s.interactions === null ? t.status.noInteractions : fr.interactions.label(interactionEdition.data?.thesaurus?.edition ?? null, s.interactions.rules)}</dd>
          </dl>
        </>
      ) : null}
      <DrugSourceForm />
      <div className="form__actions">
        <button type="button" onClick={() => start.mutate({})} disabled={running}>
          {running ? t.update.running : t.update.button}
        </button>
        {active ? (
          <button type="button" className="secondary" onClick={() => cancel.mutate({ id: job.id })} disabled={cancel.isPending || job.cancelRequested}>
            {t.update.cancel}
          </button>
        ) : null}
      </div>
      {job !== undefined ? (
        <div className="drug-settings__progress">
          {job.state === 'running' || job.state === 'queued' ? (
            <>
              <label htmlFor={progressId}>
                {t.update.progressLabel} : {phaseText(job)}
              </label>
              <progress id={progressId} max={100} value={percent}>
                {formatNumber(percent)} %
              </progress>
            </>
          ) : null}
          <p role="status" className="drug-settings__result" data-testid="drug-update-result">
            {job.state === 'running' || job.state === 'queued'
              ? `${formatNumber(percent)} %`
              : job.state === 'done' && job.result !== null
                ? t.update.done(job.result.files[0]?.imported ?? 0, job.result.rejectedCount)
                : job.state === 'retrying' && job.error !== null
                  ? t.update.retrying(timeOf(job.nextRunAt), job.error.message)
                  : ''}
          </p>
          {job.state === 'done' && job.result !== null && job.result.missingFiles.length > 0 ? (
            <p className="warning">{t.update.missing(missingPartsOf(job.result.missingFiles), job.result.missingFiles.join(', '))}</p>
          ) : null}
          {needsConfirmation && job.error !== null ? (
            <div className="warning drug-settings__confirm" role="group" aria-labelledby={`${progressId}-refused`}>
              <p id={`${progressId}-refused`} role="alert">
                {t.update.partialRefused} {job.error.message}
              </p>
              <p id={`${progressId}-consequences`}>{t.update.partialWarning}</p>
              <button
                type="button"
                aria-describedby={`${progressId}-refused ${progressId}-consequences`}
                onClick={() => start.mutate({ allowPartial: true })}
                disabled={running}
              >
                {t.update.partialConfirm}
              </button>
            </div>
          ) : null}
          {job.state === 'failed' && job.error !== null && !needsConfirmation ? (
            <p role="alert" className="error-summary">
              {t.update.failed} {job.error.message}
            </p>
          ) : null}
          {job.state === 'cancelled' ? <p role="status">{t.update.cancelled}</p> : null}
        </div>
      ) : null}
      {start.isError ? <p role="alert">{start.error.message}</p> : null}
      {cancel.isError ? <p role="alert">{cancel.error.message}</p> : null}
    </section>
  );
}
