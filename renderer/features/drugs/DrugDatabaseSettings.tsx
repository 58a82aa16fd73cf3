import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import type { DrugUpdateJob } from '../../../shared/calls/drugs';
import type { OrdoError } from '../../../shared/errors';
import { call } from '../../app/api';
import { useCall } from '../../app/queries';
import { fr } from '../../i18n/fr';
import { DrugSourceForm } from './DrugSourceForm';
import { frenchDateTime } from './format';
import { referentialWarnings, releaseLine } from './ReferentialStatus';
import './drugs.css';

const t = fr.drugs;
const POLL_MS = 400;
const progressKey = ['drugs.updateProgress', {}] as const;

/** The update runs in the main process; this polls its progress while it runs. */
function useUpdateJob() {
  const client = useQueryClient();
  const progress = useQuery<DrugUpdateJob, OrdoError>({
    queryKey: progressKey,
    queryFn: () => call('drugs.updateProgress', {}),
    refetchInterval: (query) => (query.state.data?.state === 'running' ? POLL_MS : false),
    staleTime: 0,
  });
  const start = useMutation<DrugUpdateJob, OrdoError>({
    mutationFn: () => call('drugs.update', {}),
    onSuccess: (job) => client.setQueryData(progressKey, job),
  });
  // Once a run ends, everything that shows the base (status, search results) is refetched.
  const previous = useRef<DrugUpdateJob['state'] | undefined>(undefined);
  const state = progress.data?.state;
  useEffect(() => {
    if (previous.current === 'running' && state !== 'running') {
      void client.invalidateQueries({ queryKey: ['drugs.status'] });
      void client.invalidateQueries({ queryKey: ['drugs.search'] });
      void client.invalidateQueries({ queryKey: ['drugs.get'] });
    }
    previous.current = state;
  }, [state, client]);
  return { job: progress.data, start };
}

function phaseText(job: DrugUpdateJob): string {
  return job.phase === 'import' ? t.update.importing(job.file) : t.update.downloading(job.file);
}

/** Réglages → Base des médicaments: what is installed, how old, and the update with its progress. */
export function DrugDatabaseSettings() {
  const status = useCall('drugs.status', {});
  const { job, start } = useUpdateJob();
  const progressId = useId();
  const running = job?.state === 'running' || start.isPending;
  const s = status.data;

  return (
    <section className="drug-settings" aria-labelledby={`${progressId}-title`}>
      <h2 id={`${progressId}-title`}>{t.update.title}</h2>
      {status.isError ? <p role="alert">{status.error.message}</p> : null}
      {s !== undefined ? (
        <>
          {referentialWarnings(s).map((warning) => (
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
                <dd>{s.missingFiles.join(', ')}</dd>
              </>
            ) : null}
            {s.rejectedCount > 0 ? (
              <>
                <dt>{t.status.rejected}</dt>
                <dd>{s.rejectedCount}</dd>
              </>
            ) : null}
            <dt>{t.status.interactions}</dt>
            <dd>{s.interactions === null ? t.status.noInteractions : `${s.interactions.version} (${s.interactions.rules})`}</dd>
          </dl>
        </>
      ) : null}
      <DrugSourceForm />
      <div className="form__actions">
        <button type="button" onClick={() => start.mutate()} disabled={running}>
          {running ? t.update.running : t.update.button}
        </button>
      </div>
      {job !== undefined && job.state !== 'idle' ? (
        <div className="drug-settings__progress">
          {job.state === 'running' ? (
            <>
              <label htmlFor={progressId}>
                {t.update.progressLabel} : {phaseText(job)}
              </label>
              <progress id={progressId} max={100} value={job.percent}>
                {job.percent} %
              </progress>
            </>
          ) : null}
          <p role="status" className="drug-settings__result" data-testid="drug-update-result">
            {job.state === 'running'
              ? `${job.percent} %`
              : job.state === 'done' && job.summary !== null
                ? t.update.done(job.summary.files[0]?.imported ?? 0, job.summary.rejectedCount)
                : ''}
          </p>
          {job.state === 'done' && job.summary !== null && job.summary.missingFiles.length > 0 ? (
            <p className="warning">{t.update.missing(job.summary.missingFiles.join(', '))}</p>
          ) : null}
          {job.state === 'failed' && job.error !== null ? (
            <p role="alert" className="error-summary">
              {t.update.failed} {job.error.message}
            </p>
          ) : null}
        </div>
      ) : null}
      {start.isError ? <p role="alert">{start.error.message}</p> : null}
    </section>
  );
}
