import { useId } from 'react';
import { useAction } from '../../app/queries';
import { partialLine } from '../../../shared/domain/bdpm-parts';
import { fr } from '../../i18n/fr';

const t = fr.diagnostic;

/** Réglages → Diagnostic: the checks of `ordo doctor`, for a GP who has no command line. */
export function Diagnostic() {
  const run = useAction('app.diagnose');
  const titleId = useId();
  const report = run.data;
  return (
    <section aria-labelledby={titleId} className="diagnostic">
      <h2 id={titleId}>{t.title}</h2>
      <p className="lead">{t.intro}</p>
      <div className="form__actions">
        <button type="button" onClick={() => run.mutate({})} disabled={run.isPending}>
          {run.isPending ? t.running : t.run}
        </button>
      </div>
      {run.isError ? <p role="alert">{run.error.message}</p> : null}
      {report !== undefined ? (
        <div data-testid="diagnostic-report">
          {report.ok ? (
            <p role="status">{t.ok}</p>
          ) : (
            <div role="alert">
              <p>{t.problems}</p>
              <ul>
                {report.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </div>
          )}
          {report.warnings.length > 0 ? (
            <div role="status" data-testid="diagnostic-warnings">
              <p>{t.warnings}</p>
              <ul>
                {report.warnings.map((warning) => (
                  <li key={warning}>{warning}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <dl className="facts">
            <dt>{t.integrity}</dt>
            <dd>{report.integrity === 'ok' ? t.integrityOk : report.integrity === '' ? t.unknown : t.integrityDamaged}</dd>
            <dt>{t.schema}</dt>
            <dd>{t.schemaValue(report.schemaVersion, report.appSchemaVersion)}</dd>
            <dt>{t.pending}</dt>
            <dd>{report.pendingMigrations.length === 0 ? t.none : t.pendingValue(report.pendingMigrations.length)}</dd>
            <dt>{t.audit}</dt>
            <dd>
              {t.auditValue(report.audit.ok, report.audit.entries)}
              {report.audit.legacy !== undefined && report.audit.legacy > 0 ? t.auditLegacy(report.audit.legacy) : null}
            </dd>
            {report.audit.key !== undefined ? (
              <>
                <dt>{t.auditKey}</dt>
                <dd>{t.auditKeyState[report.audit.key]}</dd>
              </>
            ) : null}
            {report.audit.anchor !== undefined ? (
              <>
                <dt>{t.anchor}</dt>
                <dd>{t.anchorState[report.audit.anchor.state](report.audit.anchor.seq ?? 0)}</dd>
              </>
            ) : null}
            <dt>{t.schemaCheck}</dt>
            <dd>{report.schema === undefined || report.schema === null ? t.schemaUnchecked : t.schemaCheckValue(report.schema.ok, report.schema.objects, report.schema.differences.length)}</dd>
            <dt>{t.jobs}</dt>
            <dd>{t.jobsValue(report.jobs.active, report.jobs.interrupted)}</dd>
            <dt>{t.referential}</dt>
            <dd>
              {t.drugsState[report.referential.drugs]}
              {partialLine(report.referential.missingParts ?? []) === '' ? '' : ` (${partialLine(report.referential.missingParts ?? [])})`}, {t.interactionsState[report.referential.interactions]}
            </dd>
          </dl>
        </div>
      ) : null}
    </section>
  );
}
