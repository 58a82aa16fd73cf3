import type { DrugStatus } from '../../../shared/calls/drugs';
import { useCall } from '../../app/queries';
import { fr } from '../../i18n/fr';
import { formatDate } from '../../../shared/domain/dates';
import { frenchDateTime } from './format';

const t = fr.drugs.status;

/** The warnings a stale, missing, partial or demonstration base deserves: visible, never silent. */
export function referentialWarnings(status: DrugStatus): string[] {
  if (status.state === 'none') return [t.none];
  const warnings: string[] = [];
  if (status.state === 'demo') warnings.push(t.demo);
  else if (status.stale) warnings.push(t.stale(status.ageDays));
  if (status.missingParts.length > 0) warnings.push(t.partial(status.missingParts));
  return warnings;
}

/** « 28/02/2017 (date du serveur) », « inconnue »: the date and where it comes from. */
export function releaseLine(status: DrugStatus): string {
  if (status.releaseDate === null || status.releaseDateSource === null || status.releaseDateSource === 'unknown') return t.unknown;
  return `${formatDate(status.releaseDate)} (${t.releaseSource[status.releaseDateSource]})`;
}

/** One line on the prescribing screen: which base, how old, and its warnings. */
export function ReferentialStatus() {
  const status = useCall('drugs.status', {});
  if (status.isPending) return null;
  if (status.isError) return <p role="alert">{status.error.message}</p>;
  const s = status.data;
  return (
    <div className="referential-status" aria-label={t.title} role="region">
      {referentialWarnings(s).map((warning) => (
        <p key={warning} className="warning referential-status__warning">
          {warning}
        </p>
      ))}
      {s.state !== 'none' ? (
        <p className="referential-status__facts">
          {t.title} : {t.release.toLowerCase()} {releaseLine(s)} · {t.imported.toLowerCase()} {frenchDateTime(s.importedAt) ?? t.unknown}
        </p>
      ) : null}
    </div>
  );
}
