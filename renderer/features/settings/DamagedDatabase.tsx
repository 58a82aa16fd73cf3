import { useEffect, useRef } from 'react';
import type { BackupList } from '../../../shared/calls/backup';
import { useCall } from '../../app/queries';
import { backupsFr } from '../../i18n/backups';
import { fr } from '../../i18n/fr';
import { BackupTable } from './Backups';

const t = backupsFr.damaged;

/**
 * What the window shows when the practice database could not be opened (the service runs in its
 * degraded mode): the diagnosis of `ordo doctor`, where the data and the backups are, and the
 * backups to restore. Never « Erreur inattendue », never a blank window.
 */
export function DamagedDatabase({ list }: { list: BackupList }) {
  const diagnosis = useCall('app.diagnose', {});
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const report = diagnosis.data;
  return (
    <main id="main" className="damaged" data-testid="damaged-database">
      <h1 tabIndex={-1} ref={heading}>
        {t.title}
      </h1>
      <p className="lead">{t.intro}</p>
      <div role="alert" className="warning">
        <p>
          <strong>{t.problem} : </strong>
          {list.database.problem}
        </p>
      </div>
      <section aria-label={t.diagnosis}>
        <h2>{t.diagnosis}</h2>
        {diagnosis.isPending ? <p>{t.diagnosing}</p> : null}
        {diagnosis.isError ? <p>{diagnosis.error.message}</p> : null}
        {report !== undefined ? (
          <>
            <ul data-testid="damaged-diagnosis">
              {report.problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
            <dl className="facts">
              <dt>{fr.diagnostic.integrity}</dt>
              <dd>{report.integrity === 'ok' ? fr.diagnostic.integrityOk : report.integrity === '' ? fr.diagnostic.unknown : fr.diagnostic.integrityDamaged}</dd>
              <dt>{fr.diagnostic.schema}</dt>
              <dd>{fr.diagnostic.schemaValue(report.schemaVersion, report.appSchemaVersion)}</dd>
            </dl>
          </>
        ) : null}
        <p className="lead">{t.help}</p>
      </section>
      <section aria-label={backupsFr.title}>
        <h2>{backupsFr.title}</h2>
        <dl className="facts">
          <dt>{t.dataDir}</dt>
          <dd>{list.dataDir}</dd>
          <dt>{t.folder}</dt>
          <dd>{list.folder}</dd>
        </dl>
        {list.backups.length === 0 ? <p>{t.noBackup}</p> : <BackupTable list={list} />}
      </section>
    </main>
  );
}
