/**
 * A patient's prescriptions on their page, newest first (« Nouvelle ordonnance » is the page's
 * first action), each with its state and lines, to reopen (a draft) or read (signed, cancelled with
 * its date and reason, and where it stands with the DMP), and « Renouveler » (also how a cancelled
 * one is corrected).
 */
import { useState } from 'react';
import { formatDate } from '../../../shared/domain/dates';
import { OrdoError } from '../../../shared/errors';
import { call } from '../../app/api';
import { queryClient, useCall } from '../../app/queries';
import { go, prescriptionHref } from '../../app/router';
import { fr } from '../../i18n/fr';
import { dmpShortText } from '../../i18n/outbox';

const t = fr.prescriptions.list;

export function PatientPrescriptions({ patientId }: { patientId: number }) {
  const list = useCall('prescriptions.list', { patientId });
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const renew = async (id: number) => {
    setBusy(id);
    setError(null);
    try {
      const draft = await call('prescriptions.renew', { id });
      await queryClient.invalidateQueries({ queryKey: ['prescriptions.list'] });
      go(prescriptionHref(draft.id));
    } catch (e) {
      setError(t.failed(e instanceof OrdoError ? e.message : String(e)));
      setBusy(null);
    }
  };
  return (
    <>
      {error !== null ? <p role="alert">{error}</p> : null}
      {list.isPending ? <p className="muted">{fr.loading}</p> : null}
      {list.isError ? <p role="alert">{list.error.message}</p> : null}
      {list.data !== undefined && list.data.length === 0 ? <p className="muted">{t.none}</p> : null}
      {list.data !== undefined && list.data.length > 0 ? (
        <ul className="rx-list" aria-label={t.label}>
          {list.data.map((p) => {
            const date = formatDate(p.createdAt.slice(0, 10));
            return (
              <li key={p.id} data-prescription={p.id} data-state={p.state}>
                <span className="badge">{t.states[p.state]}</span>
                <span>{t.created(date)}</span>
                {p.cancellation !== null ? <span className="rx-list__cancelled">{t.cancelledOn(formatDate(p.cancellation.at.slice(0, 10)), p.cancellation.reason)}</span> : null}
                {p.state !== 'draft' && p.dmp !== null ? (
                  <span className={`rx-list__dmp rx-list__dmp--${p.dmp.state}`} data-field="dmp" data-dmp={p.dmp.state}>
                    {dmpShortText(p.dmp)}
                  </span>
                ) : null}
                <span className="rx-list__labels">{p.labels.length === 0 ? t.noLines : p.labels.join(' ; ')}</span>
                <a href={prescriptionHref(p.id)} aria-label={t.openName(t.open[p.state], date)}>
                  {t.open[p.state]}
                </a>
                {p.labels.length > 0 ? (
                  <button type="button" className="secondary" disabled={busy !== null} onClick={() => void renew(p.id)} aria-label={t.renewName(date)}>
                    {busy === p.id ? t.renewing : t.renew}
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </>
  );
}
